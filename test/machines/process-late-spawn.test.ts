// The process machine when SPAWNED comes back late, as it does when posix_spawn runs on
// another thread (src/runtime/posix-spawn.ts spawnLater): an autostart of many programs
// can take longer than startsecs before the first pid is known. Fake child, SimulatedClock.
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
    spawned: (pid: number) => report({ type: 'SPAWNED', pid, at: BASE, mono: 0 }),
    report: (r: ChildReport) => report(r),
    value: () => actor.getSnapshot().value,
    order: () => emitted.map((e) => (e.type === 'state' ? `[${e.to}]` : e.message)),
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

L('SPAWNED after startsecs would have passed: RUNNING only once the process has been up for startsecs', () => {
  const t = late({ startsecs: 1 });
  t.clock.increment(1500);
  t.spawned(42);
  assert.is(t.value(), 'STARTING');
  t.clock.increment(999);
  assert.is(t.value(), 'STARTING');
  t.clock.increment(1);
  assert.is(t.value(), 'RUNNING');
  assert.equal(t.order(), ['[STARTING]', "spawned: 'x' with pid 42", '[RUNNING]',
    'success: x entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)']);
  t.actor.stop();
});

L('SPAWNED late but within startsecs: startsecs counted from the spawn, not from STARTING', () => {
  const t = late({ startsecs: 1 });
  t.clock.increment(400);
  t.spawned(42);
  t.clock.increment(600);
  assert.is(t.value(), 'STARTING');
  t.clock.increment(399);
  assert.is(t.value(), 'STARTING');
  t.clock.increment(1);
  assert.is(t.value(), 'RUNNING');
  t.actor.stop();
});

L('an exit within startsecs of a late spawn is a start that failed (BACKOFF), however long STARTING lasted', () => {
  const t = late({ startsecs: 1 });
  t.clock.increment(1500);
  t.spawned(42);
  t.clock.increment(500);
  t.report({ type: 'EXITED', code: 1, signal: null, at: BASE + 500, mono: 0 });
  assert.is(t.value(), 'BACKOFF');
  assert.equal(t.order().slice(0, 3), ['[STARTING]', "spawned: 'x' with pid 42", '[BACKOFF]']);
  t.actor.stop();
});

L.run();
