// EventListenerPool with fake listeners (in-memory stdin, stdout fed by hand): buffering,
// overflow, dispatch order, rejection and re-sending, as supervisor's process.py does them.
import { PassThrough } from 'node:stream';
import * as assert from 'uvu/assert';
import type { InspectionEvent } from 'xstate';
import type { LogLevel, ProcessStateChange } from '../../machines/emitted.ts';
import type { GroupConfig } from '../../src/config/types.ts';
import type { ProcessStateName } from '../../src/states.ts';
import { EventBus } from '../../src/events/bus.ts';
import { codePoints } from '../../src/events/envelope.ts';
import { BusEvent, groupEvent, processLogEvent, remoteCommunicationEvent } from '../../src/events/event.ts';
import { ListenerChannel } from '../../src/events/listener-channel.ts';
import { EventListenerPool } from '../../src/events/pool.ts';
import { programConfig } from '../machines/fake-child.ts';
import { suite } from '../harness.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function pool(o: { events?: string[]; buffer_size?: number; listeners?: string[]; inspected?: boolean } = {}) {
  const names = o.listeners ?? ['a'];
  const config: GroupConfig = {
    name: 'p', kind: 'eventlistener', priority: -1, processes: names.map((name) => programConfig({ name })),
    supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 0 },
    events: o.events ?? ['EVENT'], buffer_size: o.buffer_size ?? 10, result_handler: 'supervisor.dispatchers:default_handler',
  };
  const logs: string[] = [];
  /** The events each listener machine took, one per step (`RESULT+next` for a RESULT that went on to the next event). */
  const steps: string[] = [];
  const inspect = { next: (e: InspectionEvent) => {
    if (e.type === '@xstate.event' && e.event.type !== 'xstate.init') steps.push(e.event.type + (e.event.next ? '+next' : ''));
  } };
  const sends: string[] = [];
  const bus = new EventBus();
  const serial = bus.globalSerial;
  const p = new EventListenerPool({ config, identifier: 'sup', globalSerial: serial, log: (l: LogLevel, m: string) => logs.push(`${l} ${m}`), describeLine: (b) => Buffer.from(b).toString(), inspect: o.inspected === false ? undefined : inspect, started: (actor) => {
    // what each machine is sent, inspected or not
    const send = actor.send.bind(actor);
    actor.send = (e) => (sends.push(e.type + (e.type === 'RESULT' && e.next ? '+next' : '')), send(e));
  } });
  p.connect(bus.events$);
  const listeners = new Map<string, { written: string[]; stdout: (s: string) => void; pid: number }>();
  let pids = 100;
  const state = (name: string, from: ProcessStateName, to: ProcessStateName, pid: number) =>
    p.processState({ type: 'state', name, group: 'p', from, to, pid, tries: 0, expected: true, restart: false, at: null } satisfies ProcessStateChange);
  /** A new spawn of `name`, told RUNNING unless `running` is false. */
  const spawn = (name: string, running = true) => {
    const stdin = new PassThrough();
    const written: string[] = [];
    stdin.on('data', (d: Buffer) => written.push(d.toString()));
    const pid = pids++;
    const out = p.attach(name, pid, new ListenerChannel({ stdin, stdinFd: -1 }));
    const l = { written, pid, stdout: (s: string) => out(Buffer.from(s)) };
    listeners.set(name, l);
    if (running) state(name, 'STARTING', 'RUNNING', pid);
    return l;
  };
  return { p, logs, steps, sends, serial, spawn, state, listeners, notify: (e: BusEvent) => bus.publish(e) };
}

/** Listener `a` of a fresh pool, READY and holding the first of the groups added after it; the rest wait. */
async function readyWith(...groups: string[]) {
  const t = pool();
  const a = t.spawn('a');
  a.stdout('READY\n');
  for (const g of groups) t.notify(groupEvent('ADDED', g));
  await tick();
  return { t, a };
}

const P = suite('events/pool');

P('an event waits for a RUNNING and READY listener; the envelope is supervisor\'s', async () => {
  const t = pool();
  t.notify(remoteCommunicationEvent('x', 'héllo'));
  const a = t.spawn('a');
  await tick();
  assert.equal(a.written, []);
  a.stdout('READY\n');
  await tick();
  assert.equal(a.written, ['ver:3.0 server:sup serial:0 pool:p poolserial:0 eventname:REMOTE_COMMUNICATION len:12\ntype:x\nhéllo']);
  assert.ok(t.logs.includes('DEBG event 0 sent to listener a'));
});

P('len counts code points: a character outside the BMP is one', () => {
  assert.is(codePoints('a😀é'), 3);
  assert.is(codePoints('abc'), 3);
});

P('only the types in events= (and their subtypes); a type matched twice is taken twice, as supervisor', async () => {
  const t = pool({ events: ['PROCESS_GROUP', 'EVENT'] });
  const a = t.spawn('a');
  a.stdout('READY\n');
  t.notify(groupEvent('ADDED', 'g'));
  await tick();
  a.stdout('RESULT 2\nOKREADY\n');
  await tick();
  assert.is(a.written.length, 2);
  assert.is(a.written[0], a.written[1]);
  assert.ok(t.logs.some((l) => l.startsWith('DEBG rebuffering event 0 for pool p')));
  const only = pool({ events: ['PROCESS_LOG_STDERR'] });
  const b = only.spawn('a');
  b.stdout('READY\n');
  only.notify(processLogEvent({ name: 'x', group: 'x', pid: 1 }, 'stdout', Buffer.from('o')));
  only.notify(processLogEvent({ name: 'x', group: 'x', pid: 1 }, 'stderr', Buffer.from('e')));
  await tick();
  assert.equal(b.written.map((w) => w.split(' ')[5]), ['eventname:PROCESS_LOG_STDERR']);
});

P('overflow drops the oldest and logs it; serials are used only by accepted events', async () => {
  const t = pool({ buffer_size: 2 });
  for (let i = 0; i < 4; i++) t.notify(groupEvent('ADDED', `g${i}`));
  assert.equal(t.logs, ['ERRO pool p event buffer overflowed, discarding event 0', 'ERRO pool p event buffer overflowed, discarding event 1']);
  const a = t.spawn('a');
  a.stdout('READY\n');
  await tick();
  assert.match(a.written[0], /^ver:3.0 server:sup serial:2 pool:p poolserial:2 eventname:PROCESS_GROUP_ADDED len:13\ngroupname:g2\n$/);
  assert.is(t.serial.next(), 4);
});

P('FAIL: the same event, same serials, goes again before any newer one', async () => {
  const { t, a } = await readyWith('first', 'second');
  a.stdout('RESULT 4\nFAILREADY\n');
  await tick();
  a.stdout('RESULT 2\nOKREADY\n');
  await tick();
  assert.equal(a.written.map((w) => w.replace(/ eventname.*\n/, ' ')), [
    'ver:3.0 server:sup serial:0 pool:p poolserial:0 groupname:first\n',
    'ver:3.0 server:sup serial:0 pool:p poolserial:0 groupname:first\n',
    'ver:3.0 server:sup serial:1 pool:p poolserial:1 groupname:second\n',
  ]);
  assert.ok(t.logs.includes('WARN a: event was rejected'));
});

P('a listener that dies while BUSY: its event goes to the head and to the next spawn', async () => {
  const t = pool();
  const a = t.spawn('a');
  a.stdout('READY\n');
  t.notify(groupEvent('ADDED', 'held'));
  await tick();
  t.notify(groupEvent('ADDED', 'later'));
  t.state('a', 'RUNNING', 'EXITED', a.pid);
  const b = t.spawn('a');
  b.stdout('READY\n');
  await tick();
  assert.match(b.written[0], /serial:0 .*\ngroupname:held\n$/);
});

P('an autorestart attached before the old spawn\'s EXITED arrives: the event still comes back, the new spawn stays', async () => {
  const t = pool();
  const a = t.spawn('a');
  a.stdout('READY\n');
  t.notify(groupEvent('ADDED', 'held'));
  await tick();
  const b = t.spawn('a', false); // the tree attaches the new spawn first …
  t.state('a', 'RUNNING', 'EXITED', a.pid); // … then tells of the old one's exit and the new one's start
  t.state('a', 'STARTING', 'RUNNING', b.pid);
  b.stdout('READY\n');
  await tick();
  assert.match(b.written[0], /\ngroupname:held\n$/);
});

P('dispatch goes to the first READY listener in the group\'s order; a BUSY one is skipped', async () => {
  const t = pool({ listeners: ['a', 'b'] });
  const a = t.spawn('a');
  const b = t.spawn('b');
  b.stdout('READY\n');
  a.stdout('READY\n');
  t.notify(groupEvent('ADDED', '1'));
  t.notify(groupEvent('ADDED', '2'));
  t.notify(groupEvent('ADDED', '3'));
  await tick();
  assert.is(a.written.length, 1);
  assert.is(b.written.length, 1);
  assert.match(a.written[0], /groupname:1/);
  assert.match(b.written[0], /groupname:2/);
  a.stdout('RESULT 2\nOKREADY\n');
  await tick();
  assert.match(a.written[1], /groupname:3/);
});

P('RESULT and READY in one read with an event waiting: one step of the machine sends the next, the log lines in supervisor\'s order', async () => {
  const { t, a } = await readyWith('1', '2');
  t.logs.length = 0;
  a.stdout('RESULT 2\nOKREADY\n');
  await tick();
  assert.match(a.written[1], /serial:1 pool:p poolserial:1 .*\ngroupname:2\n$/);
  assert.equal(t.steps, ['READY', 'SENT', 'RESULT+next']);
  assert.equal(t.logs, ['DEBG a: event was processed', 'DEBG a: BUSY -> ACKNOWLEDGED', 'DEBG a: ACKNOWLEDGED -> READY', 'DEBG event 1 sent to listener a']);
  a.stdout('RESULT 4\nFAILREADY\n');
  await tick();
  assert.match(a.written[2], /serial:1 pool:p poolserial:1 .*\ngroupname:2\n$/, 'a rejected event goes again, in the same step');
  assert.equal(t.steps.slice(3), ['RESULT+next']);
  a.stdout('RESULT 2\nOKREADY\n');
  await tick();
  assert.equal(t.steps.slice(4), ['RESULT'], 'nothing waiting: READY');
  assert.is(t.p.buffered, 0);
});

P('the next event is not sent in the same step when more than READY came, or when a listener before it in order is READY', async () => {
  const { t, a } = await readyWith('1', '2');
  a.stdout('RESULT 2\nOKREADY\nx');
  await tick();
  assert.is(a.written.length, 1, 'spurious output while READY: UNKNOWN, as supervisor reads it before it dispatches');
  assert.ok(t.logs.includes('DEBG a: READY -> UNKNOWN'));
  const two = pool({ listeners: ['a', 'b'] });
  const b = two.spawn('b');
  b.stdout('READY\n');
  two.notify(groupEvent('ADDED', '1'));
  await tick();
  const c = two.spawn('a');
  c.stdout('READY\n');
  two.notify(groupEvent('ADDED', '2'));
  b.stdout('RESULT 2\nOKREADY\n');
  await tick();
  assert.match(c.written[0], /groupname:2/, 'the first READY listener in order gets it');
  assert.is(b.written.length, 1);
});

P('a listener in UNKNOWN gets nothing more', async () => {
  const t = pool();
  const a = t.spawn('a');
  a.stdout('READY\n');
  t.notify(groupEvent('ADDED', '1'));
  await tick();
  a.stdout('RESULT x\n');
  t.notify(groupEvent('ADDED', '2'));
  await tick();
  assert.is(a.written.length, 1);
  assert.ok(t.logs.includes("WARN a: bad result line: 'RESULT x'"));
});

P('uninspected, the machine takes no step for an acknowledgement that goes on to the next event; the lines and writes are the same', async () => {
  const drain = async (inspected: boolean) => {
    const t = pool({ inspected, buffer_size: 20 });
    const a = t.spawn('a');
    for (let i = 0; i < 6; i++) t.notify(groupEvent('ADDED', String(i)));
    a.stdout('READY\n');
    await tick();
    for (const answer of ['RESULT 2\nOKREADY\n', 'RESULT 4\nFAILREADY\n', 'RESULT 2\nOKREADY\n', 'RESULT 2\nOK', 'READY\n', 'RESULT 2\nOKREADY\n']) {
      a.stdout(answer);
      await tick();
    }
    return { logs: t.logs, written: a.written, steps: t.steps, sends: t.sends };
  };
  const inspected = await drain(true);
  const quiet = await drain(false);
  assert.equal(quiet.logs, inspected.logs);
  assert.equal(quiet.written, inspected.written);
  assert.is(inspected.written.length, 6);
  assert.match(inspected.written[2], /groupname:1\n/, 'the rejected event again');
  assert.equal(inspected.steps, ['READY', 'SENT', 'RESULT+next', 'RESULT+next', 'RESULT+next', 'RESULT', 'READY', 'SENT', 'RESULT+next']);
  assert.equal(inspected.sends, inspected.steps);
  assert.equal(quiet.sends, ['READY', 'SENT', 'RESULT', 'READY', 'SENT'], 'the steps that change the state, and no other');
});

P('BusEvent keeps no serial until a pool takes it', () => {
  assert.is(new BusEvent('TICK_5', 'when:0').serial, null);
});

P.run();
