// The root machine: start order, moods, shutdown/reload stopping groups one at a time in
// descending priority, the shutdown report, adding and removing groups. Fake children,
// SimulatedClock, no real time.
import * as assert from 'uvu/assert';
import type { GroupConfig, ProcessConfig } from '../../src/config/types.ts';
import type { SupervisorEmitted } from '../../machines/emitted.ts';
import { programConfig, type KillOutcome } from './fake-child.ts';
import { fakeTree } from './fake-tree.ts';
import { suite } from '../harness.ts';


function group(name: string, priority: number, members: Partial<ProcessConfig>[] = [{ name }]): GroupConfig {
  return {
    name, kind: 'program', priority, processes: members.map((m) => programConfig(m)),
    supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 5 },
  };
}

function start(groups: GroupConfig[], onKill: (name: string, sig: number) => KillOutcome = () => ({ dieAfter: 10 })) {
  const { clock, fake, actor, emitted } = fakeTree(groups, onKill);
  actor.start();
  const show = (e: SupervisorEmitted) =>
    e.type === 'state' ? `${e.name}:${e.to}` : e.type === 'log' ? `${e.level} ${e.message}` : e.type === 'mood' ? `mood:${e.to}` : `${e.type}:${e.group}`;
  return {
    clock, fake, actor, emitted,
    seq: () => emitted.filter((e) => e.type !== 'log').map(show),
    all: () => emitted.map(show),
    since: (n: number) => emitted.slice(n).filter((e) => e.type !== 'log').map(show),
    logs: () => emitted.flatMap((e) => (e.type === 'log' ? [`${e.level} ${e.message}`] : [])),
    proc: (g: string, n: string) => actor.system.get(`process:${g}:${n}`)?.getSnapshot().value as string | undefined,
    value: () => actor.getSnapshot().value,
    /** From `stopped`, FINISH: the final state's output. */
    finish: () => {
      assert.is(actor.getSnapshot().value, 'stopped');
      actor.send({ type: 'FINISH' });
      assert.is(actor.getSnapshot().status, 'done');
      return actor.getSnapshot().output;
    },
  };
}

const S = suite('supervisor machine');

S('start: groups are added in ascending priority (name breaks ties), then RUNNING, then STARTING', () => {
  const t = start([group('web', 10), group('db', 5), group('api', 10)]);
  assert.equal(t.seq(), [
    'groupAdded:db', 'groupAdded:api', 'groupAdded:web', 'mood:RUNNING',
    'db:STARTING', 'api:STARTING', 'web:STARTING',
  ]);
  assert.is(t.value(), 'RUNNING');
  t.actor.stop();
});

S('actors are addressable: group:<name> and process:<group>:<name>', () => {
  const t = start([group('web', 1, [{ name: 'web_00' }, { name: 'web_01' }])]);
  assert.ok(t.actor.system.get('group:web'));
  assert.is(t.proc('web', 'web_01'), 'STARTING');
  t.actor.stop();
});

S('SHUTDOWN: groups stop one at a time in descending priority, the next after the previous is down', () => {
  const t = start([group('a', 1), group('b', 2), group('c', 3)], () => 'ignore');
  t.clock.increment(1000);
  const n = t.emitted.length;
  t.actor.send({ type: 'SHUTDOWN' });
  assert.equal(t.since(n), ['mood:SHUTDOWN', 'c:STOPPING']);
  assert.is(t.value(), 'SHUTDOWN');
  t.fake.exit('c', { signal: 15 });
  assert.equal(t.since(n).slice(2), ['c:STOPPED', 'b:STOPPING']);
  t.fake.exit('b', { signal: 15 });
  t.fake.exit('a', { signal: 15 });
  assert.equal(t.since(n).slice(4), ['b:STOPPED', 'a:STOPPING', 'a:STOPPED']);
  assert.is(t.value(), 'stopped');
  assert.equal(t.finish(), { restart: false });
});

S('SHUTDOWN: equal priorities stop in reverse of their start order', () => {
  const t = start([group('x', 1), group('y', 1)]);
  t.clock.increment(1000);
  const n = t.emitted.length;
  t.actor.send({ type: 'SHUTDOWN' });
  t.clock.increment(10);
  t.clock.increment(10);
  assert.equal(t.since(n), ['mood:SHUTDOWN', 'y:STOPPING', 'y:STOPPED', 'x:STOPPING', 'x:STOPPED']);
});

S('RESTART: the same ordered stop, ending with output restart=true', () => {
  const t = start([group('a', 1), group('b', 2)]);
  t.clock.increment(1000);
  t.actor.send({ type: 'RESTART' });
  assert.is(t.value(), 'RESTARTING');
  t.clock.increment(10);
  assert.is(t.proc('a', 'a'), 'STOPPING');
  t.clock.increment(10);
  assert.is(t.value(), 'stopped');
  assert.equal(t.finish(), { restart: true });
});

S('SHUTDOWN during RESTARTING turns the reload into a shutdown', () => {
  const t = start([group('a', 1)], () => 'ignore');
  t.clock.increment(1000);
  t.actor.send({ type: 'RESTART' });
  t.actor.send({ type: 'SHUTDOWN' });
  assert.equal(t.seq().filter((s) => s.startsWith('mood:')), ['mood:RUNNING', 'mood:RESTARTING', 'mood:SHUTDOWN']);
  t.fake.exit('a', { signal: 15 });
  assert.equal(t.finish(), { restart: false });
});

S('RESTART during SHUTDOWN is ignored', () => {
  const t = start([group('a', 1)], () => 'ignore');
  t.clock.increment(1000);
  t.actor.send({ type: 'SHUTDOWN' });
  t.actor.send({ type: 'RESTART' });
  assert.is(t.value(), 'SHUTDOWN');
  t.fake.exit('a', { signal: 15 });
  assert.equal(t.finish(), { restart: false });
});

S('shutdown report: "waiting for … to die" at once, then every 3 s', () => {
  const t = start([group('a', 1, [{ name: 'a1' }, { name: 'a2' }]), group('b', 2)], () => 'ignore');
  t.clock.increment(1000);
  t.actor.send({ type: 'SHUTDOWN' });
  const waiting = () => t.logs().filter((l) => l.startsWith('INFO waiting for'));
  assert.equal(waiting(), ['INFO waiting for a1, a2, b to die']);
  assert.ok(t.logs().includes('BLAT b state: STOPPING'));
  t.clock.increment(2999);
  assert.is(waiting().length, 1);
  t.clock.increment(1);
  assert.is(waiting().length, 2);
  t.fake.exit('b', { signal: 15 });
  t.clock.increment(3000);
  assert.equal(waiting().at(-1), 'INFO waiting for a1, a2 to die');
  t.actor.stop();
});

S('shutdown: SIGKILL after stopwaitsecs lets a stubborn group finish', () => {
  const t = start([group('a', 1, [{ name: 'a', stopwaitsecs: 2 }])], (_n, sig) => (sig === 9 ? { dieAfter: 1 } : 'ignore'));
  t.clock.increment(1000);
  t.actor.send({ type: 'SHUTDOWN' });
  t.clock.increment(2000);
  assert.is(t.value(), 'SHUTDOWN');
  t.clock.increment(1);
  assert.is(t.value(), 'stopped');
  assert.ok(t.logs().includes('WARN stopped: a (terminated by SIGKILL)'));
});

S('shutdown: no process restarts while its group waits for its turn', () => {
  const t = start([group('a', 1, [{ name: 'a', autorestart: 'true' }]), group('b', 2)], () => 'ignore');
  t.clock.increment(1000);
  t.actor.send({ type: 'SHUTDOWN' });
  t.fake.exit('a', { code: 1 });
  assert.is(t.proc('a', 'a'), 'EXITED');
  t.fake.exit('b', { signal: 15 });
  assert.is(t.value(), 'stopped');
});

S('shutdown: a BACKOFF process goes FATAL when its group is stopped', () => {
  const t = start([group('a', 1)], () => 'ignore');
  t.fake.exit('a', { code: 1 });
  assert.is(t.proc('a', 'a'), 'BACKOFF');
  const n = t.emitted.length;
  t.actor.send({ type: 'SHUTDOWN' });
  assert.equal(t.since(n), ['mood:SHUTDOWN', 'a:FATAL']);
  assert.is(t.value(), 'stopped');
});

S('ADD_GROUP adds, announces and autostarts a group; a known name is ignored', () => {
  const t = start([group('a', 1)]);
  const n = t.emitted.length;
  t.actor.send({ type: 'ADD_GROUP', config: group('b', 5) });
  t.actor.send({ type: 'ADD_GROUP', config: group('b', 5) });
  assert.equal(t.since(n), ['groupAdded:b', 'b:STARTING']);
  t.actor.stop();
});

S('ADD_GROUP is ignored once the supervisor is stopping', () => {
  const t = start([group('a', 1)], () => 'ignore');
  t.clock.increment(1000);
  t.actor.send({ type: 'SHUTDOWN' });
  t.actor.send({ type: 'ADD_GROUP', config: group('b', 5) });
  assert.not.ok(t.actor.system.get('group:b'));
  t.actor.stop();
});

S('REMOVE_GROUP is refused while a process is up, then removes and announces the group', () => {
  const t = start([group('a', 1), group('b', 2)]);
  t.clock.increment(1000);
  t.actor.send({ type: 'REMOVE_GROUP', name: 'b' });
  assert.ok(t.actor.system.get('group:b'), 'b still runs');
  t.actor.system.get('group:b')?.send({ type: 'STOP' });
  t.clock.increment(10);
  const n = t.emitted.length;
  t.actor.send({ type: 'REMOVE_GROUP', name: 'b' });
  assert.equal(t.since(n), ['groupRemoved:b']);
  assert.not.ok(t.actor.system.get('group:b'));
  t.actor.send({ type: 'ADD_GROUP', config: group('b', 2) });
  assert.ok(t.actor.system.get('group:b'), 'the name can be used again');
  t.actor.stop();
});

S.run();
