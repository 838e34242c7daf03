// Who hears of a process's state change (machines/emitted.ts): the tree's stream always;
// its group and the root only when they must act on it. Counted from the inspection
// stream, the events each actor receives: a change a group and the root add nothing to
// costs them no step, and stop_all tells each member once, not once per sibling's change,
// and hears of each member once, when it is down.
import * as assert from 'uvu/assert';
import type { InspectionEvent } from 'xstate';
import type { Dependency } from '../../src/config/ext-lifecycle.ts';
import type { GroupConfig, ProcessConfig, Supervision } from '../../src/config/types.ts';
import { suite } from '../harness.ts';
import { programConfig } from './fake-child.ts';
import { fakeTree } from './fake-tree.ts';

const R = suite('relays: a state change reaches the group and the root only when they listen');

const member = (name: string, deps: Dependency[] = []): ProcessConfig =>
  programConfig({ name, statevisor: { ...programConfig().statevisor, program: name, depends_on: deps } });

const group = (name: string, processes: ProcessConfig[], supervision: Partial<Supervision> = {}): GroupConfig =>
  ({ name, kind: 'program', priority: 999, processes, supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 5, ...supervision } });

/** Inspection events carry ActorRefLike, which does not declare the ids every actor has. */
const ids = (ref: unknown) => ref as { id: string; systemId?: string };

/** The tree, started and RUNNING, with the events each group and the root receive from now on, by type. */
function running(groups: GroupConfig[]) {
  const t = fakeTree(groups);
  t.actor.start();
  t.clock.increment(1000);
  const received: { to: string; type: string }[] = [];
  const key = (ref: unknown) => (ref === t.actor ? 'root' : ids(ref).systemId?.startsWith('group:') ? ids(ref).systemId! : null);
  t.actor.system.inspect((e: InspectionEvent) => {
    const to = e.type === '@xstate.event' ? key(e.actorRef) : null;
    if (to !== null && e.type === '@xstate.event') received.push({ to, type: e.event.type });
  });
  const relays = (to: string) => received.filter((r) => r.to === to && r.type === 'relay').length;
  const states = () => t.emitted.flatMap((e) => (e.type === 'state' ? [`${e.name}:${e.to}`] : []));
  return { ...t, received, relays, states };
}

R('one_for_one without depends_on: a crash and its restart are published, and neither the group nor the root takes a step', () => {
  const t = running([group('g', [member('a'), member('b')])]);
  const from = t.states().length;
  t.fake.exit('a', { code: 1 });
  assert.equal(t.states().slice(from), ['a:EXITED', 'a:STARTING']);
  assert.equal(t.received, []);
  t.actor.stop();
});

R('a supervised group hears of each member step; the root, without depends_on, does not', () => {
  const t = running([group('g', [member('a'), member('b')], { strategy: 'one_for_all' })]);
  t.fake.exit('a', { code: 1 });
  assert.ok(t.relays('group:g') > 0, 'the strategy decides the restart');
  assert.is(t.relays('root'), 0);
  t.actor.stop();
});

R('with depends_on the root hears of the steps, through the group, while RUNNING', () => {
  const t = running([group('db', [member('db')]), group('web', [member('web', [{ program: 'db', condition: 'running' }])])]);
  t.fake.exit('db', { code: 1 });
  assert.ok(t.relays('root') > 0);
  assert.is(t.relays('group:db'), t.relays('root') - t.relays('group:web'));
  t.actor.stop();
});

R('STOP_ALL of 50 members: one STOP each, and one relay per member, its STOPPED (a STOPPING moves the stop on not at all)', () => {
  const names = Array.from({ length: 50 }, (_, i) => `p_${i}`);
  const t = running([group('p', names.map((n) => member(n)))]);
  const stops: string[] = [];
  t.actor.system.inspect((e: InspectionEvent) => {
    if (e.type === '@xstate.event' && e.event.type === 'STOP' && ids(e.actorRef).systemId?.startsWith('process:')) stops.push(ids(e.actorRef).id);
  });
  const from = t.states().length;
  t.actor.send({ type: 'SHUTDOWN' });
  t.clock.increment(10);
  assert.is(t.actor.getSnapshot().value, 'stopped');
  assert.equal([...stops].sort(), [...names].sort());
  const steps = t.states().length - from;
  assert.is(steps, 100, 'STOPPING and STOPPED for each');
  assert.is(t.relays('group:p'), names.length);
  t.actor.stop();
});

R.run();
