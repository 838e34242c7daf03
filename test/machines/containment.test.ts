// An actor of the tree that throws is its parent's to log, at CRIT with the stack, and the
// tree carries on: XState would otherwise pass the error up and end the root, and with it
// the daemon, every child orphaned.
import * as assert from 'uvu/assert';
import type { GroupConfig } from '../../src/config/types.ts';
import { suite } from '../harness.ts';
import type { LogLine } from '../../machines/emitted.ts';
import { programConfig } from './fake-child.ts';
import { fakeTree } from './fake-tree.ts';

const test = suite('machines: containment of a throwing actor', {}, 10_000);

const group = (name: string): GroupConfig => ({
  name, kind: 'program', priority: 999, processes: [programConfig({ name, startsecs: 0 })],
  supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 5 },
});

// What the thrower's own process does next is not decided here: it waits in STARTING for a
// report that never comes (the runtime's child actor catches what it can and reports a
// spawn error instead, src/runtime/child-actor.ts).
test('a child actor that throws: CRIT in the log, the other group runs on, the root answers', () => {
  const { clock, fake, actor: root, emitted } = fakeTree([group('bad'), group('good')]);
  fake.throwing.add('bad');
  let failed: unknown = null;
  root.subscribe({ error: (e) => (failed = e) });
  root.start();
  clock.increment(100);

  assert.is(failed, null, 'the root did not error');
  assert.is(root.getSnapshot().status, 'active');
  const crit = emitted.filter((e): e is LogLine => e.type === 'log' && e.level === 'CRIT');
  assert.is(crit.length, 1, JSON.stringify(crit));
  assert.match(crit[0]!.message, /^uncaptured exception in child: Error: the runtime broke\n\s+at /);
  assert.ok(emitted.some((e) => e.type === 'state' && e.name === 'good' && e.to === 'RUNNING'), 'good is RUNNING');
  root.send({ type: 'SHUTDOWN' });
  clock.increment(1000);
  assert.ok(emitted.some((e) => e.type === 'state' && e.name === 'good' && e.to === 'STOPPED'), 'good stopped for the shutdown');
  assert.is(root.getSnapshot().status, 'active');
});

test.run();
