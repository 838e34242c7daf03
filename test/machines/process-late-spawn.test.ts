// The process machine when SPAWNED comes back late, as it does when posix_spawn runs on
// another thread (src/runtime/posix-spawn.ts spawnLater): an autostart of many programs
// can take longer than startsecs before the first pid is known. laststart (SPAWNED's `at`)
// is when the spawn was handed to the pool, as supervisor's is just before its fork, and
// startsecs counts from it (process.py transition: `now - laststart > startsecs`).
// Fake child, SimulatedClock: the clock's ms 0 is BASE on the wall clock.
import * as assert from 'uvu/assert';
import { createActor, fromCallback, SimulatedClock } from 'xstate';
import type { ProcessConfig } from '../../src/config/types.ts';
import type { ProcessEmitted } from '../../machines/emitted.ts';
import { processMachine, type ChildInput, type ChildReport, type ChildRequest } from '../../machines/process.ts';
import { programConfig } from './fake-child.ts';
import { suite } from '../harness.ts';

const BASE = 1_700_000_000_000;

/** A process whose child reports only when the test says so. */
function late(over: Partial<ProcessConfig> = {}) {
  const clock = new SimulatedClock();
  let report: (r: ChildReport) => void = () => {};
  const child = fromCallback<ChildRequest, ChildInput, ChildReport>(({ sendBack }) => { report = sendBack; });
  const emitted: ProcessEmitted[] = [];
  const actor = createActor(processMachine.provide({ actors: { child } }), { clock, input: { config: programConfig(over), group: 'g' } });
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  return {
    clock, actor,
    /** The pid comes back now; the spawn was handed to the pool at clock ms `handed` (laststart). */
    spawned: (pid: number, handed = 0) => report({ type: 'SPAWNED', pid, at: BASE + handed, mono: clock.now(), age: clock.now() - handed }),
    /** Reaped at `at` on the wall clock (default: the clock's now). */
    exited: (at = BASE + clock.now()) => report({ type: 'EXITED', code: 1, signal: null, at, mono: clock.now() }),
    value: () => actor.getSnapshot().value,
    order: () => emitted.map((e) => (e.type === 'state' ? `[${e.to}]` : e.message)),
    /** The time a log line carries (when it happened). */
    stamp: (prefix: string) => emitted.find((e) => e.type === 'log' && e.message.startsWith(prefix))?.at,
  };
}

const L = suite('process machine, SPAWNED late');

L('startsecs passing before SPAWNED does not make a process without a pid RUNNING', () => {
  const t = late({ startsecs: 1 });
  t.clock.increment(1500);
  assert.is(t.value(), 'STARTING');
  assert.equal(t.order(), ['[STARTING]']);
  assert.is(t.actor.getSnapshot().context.pid, 0);
  t.actor.stop();
});

L('SPAWNED back within startsecs: RUNNING at laststart + startsecs, not at its return + startsecs', () => {
  const t = late({ startsecs: 1 });
  t.clock.increment(400);
  t.spawned(42);
  assert.is(t.actor.getSnapshot().context.laststart, BASE, "laststart (getProcessInfo's start) is the hand-over, not the return");
  // supervisor writes it right after its fork: stamped with laststart, not when the pid was read
  assert.is(t.stamp('spawned:'), BASE);
  t.clock.increment(599);
  assert.is(t.value(), 'STARTING');
  t.clock.increment(1);
  assert.is(t.value(), 'RUNNING');
  assert.equal(t.order(), ['[STARTING]', "spawned: 'x' with pid 42", '[RUNNING]',
    'success: x entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)']);
  t.actor.stop();
});

L('SPAWNED back after laststart + startsecs: RUNNING in the same step as its spawned: line', () => {
  const t = late({ startsecs: 1 });
  t.clock.increment(1500);
  t.spawned(42);
  assert.is(t.value(), 'RUNNING');
  assert.equal(t.order(), ['[STARTING]', "spawned: 'x' with pid 42", '[RUNNING]',
    'success: x entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)']);
  assert.is(t.actor.getSnapshot().context.laststart, BASE);
  t.actor.stop();
});

L('a spawn handed to the pool after STARTING began: startsecs counts from the hand-over', () => {
  const t = late({ startsecs: 1 });
  t.clock.increment(1500);
  t.spawned(42, 1000);
  assert.is(t.actor.getSnapshot().context.laststart, BASE + 1000);
  t.clock.increment(499);
  assert.is(t.value(), 'STARTING');
  t.clock.increment(1);
  assert.is(t.value(), 'RUNNING');
  t.actor.stop();
});

L('an exit before laststart + startsecs is a start that failed (BACKOFF), however long STARTING lasted', () => {
  const t = late({ startsecs: 1 });
  t.clock.increment(1500);
  t.spawned(42, 1000);
  t.clock.increment(499);
  t.exited();
  assert.is(t.value(), 'BACKOFF');
  assert.equal(t.order().slice(0, 3), ['[STARTING]', "spawned: 'x' with pid 42", '[BACKOFF]']);
  t.actor.stop();
});

L('an exit reaped at laststart + startsecs, before the timer fired, is an exit from RUNNING', () => {
  const t = late({ startsecs: 1, autorestart: 'false' });
  t.clock.increment(400);
  t.spawned(42);
  t.clock.increment(599);
  assert.is(t.value(), 'STARTING');
  t.exited(BASE + 1000);
  assert.is(t.value(), 'EXITED');
  assert.equal(t.order().slice(0, 4), ['[STARTING]', "spawned: 'x' with pid 42", '[RUNNING]', '[EXITED]']);
  t.actor.stop();
});

L.run();
