// The listener protocol machine and the reader that feeds it, against supervisor 4.2.5's
// PEventListenerDispatcher (reference §3.5): stdout bytes in, protocol states, log lines
// and verdicts out.
import * as assert from 'uvu/assert';
import { createActor, SimulatedClock } from 'xstate';
import { ByteQueue } from '../../machines/byte-queue.ts';
import { listenerMachine, type ListenerEmitted } from '../../machines/listener.ts';
import { defaultHandler, ListenerReader, pyIntOfBytes, type ResultHandler } from '../../machines/listener-reader.ts';
import { suite } from '../harness.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

function run(resultHandler?: ResultHandler, maxBytes?: number) {
  const clock = new SimulatedClock();
  const emitted: ListenerEmitted[] = [];
  const actor = createActor(listenerMachine, { clock, input: { name: 'lis' } });
  const reader = new ListenerReader({ resultHandler, maxBytes });
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  return {
    actor,
    reader,
    out: (s: string) => reader.feed(actor, bytes(s)),
    sent: () => actor.send({ type: 'SENT' }),
    state: () => actor.getSnapshot().value,
    trail: () => emitted.flatMap((e) => e.notes).map((e) => (e.type === 'log' ? `${e.level} ${e.message}` : e.type === 'badResult' ? `badResult ${new TextDecoder().decode(e.line)}${e.reason === 'not an int' ? '' : ` (${e.reason})`}` : e.type)),
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
  assert.is(pyIntOfBytes(bytes('007')), 7, 'leading zeros, as int(b"007")');
  assert.is(pyIntOfBytes(bytes('123456789')), 123456789);
  assert.is(pyIntOfBytes(bytes('9a')), null);
  assert.is(pyIntOfBytes(bytes('1_0')), 10);
  assert.is(pyIntOfBytes(bytes('1__0')), null);
  assert.is(pyIntOfBytes(bytes('')), null);
});

const busy = (maxBytes?: number) => {
  const t = run(undefined, maxBytes);
  t.out('READY\n');
  t.sent();
  return t;
};
const LOST = 'WARN lis: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol';

L('a 300 KB result line: one bad result line with all of it, as supervisor logs it, then UNKNOWN', () => {
  const t = busy();
  const long = `RESULT ${'x'.repeat(300_000)}`;
  for (let i = 0; i < long.length; i += 4096) t.out(long.slice(i, i + 4096));
  assert.is(t.state(), 'BUSY', 'no newline yet');
  t.out('\nOK');
  assert.is(t.state(), 'UNKNOWN');
  assert.equal(t.trail().slice(1), [`badResult ${long}`, 'DEBG lis: BUSY -> UNKNOWN', LOST, 'rejected']);
});

L('a result line longer than the limit without a newline: refused once the limit is passed, its bytes dropped', () => {
  const t = busy(100);
  t.out(`RESULT ${'9'.repeat(93)}`);
  assert.is(t.state(), 'BUSY', '100 bytes are allowed');
  t.out('9');
  assert.is(t.state(), 'UNKNOWN');
  assert.equal(t.trail().slice(1), [`badResult RESULT ${'9'.repeat(93)} (line too long)`, 'DEBG lis: BUSY -> UNKNOWN', LOST, 'rejected']);
  assert.is(t.reader.buffer.length, 0);
});

L('a result longer than the limit, a negative length: bad result lines, not a wait for bytes that never end or a loop', () => {
  const t = busy(100);
  t.out('RESULT 101\n');
  assert.is(t.state(), 'UNKNOWN');
  assert.equal(t.trail()[1], 'badResult RESULT 101 (result too long)');
  const n = busy();
  // supervisor recurses on it until RecursionError
  n.out('RESULT -5\n0123456789');
  assert.is(n.state(), 'UNKNOWN');
  assert.equal(n.trail()[1], 'badResult RESULT -5 (negative length)');
  const z = busy(100);
  z.out('RESULT 100\n');
  z.out('x'.repeat(99));
  assert.is(z.state(), 'BUSY', 'a result of the limit itself is taken');
  z.out('xREADY\n');
  assert.is(z.state(), 'READY');
});

L('a result in many pieces, and its length with more digits than Python\'s int() reads', () => {
  const t = busy();
  t.out('RESULT 2');
  t.out('\nO');
  assert.is(t.state(), 'BUSY');
  t.out('K');
  assert.ok(t.trail().includes('processed'));
  assert.is(pyIntOfBytes(bytes(`${'0'.repeat(4299)}2`)), 2);
  assert.is(pyIntOfBytes(bytes(`${'0'.repeat(4300)}2`)), null, 'ValueError: Exceeds the limit (4300 digits)');
  assert.is(pyIntOfBytes(bytes(`${'1_'.repeat(4300)}1`)), null, 'underscores are not digits: 4301 digits');
  assert.is(pyIntOfBytes(bytes(`${' '.repeat(200_000)}7`)), 7, 'a long line decodes without a spread');
});

L.run();

const Q = suite('byte queue');

Q('append, lineEnd, take and drop keep the bytes in order', () => {
  const q = new ByteQueue();
  q.append(bytes('ab')).append(bytes('c\nde'));
  assert.is(q.lineEnd(), 3);
  assert.equal(new TextDecoder().decode(q.take(3)), 'abc');
  q.drop(1);
  assert.equal(new TextDecoder().decode(q.view()), 'de');
  assert.is(q.lineEnd(), -1);
  q.append(bytes('f\n'));
  assert.is(q.lineEnd(), 3);
  assert.is(JSON.stringify({ q }), '{"q":{"bytes":4}}', 'inspection sees its size, not its bytes');
});

Q('a million one-byte appends, each followed by a look for the line end, and lines taken as they come (linear: quadratic would not finish)', () => {
  const q = new ByteQueue();
  const one = new Uint8Array(1);
  const lf = new Uint8Array([0x0a]);
  let lines = 0;
  for (let i = 1; i <= 1_000_000; i++) {
    q.append(i % 100_000 === 0 ? lf : one);
    const at = q.lineEnd();
    if (at !== -1) {
      assert.is(at, 99_999);
      q.drop(at + 1);
      lines++;
    }
  }
  assert.is(lines, 10);
  assert.is(q.length, 0);
});

Q.run();
