// The listener protocol machine against supervisor 4.2.5's PEventListenerDispatcher
// (reference §3.5): stdout bytes in, protocol states, log lines and verdicts out.
import * as assert from 'uvu/assert';
import { createActor, SimulatedClock } from 'xstate';
import { defaultHandler, listenerMachine, pyIntOfBytes, type ListenerEmitted, type ResultHandler } from '../../machines/listener.ts';
import { suite } from '../harness.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

function run(resultHandler?: ResultHandler) {
  const clock = new SimulatedClock();
  const emitted: ListenerEmitted[] = [];
  const actor = createActor(listenerMachine, { clock, input: { name: 'lis', resultHandler } });
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  return {
    actor,
    out: (s: string) => actor.send({ type: 'OUTPUT', data: bytes(s) }),
    sent: () => actor.send({ type: 'SENT' }),
    state: () => actor.getSnapshot().value,
    trail: () => emitted.map((e) => (e.type === 'log' ? `${e.level} ${e.message}` : e.type === 'badResult' ? `badResult ${new TextDecoder().decode(e.line)}` : e.type)),
  };
}

const L = suite('listener machine');

L('starts ACKNOWLEDGED; READY\\n makes it READY, logged at DEBG', () => {
  const t = run();
  assert.is(t.state(), 'ACKNOWLEDGED');
  t.out('READY\n');
  assert.is(t.state(), 'READY');
  assert.equal(t.trail(), ['DEBG lis: ACKNOWLEDGED -> READY']);
});

L('READY split across reads: fewer than 6 bytes wait', () => {
  const t = run();
  t.out('REA');
  assert.is(t.state(), 'ACKNOWLEDGED');
  t.out('DY\n');
  assert.is(t.state(), 'READY');
});

L('anything else than READY\\n in ACKNOWLEDGED: UNKNOWN with supervisor\'s warning', () => {
  const t = run();
  t.out('HELLO!');
  assert.is(t.state(), 'UNKNOWN');
  assert.equal(t.trail(), [
    'DEBG lis: ACKNOWLEDGED -> UNKNOWN',
    'WARN lis: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
  ]);
  t.out('READY\n');
  assert.is(t.state(), 'UNKNOWN', 'UNKNOWN is final until the next spawn');
});

L('spurious output while READY: UNKNOWN', () => {
  const t = run();
  t.out('READY\nx');
  assert.is(t.state(), 'UNKNOWN');
  assert.equal(t.trail().slice(0, 2), ['DEBG lis: ACKNOWLEDGED -> READY', 'DEBG lis: READY -> UNKNOWN']);
});

L('SENT makes it BUSY without a log line; RESULT 2\\nOK processes the event, READY\\n in the same write is parsed too', () => {
  const t = run();
  t.out('READY\n');
  t.sent();
  assert.is(t.state(), 'BUSY');
  assert.equal(t.trail(), ['DEBG lis: ACKNOWLEDGED -> READY']);
  t.out('RESULT 2\nOKREADY\n');
  assert.is(t.state(), 'READY');
  assert.equal(t.trail().slice(1), ['DEBG lis: event was processed', 'DEBG lis: BUSY -> ACKNOWLEDGED', 'processed', 'DEBG lis: ACKNOWLEDGED -> READY']);
});

L('a result split byte by byte', () => {
  const t = run();
  t.out('READY\n');
  t.sent();
  for (const c of 'RESULT 2\nOK') t.out(c);
  assert.is(t.state(), 'ACKNOWLEDGED');
  assert.ok(t.trail().includes('processed'));
});

L('FAIL (anything but OK): rejected, back to ACKNOWLEDGED', () => {
  const t = run();
  t.out('READY\n');
  t.sent();
  t.out('RESULT 4\nFAIL');
  assert.is(t.state(), 'ACKNOWLEDGED');
  assert.equal(t.trail().slice(1), ['WARN lis: event was rejected', 'DEBG lis: BUSY -> ACKNOWLEDGED', 'rejected']);
});

L('a bad result line: WARN, UNKNOWN, rejected', () => {
  const t = run();
  t.out('READY\n');
  t.sent();
  t.out('RESULT two\nOK');
  assert.is(t.state(), 'UNKNOWN');
  assert.equal(t.trail().slice(1), [
    'badResult RESULT two', 'DEBG lis: BUSY -> UNKNOWN',
    'WARN lis: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
    'rejected',
  ]);
});

L('only what follows the first 7 bytes is read as the length, as int(line[7:])', () => {
  const t = run();
  t.out('READY\n');
  t.sent();
  t.out('XXXXXX  2 \nOK');
  assert.ok(t.trail().includes('processed'));
});

L('RESULT 0\\n is handled only when more bytes come (supervisor returns on an empty buffer)', () => {
  const t = run();
  t.out('READY\n');
  t.sent();
  t.out('RESULT 0\n');
  assert.is(t.state(), 'BUSY');
  t.out('READY\n');
  assert.is(t.state(), 'READY');
  assert.ok(t.trail().includes('rejected'), 'an empty body is not OK');
});

L('a handler that raises: UNKNOWN and rejected', () => {
  const t = run(() => 'error');
  t.out('READY\n');
  t.sent();
  t.out('RESULT 2\nOK');
  assert.is(t.state(), 'UNKNOWN');
  assert.equal(t.trail().slice(1, 3), ['WARN lis: event caused an error', 'DEBG lis: BUSY -> UNKNOWN']);
  assert.is(t.trail().at(-1), 'rejected');
});

L('default_handler and int()', () => {
  assert.is(defaultHandler(bytes('OK')), 'processed');
  assert.is(defaultHandler(bytes('OK\n')), 'rejected');
  assert.is(defaultHandler(bytes('FAIL')), 'rejected');
  assert.is(pyIntOfBytes(bytes(' 12 ')), 12);
  assert.is(pyIntOfBytes(bytes('1_0')), 10);
  assert.is(pyIntOfBytes(bytes('1__0')), null);
  assert.is(pyIntOfBytes(bytes('')), null);
});

L.run();
