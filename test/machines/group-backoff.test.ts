// The group machine with members that exit before startsecs (BACKOFF): such an exit
// counts toward the strategy and the restart intensity as an EXITED does, the member
// keeps its own backoff delay, and the intensity window is measured on the monotonic
// clock the runtime gives (`mono`), not the wall clock (`at`). Fake children, SimulatedClock.
import * as assert from 'uvu/assert';
import { createActor, SimulatedClock } from 'xstate';
import type { GroupConfig, ProcessConfig, Supervision } from '../../src/config/types.ts';
import type { GroupEmitted, ProcessStateChange } from '../../machines/emitted.ts';
import { groupMachine } from '../../machines/group.ts';
import { processMachine } from '../../machines/process.ts';
import { FakeChildren, programConfig } from './fake-child.ts';
import { suite } from '../harness.ts';

const BASE = 1_700_000_000_000;

/** Group g of a, b, c (priorities 1-3, startsecs=1); children die 10 ms after a signal. */
function run(supervision: Partial<Supervision>, over: Partial<ProcessConfig> = {}, names = ['a', 'b', 'c']) {
  const config: GroupConfig = {
    name: 'g', kind: 'group', priority: 999,
    processes: names.map((name, i) => programConfig({ name, priority: i + 1, ...over })),
    supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 5, ...supervision },
  };
  const clock = new SimulatedClock();
  /** A step of the wall clock (NTP, an operator): moves `at`, never `mono`. */
  let wallStep = 0;
  const fake = new FakeChildren({
    now: () => BASE + wallStep + clock.now(), mono: () => clock.now(), schedule: (fn, ms) => clock.setTimeout(fn, ms), onKill: () => ({ dieAfter: 10 }),
  });
  const emitted: GroupEmitted[] = [];
  const machine = groupMachine.provide({ actors: { process: processMachine.provide({ actors: { child: fake.logic } }) } });
  const actor = createActor(machine, { clock, input: { config, publish: (e) => emitted.push(e) }, systemId: 'group:g' });
  actor.start();
  const changes = () => emitted.filter((e): e is ProcessStateChange => e.type === 'state').map((e) => `${e.name}:${e.from}>${e.to}`);
  const proc = (name: string) => actor.system.get(`process:g:${name}`)?.getSnapshot();
  return {
    clock, fake, actor, changes,
    mark: () => changes().length,
    stepWall: (ms: number) => { wallStep += ms; },
    member: (name: string) => proc(name)?.value as string | undefined,
    spawnerr: (name: string) => (proc(name)?.context as { spawnerr: string | null }).spawnerr,
    logs: () => emitted.flatMap((e) => (e.type === 'log' ? [`${e.level} ${e.message}`] : [])),
  };
}

const G = suite('group machine: exits before startsecs');

G('rest_for_one: a member in BACKOFF takes the rest down; they start once its own retry has spawned', () => {
  const t = run({ strategy: 'rest_for_one' });
  const n = t.mark();
  t.fake.exit('b', { code: 1 });
  t.clock.increment(10);
  assert.equal(t.changes().slice(n), ['b:STARTING>BACKOFF', 'c:STARTING>STOPPING', 'c:STOPPING>STOPPED']);
  assert.ok(t.logs().includes('INFO rest_for_one: b exited in group g, restarting b, c'));
  // b keeps supervisor's backoff: no START cuts its 1 s wait short, and c waits for b.
  t.clock.increment(900);
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['STARTING', 'BACKOFF', 'STOPPED']);
  t.clock.increment(100);
  assert.equal(t.changes().slice(n + 3), ['a:STARTING>RUNNING', 'b:BACKOFF>STARTING', 'c:STOPPED>STARTING']);
  assert.is(t.actor.getSnapshot().value, 'running');
  t.actor.stop();
});

G('one_for_all: a member in BACKOFF takes every member down, and all come back in priority order', () => {
  const t = run({ strategy: 'one_for_all' });
  const n = t.mark();
  t.fake.exit('a', { code: 1 });
  t.clock.increment(10);
  assert.equal(t.changes().slice(n), ['a:STARTING>BACKOFF', 'c:STARTING>STOPPING', 'b:STARTING>STOPPING', 'c:STOPPING>STOPPED', 'b:STOPPING>STOPPED']);
  t.clock.increment(1000);
  assert.equal(t.changes().slice(n + 5), ['a:BACKOFF>STARTING', 'b:STOPPED>STARTING', 'c:STOPPED>STARTING']);
  t.actor.stop();
});

G('max_restarts counts exits before startsecs: the third quick exit within the window gives up', () => {
  const t = run({ max_restarts: 2, restart_window: 30 }, { startretries: 10 }, ['a']);
  for (let i = 1; i <= 2; i++) {
    t.fake.exit('a', { code: 1 });
    assert.is(t.member('a'), 'BACKOFF');
    t.clock.increment(i * 1000);
    assert.is(t.member('a'), 'STARTING', `retry ${i} after its backoff`);
  }
  const n = t.mark();
  t.fake.exit('a', { code: 1 });
  assert.equal(t.changes().slice(n), ['a:STARTING>BACKOFF', 'a:BACKOFF>STOPPED', 'a:STOPPED>FATAL']);
  assert.ok(t.logs().includes('WARN gave up: group g exceeded max_restarts=2 within restart_window=30 seconds; stopping its processes and marking them FATAL'));
  assert.is(t.spawnerr('a'), 'group g exceeded max_restarts=2 within restart_window=30 seconds');
  t.actor.stop();
});

G('a spawn error is an exit before startsecs too', () => {
  const t = run({ strategy: 'rest_for_one' });
  t.clock.increment(1000);
  // b's restart by the strategy fails to spawn.
  t.fake.spawnErrors.set('b', "can't find command '/bin/x'");
  t.fake.exit('b', { code: 1 });
  t.clock.increment(10);
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['RUNNING', 'BACKOFF', 'STOPPED']);
  t.fake.spawnErrors.delete('b');
  t.clock.increment(1000);
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['RUNNING', 'STARTING', 'STARTING']);
  t.actor.stop();
});

G('the last quick exit (BACKOFF then FATAL in one step) restarts nothing and counts nothing', () => {
  const t = run({ strategy: 'one_for_all', max_restarts: 5 }, { startretries: 0 });
  const n = t.mark();
  t.fake.exit('b', { code: 1 });
  t.clock.increment(10);
  assert.equal(t.changes().slice(n), ['b:STARTING>BACKOFF', 'b:BACKOFF>FATAL']);
  assert.equal([t.member('a'), t.member('c')], ['STARTING', 'STARTING']);
  assert.equal(t.actor.getSnapshot().context.restarts, []);
  t.actor.stop();
});

G('the restart window is monotonic: a wall-clock jump between two exits does not spread them apart', () => {
  const t = run({ max_restarts: 1, restart_window: 5 }, {}, ['a']);
  t.clock.increment(1000);
  t.fake.exit('a', { code: 1 });
  t.clock.increment(1000);
  t.stepWall(3_600_000);
  t.fake.exit('a', { code: 1 });
  assert.is(t.member('a'), 'FATAL', 'two restarts 1 s apart on the monotonic clock, an hour apart on the wall clock');
  t.actor.stop();
});

G('the restart window is monotonic: a wall clock set back does not bunch old restarts together', () => {
  const t = run({ max_restarts: 1, restart_window: 5 }, {}, ['a']);
  t.clock.increment(1000);
  t.fake.exit('a', { code: 1 });
  t.clock.increment(6000);
  t.stepWall(-6000);
  t.fake.exit('a', { code: 1 });
  assert.is(t.member('a'), 'STARTING', '6 s apart on the monotonic clock: one restart in a 5 s window');
  t.actor.stop();
});

G('a user START or STOP through the group takes the member out of a restart under way', () => {
  const t = run({ strategy: 'one_for_all' }, {}, ['a', 'b', 'c']);
  t.fake.onKill = (name) => (name === 'c' ? 'ignore' : { dieAfter: 10 });
  t.clock.increment(1000);
  t.fake.exit('b', { code: 1 });
  t.clock.increment(10);
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['STOPPED', 'EXITED', 'STOPPING']);
  // The user brings a back and stops it again while c is still stopping.
  t.actor.send({ type: 'START', name: 'a' });
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP', name: 'a' });
  t.clock.increment(10);
  t.fake.exit('c', { signal: 15 });
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['STOPPED', 'STARTING', 'STARTING'], 'a stays as the user left it');
  t.actor.stop();
});

G('a START the member\'s state ignores (it is still stopping) leaves it in the restart', () => {
  const t = run({ strategy: 'one_for_all' }, {}, ['a', 'b', 'c']);
  t.fake.onKill = (name) => (name === 'c' ? 'ignore' : { dieAfter: 10 });
  t.clock.increment(1000);
  t.fake.exit('b', { code: 1 });
  assert.is(t.member('c'), 'STOPPING');
  t.actor.send({ type: 'START', name: 'c' });
  t.clock.increment(10);
  t.fake.exit('c', { signal: 15 });
  assert.equal([t.member('a'), t.member('b'), t.member('c')], ['STARTING', 'STARTING', 'STARTING']);
  t.actor.stop();
});

G.run();
