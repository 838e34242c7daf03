// The process machine passes through every state it reports: each PROCESS_STATE change it
// emits is a microstep the inspector sees, in the same order (STARTING → RUNNING → EXITED
// for an exit after startsecs that beat its timer, STARTING → BACKOFF → STOPPED for a
// held stop through a failed spawn, BACKOFF → FATAL on the last retry).
import * as assert from 'uvu/assert';
import { createActor, fromCallback, SimulatedClock, type InspectionEvent } from 'xstate';
import type { ProcessConfig } from '../../src/config/types.ts';
import type { ProcessStateChange } from '../../machines/emitted.ts';
import { processMachine, type ChildInput, type ChildReport, type ChildRequest } from '../../machines/process.ts';
import { FakeChildren, programConfig } from './fake-child.ts';
import { suite } from '../harness.ts';

const BASE = 1_700_000_000_000;

/** The process actor's microsteps that changed its state, as FROM>TO, beside its state events. */
function watch(child: ReturnType<typeof fromCallback<ChildRequest, ChildInput, ChildReport>>, over: Partial<ProcessConfig> = {}) {
  const clock = new SimulatedClock();
  const steps: string[] = [];
  let last: string | null = null;
  const inspect = (e: InspectionEvent) => {
    if (e.type !== '@xstate.microstep') return;
    const value = (e.snapshot as { value?: unknown }).value;
    if (typeof value !== 'string') return;
    if (last !== null && last !== value) steps.push(`${last}>${value}`);
    last = value;
  };
  const states: string[] = [];
  const actor = createActor(processMachine.provide({ actors: { child } }), { clock, inspect, input: { config: programConfig(over), group: 'g' } });
  actor.on('state', (e: ProcessStateChange) => states.push(`${e.from}>${e.to}`));
  // The initial STOPPED is not a microstep of its own: count from there.
  last = 'STOPPED';
  actor.start();
  return { clock, actor, steps, states };
}

const S = suite('process machine: reported states are entered');

S('an exit after startsecs, before its timer: STARTING → RUNNING → EXITED, each entered', () => {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now() });
  const t = watch(fake.logic, { startsecs: 1, autorestart: 'false' });
  fake.exit('x', { code: 0, at: BASE + 1500 });
  assert.equal(t.states, ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>EXITED']);
  assert.equal(t.steps, t.states);
  assert.is(t.actor.getSnapshot().value, 'EXITED');
  t.actor.stop();
});

S('laststart in the future: STARTING → RUNNING → EXITED, each entered', () => {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now() });
  const t = watch(fake.logic, { startsecs: 1, autorestart: 'false' });
  fake.exit('x', { code: 0, at: BASE - 60_000 });
  assert.equal(t.states, ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>EXITED']);
  assert.equal(t.steps, t.states);
  t.actor.stop();
});

S('a held STOP through a failed spawn: STARTING → BACKOFF → STOPPED, each entered', () => {
  let report: (r: ChildReport) => void = () => {};
  const late = fromCallback<ChildRequest, ChildInput, ChildReport>(({ sendBack }) => { report = sendBack; });
  const t = watch(late);
  t.actor.send({ type: 'STOP' });
  report({ type: 'SPAWN_ERROR', message: 'no', at: BASE, mono: 0 });
  assert.equal(t.states, ['STOPPED>STARTING', 'STARTING>BACKOFF', 'BACKOFF>STOPPED']);
  assert.equal(t.steps, t.states);
  assert.is(t.actor.getSnapshot().value, 'STOPPED');
  t.actor.stop();
});

S('the last quick exit: STARTING → BACKOFF → FATAL, each entered', () => {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now() });
  const t = watch(fake.logic, { startsecs: 1, startretries: 0 });
  fake.exit('x', { code: 1 });
  assert.equal(t.states, ['STOPPED>STARTING', 'STARTING>BACKOFF', 'BACKOFF>FATAL']);
  assert.equal(t.steps, t.states);
  t.actor.stop();
});

S('a state event carries the report\'s wall-clock `at` and monotonic `mono`', () => {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now(), mono: () => 42 + clock.now() });
  const seen: ProcessStateChange[] = [];
  const actor = createActor(processMachine.provide({ actors: { child: fake.logic } }), { clock, input: { config: programConfig({ startsecs: 1 }), group: 'g' } });
  actor.on('state', (e: ProcessStateChange) => seen.push(e));
  actor.start();
  clock.increment(300);
  fake.exit('x', { code: 1 });
  const backoff = seen.find((e) => e.to === 'BACKOFF');
  assert.equal([backoff?.at, backoff?.mono], [BASE + 300, 342]);
  // A change a timer caused has neither.
  clock.increment(1000);
  const retry = seen.at(-1);
  assert.equal([retry?.from, retry?.to, retry?.at, retry?.mono], ['BACKOFF', 'STARTING', null, undefined]);
  actor.stop();
});

S.run();
