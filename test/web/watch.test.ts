// ActorWatch when the tree is watched only part of the time (the page subscribes to the
// tree's inspection stream while a page or a view is open): the first transition seen
// after subscribing has its true origin, and what happened unwatched is not pretended.
import { createActor, createMachine } from 'xstate';
import * as assert from 'uvu/assert';
import { ActorWatch } from '../../src/web/watch.ts';
import { suite } from '../harness.ts';

const test = suite('web: actor watch');

const ring = createMachine({
  id: 'ring',
  initial: 'a',
  states: { a: { on: { GO: 'b' } }, b: { on: { GO: 'c' } }, c: { on: { GO: 'a' } } },
});
const edges = (watch: ActorWatch, key: string) => watch.history(key).map((t) => `${t.from}>${t.to}`);

test('a transition seen after subscribing starts from the state the actor was in', () => {
  const watch = new ActorWatch();
  const actor = createActor(ring, { systemId: 'ring' }).start();
  actor.send({ type: 'GO' }); // a → b, nobody watching
  const sub = actor.system.inspect(watch.observer);
  actor.send({ type: 'GO' });
  assert.equal(edges(watch, 'ring'), ['b>c']);
  sub.unsubscribe();
  actor.stop();
});

test('forget(): transitions made while unwatched leave no history and no stale origin', () => {
  const watch = new ActorWatch();
  const actor = createActor(ring, { systemId: 'ring' }).start();
  let sub = actor.system.inspect(watch.observer);
  actor.send({ type: 'GO' });
  assert.equal(edges(watch, 'ring'), ['a>b']);
  sub.unsubscribe();
  watch.forget();
  actor.send({ type: 'GO' }); // b → c, unwatched
  assert.equal(edges(watch, 'ring'), []);
  sub = actor.system.inspect(watch.observer);
  actor.send({ type: 'GO' });
  assert.equal(edges(watch, 'ring'), ['c>a'], 'from c, where the actor was, not b, where the watch last saw it');
  sub.unsubscribe();
  actor.stop();
});

test('an actor without observers makes no inspection events: the watch sees nothing', () => {
  const watch = new ActorWatch();
  let changes = 0;
  watch.notify(() => changes++);
  const actor = createActor(ring, { systemId: 'ring' }).start();
  actor.send({ type: 'GO' });
  actor.send({ type: 'GO' });
  assert.is(changes, 0);
  const sub = actor.system.inspect(watch.observer);
  actor.send({ type: 'GO' });
  assert.ok(changes > 0, 'seen once subscribed');
  sub.unsubscribe();
  actor.stop();
});

test.run();
