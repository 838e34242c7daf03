// The listener SDK on envelopes that supervisor 4.2.5's own code renders (payloads.py runs
// its event classes and its pool's envelope template): every event type parsed, however
// the bytes are split into reads, `len` counted in code points, and the protocol's rules
// for answers.
import { spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import * as assert from 'uvu/assert';
import { EventListener, ProtocolError, type ListenerEvent } from '../../listeners/protocol.ts';
import { suite } from '../harness.ts';
import { FIXTURES } from './helpers.ts';

const test = suite('listeners/protocol');

interface Rendered {
  eventname: string;
  payload: string;
  envelope: string;
}

const oracle = spawnSync('/usr/bin/python3', [`${FIXTURES}payloads.py`], { encoding: 'utf8' });
const rendered: Rendered[] = oracle.status === 0 ? JSON.parse(oracle.stdout) : [];

const proc = { processname: 'web_01', groupname: 'web' };
const DATA = 'héllo ✓ 😀\nline two: a:b\n';

/** What each rendered event must parse to, besides headers and payload. */
const EXPECTED: Record<string, object> = {
  PROCESS_STATE_STARTING: { ...proc, from_state: 'BACKOFF', tries: 2 },
  PROCESS_STATE_BACKOFF: { ...proc, from_state: 'STARTING', tries: 2 },
  PROCESS_STATE_RUNNING: { ...proc, from_state: 'STARTING', pid: 4242 },
  PROCESS_STATE_STOPPING: { ...proc, from_state: 'RUNNING', pid: 4242 },
  PROCESS_STATE_STOPPED: { ...proc, from_state: 'STOPPING', pid: 4242 },
  PROCESS_STATE_EXITED: { ...proc, from_state: 'RUNNING', expected: false, pid: 4242 },
  PROCESS_STATE_FATAL: { ...proc, from_state: 'BACKOFF' },
  PROCESS_STATE_UNKNOWN: { ...proc, from_state: 'RUNNING' },
  PROCESS_LOG_STDOUT: { ...proc, pid: 4242, channel: 'stdout', data: DATA },
  PROCESS_LOG_STDERR: { ...proc, pid: 4242, channel: 'stderr', data: "Undecodable: b'\\xff\\xfe not utf-8'" },
  PROCESS_COMMUNICATION_STDOUT: { ...proc, pid: 4242, data: DATA },
  PROCESS_COMMUNICATION_STDERR: { ...proc, pid: 4242, data: '' },
  REMOTE_COMMUNICATION: { type: 'my type', data: 'hello\ndata' },
  SUPERVISOR_STATE_CHANGE_RUNNING: {},
  SUPERVISOR_STATE_CHANGE_STOPPING: {},
  TICK_5: { when: 1700000005 },
  TICK_60: { when: 1700000040 },
  TICK_3600: { when: 1699999200 },
  PROCESS_GROUP_ADDED: { groupname: 'web' },
  PROCESS_GROUP_REMOVED: { groupname: 'web' },
};

/** A listener over `chunks`; `written()` is everything it wrote. */
function over(chunks: Buffer[]): { listener: EventListener; written: () => string } {
  const output = new PassThrough();
  let written = '';
  output.setEncoding('utf8').on('data', (d: string) => (written += d));
  return { listener: new EventListener({ input: Readable.from(chunks), output }), written: () => written };
}

const bytesOfAll = () => Buffer.from(rendered.map((r) => r.envelope).join(''), 'utf8');

async function readAll(chunks: Buffer[]): Promise<{ events: ListenerEvent[]; written: string }> {
  const { listener, written } = over(chunks);
  const events: ListenerEvent[] = [];
  for await (const event of listener) {
    events.push(event);
    listener.ok();
  }
  return { events, written: written() };
}

function checkAll(events: ListenerEvent[]): void {
  assert.is(events.length, rendered.length);
  events.forEach((event, i) => {
    const r = rendered[i];
    assert.is(event.eventname, r.eventname);
    assert.is(event.payload, r.payload, r.eventname);
    assert.equal(event.headers, { ver: '3.0', server: 'supervisor', serial: 100 + i, pool: 'sdk', poolserial: i, eventname: r.eventname, len: [...r.payload].length });
    const { eventname: _n, headers: _h, payload: _p, ...fields } = event;
    assert.equal(fields, EXPECTED[r.eventname], r.eventname);
  });
}

test('the oracle rendered every concrete event type supervisor 4.2.5 has', () => {
  assert.is(oracle.status, 0, oracle.stderr);
  assert.equal(rendered.map((r) => r.eventname).sort(), Object.keys(EXPECTED).sort());
});

test('every event type parsed from one read; READY before each, the answers after', async () => {
  const { events, written } = await readAll([bytesOfAll()]);
  checkAll(events);
  assert.is(written, `READY\n${'RESULT 2\nOKREADY\n'.repeat(rendered.length)}`);
});

test('split reads: one byte at a time, cutting multi-byte characters in two', async () => {
  const all = bytesOfAll();
  const { events } = await readAll([...all].map((b) => Buffer.from([b])));
  checkAll(events);
});

test('split reads: chunks of every size from 2 to 97 bytes', async () => {
  const all = bytesOfAll();
  for (let size = 2; size < 98; size++) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < all.length; at += size) chunks.push(all.subarray(at, at + size));
    checkAll((await readAll(chunks)).events);
  }
});

test('len counts code points: a payload of more bytes than len is read whole, the next envelope intact', async () => {
  const log = rendered.find((r) => r.eventname === 'PROCESS_LOG_STDOUT')!;
  const tick = rendered.find((r) => r.eventname === 'TICK_5')!;
  const len = Number(/ len:(\d+)\n/.exec(log.envelope)![1]);
  // é is 2 bytes, ✓ 3, 😀 4 (and two UTF-16 units): 1 + 2 + 3 extra bytes.
  assert.is(Buffer.byteLength(log.payload), len + 6);
  const { events } = await readAll([Buffer.from(log.envelope + tick.envelope)]);
  assert.equal(events.map((e) => e.eventname), ['PROCESS_LOG_STDOUT', 'TICK_5']);
  assert.is((events[0] as { data: string }).data, DATA);
  assert.is((events[1] as { when: number }).when, 1700000005);
});

test('fail() and send() write supervisor\'s result framing, its length in bytes', async () => {
  const { listener, written } = over([Buffer.from(rendered[0].envelope + rendered[1].envelope)]);
  const it = listener[Symbol.asyncIterator]();
  await it.next();
  listener.fail();
  await it.next();
  listener.send('é');
  assert.is((await it.next()).done, true);
  assert.is(written(), 'READY\nRESULT 4\nFAILREADY\nRESULT 2\néREADY\n');
});

test('an event must be answered once before the next is read', async () => {
  const { listener } = over([Buffer.from(rendered[0].envelope + rendered[1].envelope)]);
  assert.throws(() => listener.ok(), (e: Error) => e instanceof ProtocolError && /no event to answer/.test(e.message));
  const it = listener[Symbol.asyncIterator]();
  await it.next();
  await it.next().then(
    () => assert.unreachable('read a second event with the first unanswered'),
    (e: Error) => assert.match(e.message, /not answered/),
  );
  listener.ok();
  assert.throws(() => listener.ok(), /no event to answer/);
});

test('input ending inside an envelope is an error; between envelopes, the end', async () => {
  const whole = Buffer.from(rendered[0].envelope);
  for (const cut of [10, whole.length - 1]) {
    await readAll([whole.subarray(0, cut)]).then(
      () => assert.unreachable(`cut at ${cut} went unnoticed`),
      (e: Error) => assert.instance(e, ProtocolError),
    );
  }
  assert.equal((await readAll([])).events, []);
});

test('malformed envelopes and payloads are ProtocolErrors', async () => {
  for (const text of [
    'ver:3.0 server:supervisor serial:1 pool:p poolserial:1 eventname:TICK_5\nwhen:1',
    'ver:3.0 server:supervisor serial:x pool:p poolserial:1 eventname:TICK_5 len:6\nwhen:1',
    'ver:3.0 server:supervisor serial:1 pool:p poolserial:1 eventname:TICK_5 len:6\nwhen:x',
    'ver:3.0 server:supervisor serial:1 pool:p poolserial:1 eventname:PROCESS_STATE_FATAL len:17\nprocessname:a b:c',
    'ver:3.0 garbage\n',
  ]) {
    await readAll([Buffer.from(text)]).then(
      () => assert.unreachable(`accepted ${JSON.stringify(text)}`),
      (e: Error) => assert.instance(e, ProtocolError, text),
    );
  }
});

test('an event type supervisor does not define arrives as UNREGISTERED with its name in the headers', async () => {
  const { events } = await readAll([Buffer.from('ver:3.0 server:s serial:1 pool:p poolserial:2 eventname:MY_PLUGIN_EVENT len:3\nabc')]);
  assert.is(events.length, 1);
  assert.is(events[0].eventname, 'UNREGISTERED');
  assert.is(events[0].headers.eventname, 'MY_PLUGIN_EVENT');
  assert.is(events[0].payload, 'abc');
});

test('listen() on stdout sends console.log, info and debug to stderr, keeping stdout the protocol\'s', () => {
  const protocol = new URL('../../dist/listeners/protocol.js', import.meta.url).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
const { listen } = await import(${JSON.stringify(protocol)});
listen();
console.log('log'); console.info('info'); console.debug('debug');`], { encoding: 'utf8', input: '' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.is(r.stderr, 'log\ninfo\ndebug\n');
});

test.run();
