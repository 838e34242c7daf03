// The group machine: membership, command order, relaying, each supervision strategy and
// the restart intensity window, with fake children and SimulatedClock.
import * as assert from 'uvu/assert';
import { createActor, SimulatedClock } from 'xstate';
import type { GroupConfig, ProcessConfig, Supervision } from '../../src/config/types.ts';
import { SupervisorStates } from '../../src/states.ts';
import type { GroupEmitted, ProcessStateChange } from '../../machines/emitted.ts';
import { FakeChildren, programConfig, type KillOutcome } from './fake-child.ts';
import { groupMachine } from '../../machines/group.ts';
import { processMachine } from '../../machines/process.ts';
import { suite } from '../harness.ts';

const BASE = 1_700_000_000_000;
const SIGTERM = 15;
const SIGUSR1 = 10;
const SIGKILL = 9;

function group(members: Partial<ProcessConfig>[], supervision: Partial<Supervision> = {}): GroupConfig {
  return {
    name: 'g', kind: 'group', priority: 999,
    processes: members.map((m) => programConfig(m)),
    supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 5, ...supervision },
  };
}

const abc = (over: Partial<ProcessConfig> = {}) => [
  { name: 'a', priority: 1, ...over }, { name: 'b', priority: 2, ...over }, { name: 'c', priority: 3, ...over },
];

function start(config: GroupConfig, opts: { onKill?: (name: string, sig: number) => KillOutcome; mood?: 1 | 0 | -1 } = {}) {
  const clock = new SimulatedClock();
  // Children die 10 ms after a signal, as real ones take a moment to.
  const fake = new FakeChildren({
    now: () => BASE + clock.now(), onKill: opts.onKill ?? (() => ({ dieAfter: 10 })), schedule: (fn, ms) => clock.setTimeout(fn, ms),
  });
  const emitted: GroupEmitted[] = [];
  const machine = groupMachine.provide({ actors: { process: processMachine.provide({ actors: { child: fake.logic } }) } });
  const actor = createActor(machine, { clock, input: { config, mood: opts.mood, publish: (e) => emitted.push(e) }, systemId: 'group:g' });
  actor.start();
  const states = () => emitted.filter((e): e is ProcessStateChange => e.type === 'state');
  return {
    clock, fake, actor, emitted,
    trail: () => states().map((e) => `${e.name}:${e.from}>${e.to}`),
    since: (n: number) => states().slice(n).map((e) => `${e.name}:${e.from}>${e.to}`),
    count: () => states().length,
    member: (name: string) => actor.system.get(`process:g:${name}`)?.getSnapshot().value as string | undefined,
    spawnerr: (name: string) => (actor.system.get(`process:g:${name}`)?.getSnapshot().context as { spawnerr: string | null }).spawnerr,
    logs: () => emitted.flatMap((e) => (e.type === 'log' ? [`${e.level} ${e.message}`] : [])),
    /** Let every member pass startsecs. */
    up: () => clock.increment(1000),
  };
}
const G = suite('group machine');

G('members are spawned with systemId process:<group>:<name> and autostart in config order', () => {
  const t = start(group([{ name: 'b', priority: 2 }, { name: 'a', priority: 1 }]));
  assert.equal(t.trail(), ['b:STOPPED>STARTING', 'a:STOPPED>STARTING']);
  assert.is(t.member('a'), 'STARTING');
  assert.is(t.member('b'), 'STARTING');
  t.actor.stop();
});

G('relays member events unchanged and in order, logs included', () => {
  const t = start(group([{ name: 'a' }]));
  assert.equal(t.emitted.map((e) => (e.type === 'state' ? `[${e.to}]` : e.message)), ['[STARTING]', "spawned: 'a' with pid 1000"]);
  t.actor.stop();
});

G('START without a name starts every member in ascending priority', () => {
  const t = start(group([{ name: 'c', priority: 3, autostart: false }, { name: 'a', priority: 1, autostart: false }, { name: 'b', priority: 2, autostart: false }]));
  t.actor.send({ type: 'START' });
  assert.equal(t.trail(), ['a:STOPPED>STARTING', 'b:STOPPED>STARTING', 'c:STOPPED>STARTING']);
  t.actor.stop();
});

G('START with a name starts that member only', () => {
  const t = start(group(abc({ autostart: false })));
  t.actor.send({ type: 'START', name: 'b' });
  assert.equal(t.trail(), ['b:STOPPED>STARTING']);
  t.actor.stop();
});

G('STOP without a name stops members in ascending priority, as supervisor does', () => {
  const t = start(group(abc()), { onKill: () => 'ignore' });
  t.up();
  const n = t.count();
  t.actor.send({ type: 'STOP' });
  assert.equal(t.since(n), ['a:RUNNING>STOPPING', 'b:RUNNING>STOPPING', 'c:RUNNING>STOPPING']);
  t.actor.stop();
});

G('SIGNAL is forwarded to the named member', () => {
  const t = start(group(abc()), { onKill: () => 'ignore' });
  t.up();
  t.actor.send({ type: 'SIGNAL', name: 'b', signal: SIGUSR1 });
  assert.equal(t.fake.kills.map((k) => [k.name, k.signal, k.group]), [['b', SIGUSR1, false]]);
  t.actor.stop();
});

G('one_for_one without max_restarts: the member restarts itself, others untouched', () => {
  const t = start(group(abc()));
  t.up();
  const n = t.count();
  t.fake.exit('b', { code: 1 });
  assert.equal(t.since(n), ['b:RUNNING>EXITED', 'b:EXITED>STARTING']);
  assert.is(t.actor.getSnapshot().value, 'running');
  t.actor.stop();
});

G('one_for_all: the others stop in reverse priority, then all start in priority order', () => {
  const t = start(group(abc(), { strategy: 'one_for_all' }));
  t.up();
  const n = t.count();
  t.fake.exit('b', { code: 1 });
  t.clock.increment(10);
  assert.equal(t.since(n), [
    'b:RUNNING>EXITED',
    'c:RUNNING>STOPPING', 'a:RUNNING>STOPPING', 'c:STOPPING>STOPPED', 'a:STOPPING>STOPPED',
    'a:STOPPED>STARTING', 'b:EXITED>STARTING', 'c:STOPPED>STARTING',
  ]);
  assert.ok(t.logs().includes('INFO one_for_all: b exited in group g, restarting a, b, c'));
  t.actor.stop();
});

G('one_for_all: the restart waits until every victim has stopped', () => {
  const t = start(group(abc(), { strategy: 'one_for_all' }), { onKill: () => 'ignore' });
  t.up();
  t.fake.exit('b', { code: 1 });
  assert.is(t.actor.getSnapshot().value, 'restarting');
  t.fake.exit('c', { signal: SIGTERM });
  assert.is(t.member('b'), 'EXITED');
  t.fake.exit('a', { signal: SIGTERM });
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['STARTING', 'STARTING', 'STARTING']);
  assert.is(t.actor.getSnapshot().value, 'running');
  t.actor.stop();
});

G('one_for_all: a member the user stopped is not started again', () => {
  const t = start(group(abc(), { strategy: 'one_for_all' }));
  t.up();
  t.actor.send({ type: 'STOP', name: 'a' });
  t.clock.increment(10);
  t.fake.exit('b', { code: 1 });
  t.clock.increment(10);
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['STOPPED', 'STARTING', 'STARTING']);
  t.actor.stop();
});

G('rest_for_one: only the members after the dead one go down with it', () => {
  const t = start(group(abc(), { strategy: 'rest_for_one' }));
  t.up();
  const n = t.count();
  t.fake.exit('b', { code: 1 });
  t.clock.increment(10);
  assert.equal(t.since(n), ['b:RUNNING>EXITED', 'c:RUNNING>STOPPING', 'c:STOPPING>STOPPED', 'b:EXITED>STARTING', 'c:STOPPED>STARTING']);
  assert.is(t.member('a'), 'RUNNING');
  t.actor.stop();
});

G('rest_for_one: the last member dying restarts alone', () => {
  const t = start(group(abc(), { strategy: 'rest_for_one' }));
  t.up();
  const n = t.count();
  t.fake.exit('c', { code: 1 });
  assert.equal(t.since(n), ['c:RUNNING>EXITED', 'c:EXITED>STARTING']);
  t.actor.stop();
});

G('a second exit during a restart joins the plan; all start in priority order once down', () => {
  const t = start(group(abc(), { strategy: 'rest_for_one' }), { onKill: () => 'ignore' });
  t.up();
  t.fake.exit('b', { code: 1 });
  assert.is(t.member('c'), 'STOPPING');
  const n = t.count();
  t.fake.exit('a', { code: 1 });
  t.fake.exit('c', { signal: SIGTERM });
  assert.equal(t.since(n), ['a:RUNNING>EXITED', 'c:STOPPING>STOPPED', 'a:EXITED>STARTING', 'b:EXITED>STARTING', 'c:STOPPED>STARTING']);
  assert.is(t.actor.getSnapshot().value, 'running');
  t.actor.stop();
});

G('a restart planned before a shutdown is dropped: no member starts once stopping', () => {
  const t = start(group(abc(), { strategy: 'one_for_all' }), { onKill: () => 'ignore' });
  t.up();
  t.fake.exit('b', { code: 1 });
  t.actor.send({ type: 'MOOD', mood: SupervisorStates.SHUTDOWN });
  t.fake.exit('a', { signal: SIGTERM });
  t.fake.exit('c', { signal: SIGTERM });
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['STOPPED', 'EXITED', 'STOPPED']);
  assert.is(t.actor.getSnapshot().value, 'running');
  t.actor.stop();
});

G('strategies apply only to exits that call for a restart (autorestart=unexpected, expected code)', () => {
  const t = start(group(abc(), { strategy: 'one_for_all' }));
  t.up();
  const n = t.count();
  t.fake.exit('b', { code: 0 });
  assert.equal(t.since(n), ['b:RUNNING>EXITED']);
  t.actor.stop();
});

G('one_for_one with max_restarts: the group restarts the member while within the limit', () => {
  const t = start(group([{ name: 'a' }], { max_restarts: 2, restart_window: 10 }));
  t.up();
  for (let i = 0; i < 2; i++) { t.fake.exit('a', { code: 1 }); t.up(); }
  assert.is(t.member('a'), 'RUNNING');
  assert.equal(t.actor.getSnapshot().context.restarts.length, 2);
  t.actor.stop();
});

G('intensity exceeded: members stop in reverse priority and all go FATAL, with the reason logged', () => {
  const t = start(group(abc(), { max_restarts: 1, restart_window: 10 }));
  t.up();
  t.fake.exit('b', { code: 1 });
  t.up();
  const n = t.count();
  t.fake.exit('b', { code: 1 });
  t.clock.increment(10);
  assert.equal(t.since(n), [
    'b:RUNNING>EXITED', 'c:RUNNING>STOPPING', 'a:RUNNING>STOPPING', 'c:STOPPING>STOPPED', 'a:STOPPING>STOPPED',
    'a:STOPPED>FATAL', 'b:EXITED>FATAL', 'c:STOPPED>FATAL',
  ]);
  assert.ok(t.logs().includes('WARN gave up: group g exceeded max_restarts=1 within restart_window=10 seconds; stopping its processes and marking them FATAL'));
  assert.is(t.spawnerr('b'), 'group g exceeded max_restarts=1 within restart_window=10 seconds');
  assert.is(t.actor.getSnapshot().value, 'running');
  t.actor.send({ type: 'START', name: 'b' });
  assert.is(t.member('b'), 'STARTING', 'members can be started by hand afterwards');
  t.actor.stop();
});

G('intensity with max_restarts=0: the first restart is already too many', () => {
  const t = start(group([{ name: 'a' }], { max_restarts: 0 }));
  t.up();
  t.fake.exit('a', { code: 1 });
  assert.is(t.member('a'), 'FATAL');
  t.actor.stop();
});

G('intensity window slides: restarts older than restart_window no longer count', () => {
  const t = start(group([{ name: 'a' }], { max_restarts: 1, restart_window: 5 }));
  t.up();
  t.fake.exit('a', { code: 1 });
  t.up();
  t.clock.increment(5000);
  t.fake.exit('a', { code: 1 });
  assert.is(t.member('a'), 'STARTING', '6 s apart with a 5 s window: one restart in the window');
  t.up();
  t.fake.exit('a', { code: 1 });
  assert.is(t.member('a'), 'FATAL', '1 s later: two restarts within 5 s');
  t.actor.stop();
});

G('STOP_ALL: members stop in descending priority; BACKOFF goes FATAL; then the group is stopped', () => {
  const t = start(group(abc()), { onKill: () => 'ignore' });
  t.up();
  t.actor.send({ type: 'MOOD', mood: SupervisorStates.SHUTDOWN });
  t.fake.exit('a', { code: 1 });
  t.actor.send({ type: 'START', name: 'a' });
  t.fake.exit('a', { code: 1 });
  assert.is(t.member('a'), 'BACKOFF');
  const n = t.count();
  t.actor.send({ type: 'STOP_ALL' });
  assert.equal(t.since(n), ['c:RUNNING>STOPPING', 'b:RUNNING>STOPPING', 'a:BACKOFF>FATAL']);
  assert.is(t.actor.getSnapshot().value, 'stoppingAll');
  t.fake.exit('b', { signal: SIGTERM });
  t.fake.exit('c', { signal: SIGTERM });
  assert.is(t.actor.getSnapshot().value, 'stopped');
  t.actor.stop();
});

G('STOP_ALL hears of each member once it is down, in the order they exit; a stubborn one holds the group until its SIGKILL', () => {
  const t = start(group(abc({ stopwaitsecs: 5 })), { onKill: (_name, sig) => (sig === SIGKILL ? 'die' : 'ignore') });
  t.up();
  const relays: string[] = [];
  t.actor.system.inspect((e) => {
    if (e.type === '@xstate.event' && e.actorRef === t.actor && e.event.type === 'relay') {
      relays.push(...(e.event as unknown as { events: GroupEmitted[] }).events.flatMap((x) => (x.type === 'state' ? [`${x.name}:${x.to}`] : [])));
    }
  });
  t.actor.send({ type: 'MOOD', mood: SupervisorStates.SHUTDOWN });
  const n = t.count();
  t.actor.send({ type: 'STOP_ALL' });
  assert.equal(t.since(n), ['c:RUNNING>STOPPING', 'b:RUNNING>STOPPING', 'a:RUNNING>STOPPING']);
  t.fake.exit('a', { signal: SIGTERM });
  t.fake.exit('c', { signal: SIGTERM });
  assert.is(t.actor.getSnapshot().value, 'stoppingAll', 'b is still STOPPING');
  t.clock.increment(5000);
  assert.equal(t.since(n).slice(3), ['a:STOPPING>STOPPED', 'c:STOPPING>STOPPED', 'b:STOPPING>STOPPED']);
  assert.equal(relays, ['a:STOPPED', 'c:STOPPED', 'b:STOPPED']);
  assert.is(t.actor.getSnapshot().value, 'stopped');
  t.actor.stop();
});

G('STOP_ALL on a group with nothing running is stopped at once', () => {
  const t = start(group(abc({ autostart: false })));
  t.actor.send({ type: 'STOP_ALL' });
  assert.is(t.actor.getSnapshot().value, 'stopped');
  assert.equal(t.trail(), []);
  t.actor.stop();
});

G('MOOD reaches every member: no autorestart once the supervisor stops', () => {
  const t = start(group(abc({ autorestart: 'true' })));
  t.up();
  t.actor.send({ type: 'MOOD', mood: SupervisorStates.RESTARTING });
  t.fake.exit('a', { code: 0 });
  assert.is(t.member('a'), 'EXITED');
  t.actor.stop();
});

G('members created under a stopping supervisor do not autostart', () => {
  const t = start(group(abc()), { mood: SupervisorStates.SHUTDOWN });
  assert.equal(t.trail(), []);
  t.actor.stop();
});

G.run();
