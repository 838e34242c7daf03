// The delayed events indexed by actor (src/runtime/timers.ts) behave as XState's own
// scheduler does: they fire, a cancel or a state exit cancels them, and an actor's stop
// cancels its own and no other's; the index forgets what fired or was cancelled.
import * as assert from 'uvu/assert';
import { assign, createActor, createMachine, sendTo, setup, SimulatedClock, spawnChild, stopChild, type AnyActorRef } from 'xstate';
import { TimerIndex } from '../../src/runtime/timers.ts';
import { suite } from '../harness.ts';

const test = suite('runtime/timers', {}, 5_000);

/** A child that tells its parent TICK every 100 ms while `waiting`, and leaves it on GO. */
const ticker = createMachine({
  initial: 'waiting',
  states: {
    waiting: {
      after: { 100: { target: 'waiting', reenter: true, actions: sendTo(({ self }: { self: AnyActorRef }) => self._parent!, { type: 'TICK' }) } },
      on: { GO: 'idle' },
    },
    idle: {},
  },
});

const parent = setup({ actors: { ticker } }).createMachine({
  context: { ticks: 0 },
  entry: [spawnChild('ticker', { id: 'a' }), spawnChild('ticker', { id: 'b' })],
  on: {
    TICK: { actions: assign({ ticks: ({ context }) => context.ticks + 1 }) },
    STOP_A: { actions: stopChild('a') },
    GO_B: { actions: sendTo('b', { type: 'GO' }) },
  },
});

function start() {
  const clock = new SimulatedClock();
  const timers = new TimerIndex(clock);
  const actor = createActor(parent, { clock: timers.clock });
  timers.attach(actor.system);
  actor.start();
  return { clock, timers, actor, ticks: () => actor.getSnapshot().context.ticks };
}

test('delayed events fire through the indexed clock, again after each re-entry', () => {
  const t = start();
  assert.is(t.timers.sources, 2);
  t.clock.increment(100);
  assert.is(t.ticks(), 2);
  t.clock.increment(100);
  assert.is(t.ticks(), 4);
  assert.is(t.timers.sources, 2, 'a fired timer is forgotten and the next one indexed');
});

test("an actor's stop cancels its own delayed events only", () => {
  const t = start();
  t.actor.send({ type: 'STOP_A' });
  assert.is(t.timers.sources, 1);
  for (let i = 0; i < 3; i++) t.clock.increment(100);
  assert.is(t.ticks(), 3, 'only b still ticks');
});

test('leaving the state cancels its delay and the index forgets it', () => {
  const t = start();
  t.actor.send({ type: 'GO_B' });
  assert.is(t.timers.sources, 1);
  t.clock.increment(100);
  assert.is(t.ticks(), 1);
  t.actor.send({ type: 'STOP_A' });
  assert.is(t.timers.sources, 0);
  t.clock.increment(1000);
  assert.is(t.ticks(), 1);
});

test.run();
