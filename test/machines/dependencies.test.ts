// depends_on: the pure functions of machines/dependencies.ts and backoff.ts, then the
// whole tree (root, groups, processes) with fake children and the SimulatedClock: start
// gating across groups and numprocs, the three conditions, a FATAL dependency, and the
// order groups stop in at shutdown.
import * as assert from 'uvu/assert';
import type { Dependency } from '../../src/config/ext-lifecycle.ts';
import type { GroupConfig, ProcessConfig } from '../../src/config/types.ts';
import { jitterFactor, restartDelayMs, startBackoffMs } from '../../machines/backoff.ts';
import { dependencyIndex, dependencyStatus, dependentsOf, groupStopSequence, touchedPrograms, withDependencies, type MemberFacts } from '../../machines/dependencies.ts';
import { suite } from '../harness.ts';
import { programConfig } from './fake-child.ts';
import { fakeTree } from './fake-tree.ts';

const D = suite('dependencies and backoff');

const on = (program: string, condition: Dependency['condition'] = 'running'): Dependency => ({ program, condition });
const facts = (state: MemberFacts['state'], pid = 0, exitOk = false): MemberFacts => ({ state, pid, exitOk });

D('dependencyStatus: every process of the program must hold; the first failure wins', () => {
  const members: Record<string, MemberFacts[]> = { db: [facts('RUNNING', 1), facts('STARTING', 2)], mig: [facts('EXITED', 0, true)] };
  assert.equal(dependencyStatus([on('db'), on('mig', 'completed')], (p) => members[p]), { waiting: 'waiting for db (running)', failed: null });
  members.db[1] = facts('RUNNING', 2);
  assert.equal(dependencyStatus([on('db'), on('mig', 'completed')], (p) => members[p]), { waiting: null, failed: null });
  assert.equal(dependencyStatus([on('db', 'started')], () => [facts('STARTING', 0)]), { waiting: 'waiting for db (started)', failed: null });
  assert.equal(dependencyStatus([on('db', 'started')], () => [facts('STARTING', 7)]), { waiting: null, failed: null });
  assert.equal(dependencyStatus([on('db')], () => [facts('FATAL')]), { waiting: null, failed: 'dependency db is FATAL' });
  assert.equal(dependencyStatus([on('mig', 'completed')], () => [facts('EXITED', 0, false)]), { waiting: null, failed: 'dependency mig exited with an unexpected status' });
});

D('withDependencies / dependentsOf: transitive, in start and stop order', () => {
  const graph = new Map([['web', ['db', 'cache']], ['cache', ['db']], ['db', []], ['worker', ['web']]]);
  assert.equal(withDependencies(graph, 'worker'), ['db', 'cache', 'web', 'worker']);
  assert.equal(dependentsOf(graph, 'db'), ['worker', 'web', 'cache']);
  assert.equal(dependentsOf(graph, 'worker'), []);
});

D('groupStopSequence: priority order, except that a group waits for the groups that depend on it', () => {
  const g = (name: string, deps: string[] = []): GroupConfig => ({
    name, kind: 'program', priority: 999, supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 5 },
    processes: [programConfig({ name, statevisor: { ...programConfig().statevisor, program: name, depends_on: deps.map((d) => on(d)) } })],
  });
  const groups = { db: g('db'), web: g('web', ['db']), other: g('other') };
  assert.equal(groupStopSequence(['db', 'other', 'web'], groups), ['other', 'web', 'db']);
});

D('backoff: linear 1, 2, 3; exponential 1, 2, 4 capped; jitter within its fraction and fixed per name and try', () => {
  const o = { backoff: 'linear' as const, backoff_max: null, backoff_jitter: 0 };
  assert.equal([1, 2, 3, 4].map((n) => startBackoffMs(o, n, 'x')), [1000, 2000, 3000, 4000]);
  assert.equal([1, 2, 3, 4, 5].map((n) => startBackoffMs({ ...o, backoff: 'exponential', backoff_max: 10 }, n, 'x')), [1000, 2000, 4000, 8000, 10000]);
  assert.equal([1, 2, 3].map((n) => startBackoffMs({ ...o, backoff_max: 2 }, n, 'x')), [1000, 2000, 2000]);
  for (let n = 1; n < 50; n++) {
    const f = jitterFactor(0.25, `p${n}`, n);
    assert.ok(f >= 0.75 && f <= 1.25, String(f));
    assert.is(f, jitterFactor(0.25, `p${n}`, n));
  }
  assert.is.not(jitterFactor(0.5, 'a', 1), jitterFactor(0.5, 'b', 1));
  assert.equal([1, 2, 3].map((n) => restartDelayMs({ ...o, restart_delay: 2 }, n, 'x')), [2000, 2000, 2000]);
  assert.equal([1, 2, 3, 4].map((n) => restartDelayMs({ ...o, backoff: 'exponential', backoff_max: 10, restart_delay: 2 }, n, 'x')), [2000, 4000, 8000, 10000]);
  assert.is(restartDelayMs({ ...o, backoff: 'exponential', restart_delay: 0 }, 5, 'x'), 0);
});

D('dependencyIndex / touchedPrograms: a relay concerns the programs of the processes it names, spawns included', () => {
  const g = (name: string, processes: ProcessConfig[]): GroupConfig => ({ name, kind: 'program', priority: 1, processes, supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 5 } });
  const index = dependencyIndex([
    g('db', [member('db_0', 'db'), member('db_1', 'db')]),
    g('stack', [member('web', 'web', [on('db')])]),
  ]);
  assert.equal(index.dependents, [{ group: 'stack', name: 'web', deps: [on('db')] }]);
  assert.equal(index.members.get('db'), [{ group: 'db', name: 'db_0' }, { group: 'db', name: 'db_1' }]);
  const state = { type: 'state', name: 'db_1', group: 'db', from: 'STOPPED', to: 'STARTING', pid: 0, tries: 0, expected: true, restart: false, at: null } as const;
  assert.equal([...touchedPrograms(index, [state])], ['db']);
  assert.equal([...touchedPrograms(index, [{ type: 'log', level: 'INFO', message: "spawned: 'web' with pid 7" }])], ['web']);
  assert.equal([...touchedPrograms(index, [{ type: 'log', level: 'INFO', message: 'success: web entered RUNNING state' }])], []);
});

// The whole tree.

function member(name: string, program: string, deps: Dependency[] = [], over: Partial<ProcessConfig> = {}): ProcessConfig {
  return programConfig({ name, startsecs: 1, ...over, statevisor: { ...programConfig().statevisor, program, depends_on: deps } });
}

const groupOf = (name: string, processes: ProcessConfig[], priority = 999): GroupConfig =>
  ({ name, kind: 'program', priority, processes, supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 5 } });

function tree(groups: GroupConfig[]) {
  const { clock, fake, actor, emitted } = fakeTree(groups);
  actor.start();
  return {
    clock, fake, actor,
    spawned: () => fake.spawns.map((s) => s.name),
    states: () => emitted.flatMap((e) => (e.type === 'state' ? [`${e.name}:${e.to}`] : [])),
    ctx: (g: string, n: string) => actor.system.get(`process:${g}:${n}`)!.getSnapshot(),
  };
}

D('start gating across groups and numprocs: web waits for both db processes, and for the migration to complete', () => {
  const t = tree([
    groupOf('db', [member('db_0', 'db'), member('db_1', 'db')], 10),
    groupOf('migrate', [member('migrate', 'migrate', [on('db')], { autorestart: 'false', startsecs: 0 })], 20),
    groupOf('stack', [member('web', 'web', [on('db'), on('migrate', 'completed')])], 30),
  ]);
  assert.equal(t.spawned(), ['db_0', 'db_1']);
  assert.is(t.ctx('stack', 'web').context.waiting, 'waiting for db (running), migrate (completed)');
  t.clock.increment(1000);
  assert.equal(t.spawned(), ['db_0', 'db_1', 'migrate']);
  assert.is(t.ctx('stack', 'web').value, 'STOPPED');
  assert.is(t.ctx('stack', 'web').context.waiting, 'waiting for migrate (completed)');
  t.fake.exit('migrate', { code: 0 });
  assert.equal(t.spawned(), ['db_0', 'db_1', 'migrate', 'web']);
  t.actor.stop();
});

D('shutdown inside one [group:x]: a member waits for the members that depend on it, whatever the priorities', () => {
  // web has the lower priority, so supervisor's order alone would stop db first.
  const t = tree([groupOf('stack', [member('web', 'web', [on('db')], { priority: 1 }), member('db', 'db', [], { priority: 2 })])]);
  t.clock.increment(1000);
  t.clock.increment(1000);
  assert.equal(t.states().filter((s) => s.endsWith('RUNNING')), ['db:RUNNING', 'web:RUNNING']);
  const from = t.states().length;
  t.actor.send({ type: 'SHUTDOWN' });
  assert.equal(t.states().slice(from), ['web:STOPPING'], 'db waits while web is up');
  t.clock.increment(10);
  assert.equal(t.states().slice(from), ['web:STOPPING', 'web:STOPPED', 'db:STOPPING']);
  t.clock.increment(10);
  assert.is(t.actor.getSnapshot().value, 'stopped');
  t.actor.stop();
});

D('started: the dependent starts once the dependency has been spawned, before its startsecs', () => {
  const t = tree([groupOf('db', [member('db', 'db', [], { startsecs: 10 })]), groupOf('web', [member('web', 'web', [on('db', 'started')])])]);
  assert.equal(t.spawned(), ['db', 'web']);
  assert.is(t.ctx('db', 'db').value, 'STARTING');
  t.actor.stop();
});

D('a FATAL dependency: the waiting process goes FATAL naming it, and nothing is spawned for it', () => {
  const t = tree([
    groupOf('db', [member('db', 'db', [], { startretries: 0 })]),
    groupOf('web', [member('web', 'web', [on('db')])]),
    groupOf('worker', [member('worker', 'worker', [on('web')])]),
  ]);
  t.fake.exit('db', { code: 1 });
  assert.equal(t.states().filter((s) => s.endsWith('FATAL')), ['db:FATAL', 'web:FATAL', 'worker:FATAL']);
  assert.is(t.ctx('web', 'web').context.spawnerr, 'dependency db is FATAL');
  assert.is(t.ctx('worker', 'worker').context.spawnerr, 'dependency web is FATAL');
  assert.equal(t.spawned(), ['db']);
  t.actor.stop();
});

D('shutdown stops the dependent group before its dependency, whatever their priorities', () => {
  // db has the higher priority number, so supervisor alone would stop it first.
  const t = tree([groupOf('db', [member('db', 'db')], 50), groupOf('web', [member('web', 'web', [on('db')])], 10)]);
  t.clock.increment(1000);
  t.clock.increment(1000);
  assert.equal(t.spawned(), ['db', 'web']);
  const from = t.states().length;
  t.actor.send({ type: 'SHUTDOWN' });
  t.clock.increment(100);
  t.clock.increment(100);
  assert.equal(t.states().slice(from), ['web:STOPPING', 'web:STOPPED', 'db:STOPPING', 'db:STOPPED']);
});

D.run();
