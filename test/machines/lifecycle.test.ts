// The lifecycle extensions in the process machine (readiness, health, backoff, restart
// delay, dependency gating), with a fake child, fake probes and the SimulatedClock.
import * as assert from 'uvu/assert';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import { check, LIFECYCLE_DEFAULTS, type LifecycleOptions } from '../../src/config/ext-lifecycle.ts';
import type { ProcessConfig } from '../../src/config/types.ts';
import { healthMachine, readinessMachine, type ProbeInput, type WatchInput } from '../../machines/checks.ts';
import type { LogLine, ProcessEmitted, ProcessStateChange } from '../../machines/emitted.ts';
import { groupMachine } from '../../machines/group.ts';
import { processMachine, type ProcessInput } from '../../machines/process.ts';
import { FakeChildren, programConfig } from './fake-child.ts';
import { suite } from '../harness.ts';

const BASE = 1_700_000_000_000;

/** Probes answer what `answer` says when asked; pending ones stay pending. */
type Answer = 'pass' | 'pending' | string;

function run(over: Partial<ProcessConfig> = {}, ext: Partial<LifecycleOptions> = {}, first: Answer = 'pass', input: Partial<ProcessInput> = {}) {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now(), schedule: (fn, ms) => clock.setTimeout(fn, ms) });
  const probes: ProbeInput[] = [];
  let answer: Answer = first;
  let pass: (() => void) | null = null;
  const probe = fromPromise<void, ProbeInput>(({ input: i }) => {
    probes.push(i);
    const a = answer;
    if (a === 'pass') return Promise.resolve();
    if (a === 'pending') return new Promise(() => {});
    return Promise.reject(new Error(a));
  });
  const watch = fromCallback<{ type: 'never' }, WatchInput, { type: 'PASSED' }>(({ sendBack }) => {
    pass = () => sendBack({ type: 'PASSED' });
  });
  const machine = processMachine.provide({
    actors: {
      child: fake.logic,
      readiness: readinessMachine.provide({ actors: { probe, watch } }),
      health: healthMachine.provide({ actors: { probe } }),
    },
  });
  const config = programConfig({ ...over, statevisor: { ...programConfig().statevisor, ...ext } });
  const actor = createActor(machine, { clock, input: { config, group: 'g', ...input } });
  const emitted: ProcessEmitted[] = [];
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  /** Let promise-based probes settle. */
  const settle = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };
  return {
    clock, fake, actor, probes,
    set answer(a: Answer) { answer = a; },
    pass: () => pass?.(),
    settle,
    advance: async (ms: number) => { clock.increment(ms); await settle(); },
    value: () => actor.getSnapshot().value,
    ctx: () => actor.getSnapshot().context,
    trail: () => emitted.filter((e): e is ProcessStateChange => e.type === 'state').map((e) => `${e.from}>${e.to}`),
    logs: () => emitted.filter((e): e is LogLine => e.type === 'log').map((l) => l.message),
  };
}

const L = suite('process lifecycle extensions');

L('ready check: RUNNING only once startsecs has passed and the check has passed', async () => {
  const t = run({ startsecs: 1 }, { ready_check: check('tcp:127.0.0.1:1') }, 'connection refused');
  await t.settle();
  await t.advance(1000);
  assert.is(t.value(), 'STARTING');
  assert.is(t.ctx().readyReason, 'connection refused');
  t.answer = 'pass';
  await t.advance(2000);
  assert.is(t.value(), 'RUNNING');
  assert.equal(t.trail(), ['STOPPED>STARTING', 'STARTING>RUNNING']);
});

L('ready check passing before startsecs waits for startsecs', async () => {
  const t = run({ startsecs: 3 }, { ready_check: check('tcp:127.0.0.1:1') });
  await t.settle();
  assert.is(t.ctx().ready, true);
  await t.advance(2999);
  assert.is(t.value(), 'STARTING');
  await t.advance(1);
  assert.is(t.value(), 'RUNNING');
});

L('polled ready check backs off between tries (0.05 s doubling to 2 s) and never overlaps', async () => {
  const t = run({ startsecs: 0 }, { ready_check: check('tcp:127.0.0.1:1') }, 'refused');
  await t.settle();
  const times: number[] = [];
  let seen = t.probes.length;
  for (let ms = 0; ms < 8000; ms += 50) {
    await t.advance(50);
    if (t.probes.length > seen) { times.push(t.clock.now()); seen = t.probes.length; }
  }
  assert.equal(times, [50, 150, 350, 750, 1550, 3150, 5150, 7150]);
});

L('a probe that hangs counts as a failed try after its try timeout, and the next waits', async () => {
  const t = run({ startsecs: 0 }, { ready_check: check('tcp:127.0.0.1:1'), ready_timeout: 60 }, 'pending');
  await t.settle();
  assert.is(t.probes.length, 1);
  await t.advance(5000);
  assert.is(t.ctx().readyReason, 'timed out');
  assert.is(t.probes.length, 1);
  await t.advance(50);
  assert.is(t.probes.length, 2);
});

L('log and fd checks poll nothing; PASSED makes the process RUNNING', async () => {
  const t = run({ startsecs: 0 }, { ready_check: check('log:listening on') });
  await t.advance(10_000);
  assert.is(t.probes.length, 0);
  assert.is(t.value(), 'STARTING');
  t.pass();
  assert.is(t.value(), 'RUNNING');
});

L('ready_timeout: logs why, stops the child, SIGKILL after stopwaitsecs, BACKOFF counts toward startretries', async () => {
  const t = run({ startsecs: 0, stopwaitsecs: 2, startretries: 0 }, { ready_check: check('fd:3'), ready_timeout: 5 });
  await t.advance(5000);
  assert.ok(t.logs().includes("x: ready check fd:3 did not pass within 5 s; stopping it"), t.logs().join('\n'));
  assert.equal(t.fake.kills.map((k) => k.signal), [15]);
  await t.advance(2000);
  assert.equal(t.fake.kills.map((k) => k.signal), [15, 9]);
  t.fake.exit('x', { signal: 9 });
  assert.equal(t.trail(), ['STOPPED>STARTING', 'STARTING>BACKOFF', 'BACKOFF>FATAL']);
  assert.is(t.ctx().spawnerr, 'ready check fd:3 did not pass within 5 s');
});

L('with a ready check, an exit before the check passed is a failed start, even after startsecs', async () => {
  const t = run({ startsecs: 1 }, { ready_check: check('log:x') });
  await t.advance(5000);
  t.fake.exit('x', { code: 0 });
  assert.equal(t.trail(), ['STOPPED>STARTING', 'STARTING>BACKOFF']);
});

L('health: first probe on RUNNING, then every health_interval; description text', async () => {
  const t = run({ startsecs: 0 }, { health_check: check('tcp:127.0.0.1:1'), health_interval: 10 });
  await t.settle();
  assert.is(t.probes.length, 1);
  assert.is(t.ctx().health, 'healthy');
  t.answer = 'connection refused';
  await t.advance(10_000);
  assert.is(t.probes.length, 2);
  assert.is(t.ctx().health, 'unhealthy 1/3: connection refused');
  t.answer = 'pass';
  await t.advance(10_000);
  assert.is(t.ctx().health, 'healthy');
});

L('health: health_retries consecutive failures log, stop and restart the process', async () => {
  const t = run({ startsecs: 0, autorestart: 'false' }, { health_check: check('exec:false'), health_interval: 1, health_retries: 2 }, 'exit status 1');
  t.fake.onKill = () => 'die';
  await t.settle();
  assert.is(t.ctx().health, 'unhealthy 1/2: exit status 1');
  await t.advance(1000);
  assert.ok(t.logs().includes('x: health check failed 2 times: exit status 1'), t.logs().join('\n'));
  assert.equal(t.fake.kills.map((k) => k.signal), [15]);
  // autorestart=false does not stop a health restart.
  assert.equal(t.trail(), ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>EXITED', 'EXITED>STARTING', 'STARTING>RUNNING']);
  assert.is(t.fake.spawns.length, 2);
});

L('health: passing through RUNNING on the way to EXITED starts no probe', async () => {
  const t = run({ startsecs: 1, autorestart: 'false' }, { health_check: check('tcp:127.0.0.1:1') });
  // The exit is reported as later than startsecs before the startsecs timer fired.
  t.fake.exit('x', { code: 0, at: BASE + 5000 });
  await t.settle();
  assert.equal(t.trail(), ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>EXITED']);
  assert.is(t.probes.length, 0);
});

L('health: a probe slower than health_timeout fails', async () => {
  const t = run({ startsecs: 0 }, { health_check: check('http://127.0.0.1:1/'), health_timeout: 2 }, 'pending');
  await t.advance(2000);
  assert.is(t.ctx().health, 'unhealthy 1/3: timed out after 2 s');
});

L('backoff=exponential waits 1, 2, 4 s between failed starts; backoff_max caps it', async () => {
  const t = run({ startsecs: 10, startretries: 10 }, { backoff: 'exponential', backoff_max: 3 });
  const spawnsAt: number[] = [];
  for (let i = 0; i < 4; i++) {
    spawnsAt.push(t.clock.now());
    t.fake.exit('x', { code: 1 });
    const before = t.fake.spawns.length;
    while (t.fake.spawns.length === before) await t.advance(100);
  }
  spawnsAt.push(t.clock.now());
  const waits = spawnsAt.slice(1).map((v, i) => v - spawnsAt[i]);
  assert.equal(waits, [1000, 2000, 3000, 3000]);
});

L('linear backoff keeps supervisor\'s 1, 2, 3 s', async () => {
  const t = run({ startsecs: 10, startretries: 10 });
  t.fake.exit('x', { code: 1 });
  await t.advance(999);
  assert.is(t.fake.spawns.length, 1);
  await t.advance(1);
  assert.is(t.fake.spawns.length, 2);
  t.fake.exit('x', { code: 1 });
  await t.advance(1999);
  assert.is(t.fake.spawns.length, 2);
  await t.advance(1);
  assert.is(t.fake.spawns.length, 3);
});

L('retry_forever: startretries never leads to FATAL', async () => {
  const t = run({ startsecs: 10, startretries: 1 }, { retry_forever: true, backoff_max: 1 });
  for (let i = 0; i < 6; i++) {
    t.fake.exit('x', { code: 1 });
    await t.advance(1000);
  }
  assert.is(t.value(), 'STARTING');
  assert.is(t.fake.spawns.length, 7);
});

L('restart_delay waits before an autorestart; exponential doubles per crash and resets after backoff_reset', async () => {
  const t = run({ startsecs: 0, autorestart: 'true' }, { restart_delay: 2, backoff: 'exponential', backoff_reset: 30 });
  const respawnAfter = async () => {
    const before = t.fake.spawns.length;
    const from = t.clock.now();
    t.fake.exit('x', { code: 0 });
    while (t.fake.spawns.length === before) await t.advance(100);
    return t.clock.now() - from;
  };
  assert.is(await respawnAfter(), 2000);
  assert.is(await respawnAfter(), 4000);
  assert.is(await respawnAfter(), 8000);
  await t.advance(30_000);
  assert.is(t.ctx().crashes, 0);
  assert.is(await respawnAfter(), 2000);
});

L('restart_delay=0 restarts at once, as supervisor', async () => {
  const t = run({ startsecs: 0, autorestart: 'true' });
  t.fake.exit('x', { code: 0 });
  assert.is(t.fake.spawns.length, 2);
});

L('restart_delay holds a strategy\'s restart too: the dead member waits it, then the group starts the rest in order', async () => {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now(), schedule: (fn, ms) => clock.setTimeout(fn, ms), onKill: () => 'die' });
  const process = processMachine.provide({ actors: { child: fake.logic } });
  const member = (name: string, priority: number, restart_delay: number) =>
    programConfig({ name, priority, startsecs: 0, statevisor: { ...programConfig().statevisor, restart_delay } });
  const actor = createActor(groupMachine.provide({ actors: { process } }), {
    clock,
    input: {
      config: {
        name: 'g', kind: 'group', priority: 1, processes: [member('a', 1, 3), member('b', 2, 0)],
        supervision: { strategy: 'rest_for_one', max_restarts: null, restart_window: 5 },
      },
    },
  });
  actor.start();
  const spawned = () => fake.spawns.map((s) => s.name).join(',');
  assert.is(spawned(), 'a,b');
  fake.exit('a', { code: 1 });
  await Promise.resolve();
  assert.is(spawned(), 'a,b', 'a waits its restart_delay; b, stopped by the strategy, waits for a');
  clock.increment(2900);
  assert.is(spawned(), 'a,b');
  clock.increment(100);
  assert.is(spawned(), 'a,b,a,b');
  actor.stop();
});

L('health restarts go through a supervised group: max_restarts counts them and the group gives up', async () => {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now(), onKill: () => 'die' });
  const probe = fromPromise<void, ProbeInput>(() => Promise.reject(new Error('connection refused')));
  const process = processMachine.provide({ actors: { child: fake.logic, health: healthMachine.provide({ actors: { probe } }) } });
  const config = programConfig({ startsecs: 0, statevisor: { ...programConfig().statevisor, health_check: check('tcp:127.0.0.1:1'), health_interval: 1, health_retries: 1 } });
  const actor = createActor(groupMachine.provide({ actors: { process } }), {
    clock, input: { config: { name: 'g', kind: 'program', priority: 1, processes: [config], supervision: { strategy: 'one_for_one', max_restarts: 1, restart_window: 60 } } },
  });
  const lines: string[] = [];
  actor.on('*', (e) => { if (e.type === 'log') lines.push(e.message); });
  actor.start();
  for (let i = 0; i < 10; i++) { await Promise.resolve(); clock.increment(1000); }
  assert.is(fake.spawns.length, 2, 'one restart allowed');
  assert.ok(lines.includes('gave up: group g exceeded max_restarts=1 within restart_window=60 seconds; stopping its processes and marking them FATAL'), lines.join('\n'));
  assert.is(actor.system.get('process:g:x')?.getSnapshot().value, 'FATAL');
  actor.stop();
});

const dep = { depends_on: [{ program: 'db', condition: 'running' as const }] };

L('depends_on: autostart waits in STOPPED, described, until DEPS says the dependencies hold', () => {
  const t = run({}, dep);
  assert.is(t.value(), 'STOPPED');
  assert.is(t.ctx().waiting, 'waiting for db (running)');
  assert.is(t.ctx().wantStart, true);
  t.actor.send({ type: 'DEPS', waiting: null, failed: null });
  assert.is(t.value(), 'STARTING');
  assert.is(t.ctx().wantStart, false);
});

L('depends_on: START while waiting waits; a FATAL dependency makes the start fail with its name', () => {
  const t = run({ autostart: false }, dep);
  t.actor.send({ type: 'START' });
  assert.is(t.value(), 'STOPPED');
  t.actor.send({ type: 'DEPS', waiting: null, failed: 'dependency db is FATAL' });
  assert.is(t.value(), 'FATAL');
  assert.is(t.ctx().spawnerr, 'dependency db is FATAL');
  assert.ok(t.logs().includes('not starting x: dependency db is FATAL'));
  assert.is(t.fake.spawns.length, 0);
});

L('depends_on: a process nobody asked to start stays STOPPED when its dependency fails', () => {
  const t = run({ autostart: false }, dep);
  t.actor.send({ type: 'DEPS', waiting: null, failed: 'dependency db is FATAL' });
  assert.is(t.value(), 'STOPPED');
  t.actor.send({ type: 'DEPS', waiting: null, failed: null });
  assert.is(t.value(), 'STOPPED');
});

L('defaults keep supervisor: no waits, no checks', () => {
  assert.equal(LIFECYCLE_DEFAULTS.depends_on, []);
  const t = run();
  assert.is(t.value(), 'STARTING');
});
L.run();
