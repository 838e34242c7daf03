// choose() (machines/choose.ts) rests on the hook XState's own built-in actions use: these
// tests hold the installed XState to what the process machine needs of it.
import * as assert from 'uvu/assert';
import { assign, createActor, emit, raise, setup, SimulatedClock } from 'xstate';
import { choose, type ChooseArgs } from '../../machines/choose.ts';
import { suite } from '../harness.ts';

interface Ctx { n: number; seen: number[] }
type Ev = { type: 'GO'; pick: boolean } | { type: 'LATER' };

const machine = setup({
  types: { context: {} as Ctx, events: {} as Ev, emitted: {} as { type: 'told'; n: number } },
  delays: { soon: 100 },
  actions: {
    bump: assign(({ context }) => ({ n: context.n + 1 })),
    /** Picks only when the event says so; reads the context the row's earlier actions left. */
    maybe: choose(({ context, event }: ChooseArgs<Ctx, Ev>, p: { by: number }) => {
      if (event.type !== 'GO' || !event.pick) return undefined;
      return [
        assign({ n: context.n + p.by }),
        'bump',
        emit({ type: 'told', n: context.n }),
        raise<Ctx, Ev, Ev, undefined, 'soon', 'soon'>({ type: 'LATER' }, { delay: 'soon', id: 'later' }),
      ];
    }),
  },
}).createMachine({
  context: { n: 0, seen: [] },
  on: {
    GO: { actions: ['bump', { type: 'maybe', params: { by: 10 } }, assign(({ context }) => ({ seen: [...context.seen, context.n] }))] },
    LATER: { actions: assign(({ context }) => ({ seen: [...context.seen, -context.n] })) },
  },
});

const test = suite('choose: an action that stands for the actions it picks');

test('picked actions run in order, in place, each on the context the previous left; the timer is the machine\'s named delay', () => {
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock });
  const told: number[] = [];
  actor.on('told', (e) => told.push(e.n));
  actor.start();
  actor.send({ type: 'GO', pick: true });
  // bump (1), then maybe: n = 1 + 10, bump (12), emit with the context as picked (1); then the row's last action sees 12.
  assert.equal(actor.getSnapshot().context, { n: 12, seen: [12] });
  assert.equal(told, [1]);
  clock.increment(99);
  assert.equal(actor.getSnapshot().context.seen, [12]);
  clock.increment(1);
  assert.equal(actor.getSnapshot().context.seen, [12, -12]);
  actor.stop();
});

test('picking nothing runs nothing and keeps the snapshot the rest of the row made', () => {
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock }).start();
  const told: number[] = [];
  actor.on('told', (e) => told.push(e.n));
  actor.send({ type: 'GO', pick: false });
  assert.equal(actor.getSnapshot().context, { n: 1, seen: [1] });
  clock.increment(1000);
  assert.equal(actor.getSnapshot().context.seen, [1]);
  assert.equal(told, []);
  actor.stop();
});

test.run();
