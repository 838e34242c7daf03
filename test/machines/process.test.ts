// The process machine against supervisor 4.2.5's transition table (supervisor.md §2.3-2.4),
// one test per row or quirk, with a fake child and SimulatedClock: no real time.
import * as assert from 'uvu/assert';
import { createActor, fromCallback, SimulatedClock } from 'xstate';
import type { ProcessConfig } from '../../src/config/types.ts';
import { SupervisorStates } from '../../src/states.ts';
import type { LogLine, ProcessEmitted, ProcessStateChange } from '../../machines/emitted.ts';
import { FakeChildren, programConfig } from './fake-child.ts';
import { processMachine, type ChildInput, type ChildReport, type ChildRequest, type ProcessInput } from '../../machines/process.ts';
import { suite } from '../harness.ts';

const BASE = 1_700_000_000_000;
const SIGTERM = 15;
const SIGKILL = 9;
const SIGSEGV = 11;
const SIGHUP = 1;

function run(over: Partial<ProcessConfig> = {}, input: Partial<ProcessInput> = {}) {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now() });
  const emitted: ProcessEmitted[] = [];
  const actor = createActor(processMachine.provide({ actors: { child: fake.logic } }), {
    clock, input: { config: programConfig(over), group: 'g', ...input },
  });
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  const states = () => emitted.filter((e): e is ProcessStateChange => e.type === 'state');
  return {
    clock, fake, actor, emitted,
    value: () => actor.getSnapshot().value,
    ctx: () => actor.getSnapshot().context,
    /** "FROM>TO" per state event, with tries where supervisor's payload has it. */
    trail: () => states().map((e) => `${e.from}>${e.to}${e.to === 'STARTING' || e.to === 'BACKOFF' ? `:${e.tries}` : ''}`),
    states,
    logs: () => emitted.filter((e): e is LogLine => e.type === 'log').map((l) => `${l.level} ${l.message}`),
    /** Log lines and state events interleaved, as they left the machine. */
    order: () => emitted.map((e) => (e.type === 'state' ? `[${e.to}]` : e.message)),
  };
}

const P = suite('process machine');

P('STOPPED → STARTING: autostart spawns at creation with tries 0', () => {
  const t = run();
  assert.is(t.value(), 'STARTING');
  assert.equal(t.trail(), ['STOPPED>STARTING:0']);
  assert.equal(t.order(), ['[STARTING]', "spawned: 'x' with pid 1000"]);
  assert.is(t.ctx().pid, 1000);
  assert.is(t.ctx().laststart, BASE);
});

P('STOPPED stays STOPPED with autostart=false', () => {
  const t = run({ autostart: false });
  assert.is(t.value(), 'STOPPED');
  assert.equal(t.emitted, []);
});

P('STOPPED → STARTING on START', () => {
  const t = run({ autostart: false });
  t.actor.send({ type: 'START' });
  assert.equal(t.trail(), ['STOPPED>STARTING:0']);
  assert.is(t.fake.spawns.length, 1);
});

P('STOPPED: autostart waits while the mood is below RUNNING', () => {
  const t = run({}, { mood: SupervisorStates.RESTARTING });
  assert.is(t.value(), 'STOPPED');
  t.actor.send({ type: 'MOOD', mood: SupervisorStates.RUNNING });
  assert.is(t.value(), 'STARTING');
});

P('STARTING → RUNNING once startsecs have passed, not before', () => {
  const t = run({ startsecs: 2 });
  t.clock.increment(1999);
  assert.is(t.value(), 'STARTING');
  t.clock.increment(1);
  assert.is(t.value(), 'RUNNING');
  assert.equal(t.trail(), ['STOPPED>STARTING:0', 'STARTING>RUNNING']);
  assert.is(t.states()[1].pid, 1000);
  assert.equal(t.logs().at(-1), 'INFO success: x entered RUNNING state, process has stayed up for > than 2 seconds (startsecs)');
});

P('STARTING → RUNNING at once with startsecs=0', () => {
  const t = run({ startsecs: 0 });
  assert.is(t.value(), 'RUNNING');
  assert.equal(t.order(), ['[STARTING]', "spawned: 'x' with pid 1000", '[RUNNING]',
    'success: x entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)']);
});

P('STARTING → BACKOFF on a spawn error: spawnerr logged first, tries 1', () => {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now() });
  fake.spawnErrors.set('x', "can't find command '/bin/x'");
  const emitted: ProcessEmitted[] = [];
  const actor = createActor(processMachine.provide({ actors: { child: fake.logic } }), { clock, input: { config: programConfig(), group: 'g' } });
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  assert.is(actor.getSnapshot().value, 'BACKOFF');
  assert.equal(emitted.map((e) => (e.type === 'state' ? `[${e.to}:${e.tries}]` : `${e.level} ${e.message}`)),
    ['[STARTING:0]', "INFO spawnerr: can't find command '/bin/x'", '[BACKOFF:1]']);
  assert.is(actor.getSnapshot().context.spawnerr, "can't find command '/bin/x'");
  actor.stop();
});

P('STARTING → BACKOFF on an exit before startsecs, even with an expected exit code', () => {
  const t = run();
  t.clock.increment(500);
  t.fake.exit('x', { code: 0 });
  assert.is(t.value(), 'BACKOFF');
  assert.equal(t.order().slice(2), ['[BACKOFF]', 'exited: x (exit status 0; not expected)', 'received SIGCHLD indicating a child quit']);
  assert.equal(t.logs().slice(-2), ['WARN exited: x (exit status 0; not expected)', 'DEBG received SIGCHLD indicating a child quit']);
  assert.is(t.ctx().spawnerr, 'Exited too quickly (process log may have details)');
  assert.is(t.ctx().exitstatus, null);
  assert.is(t.ctx().laststop, BASE + 500);
  assert.is(t.ctx().pid, 0);
  assert.is(t.states()[1].tries, 1);
});

P('STARTING → RUNNING → EXITED: the exit came after startsecs, before the timer fired', () => {
  const t = run({ startsecs: 1 });
  t.fake.exit('x', { code: 0, at: BASE + 1000 });
  assert.equal(t.trail(), ['STOPPED>STARTING:0', 'STARTING>RUNNING', 'RUNNING>EXITED']);
  assert.not.ok(t.logs().some((l) => l.includes('success:')));
  assert.is(t.value(), 'EXITED');
  assert.is(t.states()[2].expected, true);
});

P('STARTING: an exit stamped before laststart (clock went back) is not "too quickly"', () => {
  const t = run();
  t.fake.exit('x', { code: 0, at: BASE - 5000 });
  assert.equal(t.trail(), ['STOPPED>STARTING:0', 'STARTING>RUNNING', 'RUNNING>EXITED']);
  assert.ok(t.logs().includes("WARN process 'x' (1000) laststart time is in the future, don't know how long process was running so assuming it did not exit too quickly"));
  assert.is(t.ctx().laststart, BASE - 5000);
});

P('BACKOFF → STARTING after 1 s, 2 s, 3 s counted from each exit', () => {
  const t = run();
  for (const [wait, tries] of [[1000, 1], [2000, 2], [3000, 3]]) {
    t.clock.increment(300);
    t.fake.exit('x', { code: 1 });
    assert.is(t.value(), 'BACKOFF');
    assert.is(t.ctx().backoff, tries);
    t.clock.increment(wait - 1);
    assert.is(t.value(), 'BACKOFF', `still waiting ${wait - 1} ms after exit ${tries}`);
    t.clock.increment(1);
    assert.is(t.value(), 'STARTING', `retried ${wait} ms after exit ${tries}`);
  }
});

P('BACKOFF → FATAL: the last BACKOFF reports tries = startretries+1, then FATAL at once', () => {
  const t = run({ startretries: 3 });
  for (let i = 0; i < 4; i++) {
    t.fake.exit('x', { code: 1 });
    t.clock.increment(5000);
  }
  assert.equal(t.trail(), ['STOPPED>STARTING:0', 'STARTING>BACKOFF:1', 'BACKOFF>STARTING:1', 'STARTING>BACKOFF:2',
    'BACKOFF>STARTING:2', 'STARTING>BACKOFF:3', 'BACKOFF>STARTING:3', 'STARTING>BACKOFF:4', 'BACKOFF>FATAL']);
  assert.is(t.fake.spawns.length, 4);
  assert.equal(t.order().slice(-2), ['[FATAL]', 'gave up: x entered FATAL state, too many start retries too quickly']);
  assert.is(t.ctx().backoff, 0);
  assert.is(t.value(), 'FATAL');
});

P('BACKOFF → FATAL with startretries=2: tries 0,1,1,2,2,3 as observed', () => {
  const t = run({ startretries: 2 });
  for (let i = 0; i < 3; i++) { t.fake.exit('x', { code: 1 }); t.clock.increment(5000); }
  assert.equal(t.states().filter((e) => e.to === 'STARTING' || e.to === 'BACKOFF').map((e) => e.tries), [0, 1, 1, 2, 2, 3]);
  assert.is(t.value(), 'FATAL');
});

P('BACKOFF → STARTING on START at once, keeping the tries count', () => {
  const t = run();
  t.fake.exit('x', { code: 1 });
  t.actor.send({ type: 'START' });
  assert.equal(t.trail().slice(-1), ['BACKOFF>STARTING:1']);
  assert.is(t.fake.spawns.length, 2);
});

P('BACKOFF → STOPPED on STOP, with no signal sent', () => {
  const t = run();
  t.fake.exit('x', { code: 1 });
  t.actor.send({ type: 'STOP' });
  assert.is(t.value(), 'STOPPED');
  assert.equal(t.trail().slice(-1), ['BACKOFF>STOPPED']);
  assert.equal(t.fake.kills, []);
  assert.is(t.states().at(-1)?.pid, 0);
  assert.ok(t.logs().includes('DEBG Attempted to kill x, which is in BACKOFF state.'));
  t.clock.increment(60_000);
  assert.is(t.value(), 'STOPPED', 'no retry after the stop');
});

P('BACKOFF: the counter survives a stop, so the next start reports tries 1', () => {
  const t = run();
  t.fake.exit('x', { code: 1 });
  t.actor.send({ type: 'STOP' });
  t.actor.send({ type: 'START' });
  assert.equal(t.trail().slice(-1), ['STOPPED>STARTING:1']);
});

P('BACKOFF → FATAL on GIVE_UP (stop_all at shutdown), without the gave-up line', () => {
  const t = run();
  t.fake.exit('x', { code: 1 });
  t.actor.send({ type: 'GIVE_UP' });
  assert.equal(t.trail().slice(-1), ['BACKOFF>FATAL']);
  assert.not.ok(t.logs().some((l) => l.includes('gave up')));
  assert.is(t.ctx().spawnerr, 'Exited too quickly (process log may have details)');
});

P('BACKOFF: no retry while the mood is below RUNNING', () => {
  const t = run();
  t.fake.exit('x', { code: 1 });
  t.actor.send({ type: 'MOOD', mood: SupervisorStates.SHUTDOWN });
  t.clock.increment(10_000);
  assert.is(t.value(), 'BACKOFF');
});

P('RUNNING → EXITED with an expected code: INFO, expected, no restart under autorestart=unexpected', () => {
  const t = run();
  t.clock.increment(1000);
  t.fake.exit('x', { code: 0 });
  assert.is(t.value(), 'EXITED');
  const ev = t.states().at(-1)!;
  assert.equal([ev.from, ev.to, ev.expected, ev.pid, ev.restart], ['RUNNING', 'EXITED', true, 1000, false]);
  assert.equal(t.logs().slice(-2), ['INFO exited: x (exit status 0; expected)', 'DEBG received SIGCHLD indicating a child quit']);
  assert.is(t.ctx().exitstatus, 0);
  assert.is(t.ctx().pid, 0);
});

P('RUNNING → EXITED → STARTING: an unexpected code restarts under autorestart=unexpected', () => {
  const t = run();
  t.clock.increment(1000);
  t.fake.exit('x', { code: 3 });
  assert.equal(t.trail().slice(-2), ['RUNNING>EXITED', 'EXITED>STARTING:0']);
  assert.ok(t.logs().includes('WARN exited: x (exit status 3; not expected)'));
  assert.is(t.states().at(-2)!.expected, false);
  assert.is(t.fake.spawns.length, 2);
});

P('EXITED → STARTING: autorestart=true restarts after an expected exit', () => {
  const t = run({ autorestart: 'true' });
  t.clock.increment(1000);
  t.fake.exit('x', { code: 0 });
  assert.equal(t.trail().slice(-2), ['RUNNING>EXITED', 'EXITED>STARTING:0']);
});

P('EXITED stays with autorestart=false, even after an unexpected exit', () => {
  const t = run({ autorestart: 'false' });
  t.clock.increment(1000);
  t.fake.exit('x', { code: 2 });
  assert.is(t.value(), 'EXITED');
  assert.is(t.ctx().spawnerr, 'Bad exit code 2');
});

P('RUNNING → EXITED by a signal: exitstatus -1, not expected, core dump noted', () => {
  const t = run({ autorestart: 'false' });
  t.clock.increment(1000);
  t.fake.exit('x', { signal: SIGSEGV, core: true });
  assert.equal(t.logs().slice(-2), ['WARN exited: x (terminated by SIGSEGV (core dumped); not expected)', 'DEBG received SIGCHLD indicating a child quit']);
  assert.is(t.ctx().exitstatus, -1);
});

P('EXITED: exitcodes decide "expected" (exitcodes=0,2)', () => {
  const t = run({ exitcodes: [0, 2] });
  t.clock.increment(1000);
  t.fake.exit('x', { code: 2 });
  assert.is(t.value(), 'EXITED');
  assert.is(t.states().at(-1)!.expected, true);
});

P('EXITED: no autorestart while the mood is below RUNNING', () => {
  const t = run({ autorestart: 'true' });
  t.clock.increment(1000);
  t.actor.send({ type: 'MOOD', mood: SupervisorStates.RESTARTING });
  t.fake.exit('x', { code: 1 });
  assert.is(t.value(), 'EXITED');
  assert.is(t.states().at(-1)!.restart, false);
});

P('EXITED → STARTING on START', () => {
  const t = run({ autorestart: 'false' });
  t.clock.increment(1000);
  t.fake.exit('x', { code: 0 });
  t.actor.send({ type: 'START' });
  assert.equal(t.trail().slice(-1), ['EXITED>STARTING:0']);
  assert.is(t.ctx().exitstatus, null, 'spawn() clears exitstatus');
});

P('EXITED with supervised=true waits for its group, flagging restart', () => {
  const t = run({}, { supervised: true });
  t.clock.increment(1000);
  t.fake.exit('x', { code: 1 });
  assert.is(t.value(), 'EXITED');
  assert.is(t.states().at(-1)!.restart, true);
});

P('RUNNING → STOPPING on STOP: the stop signal goes to the pid', () => {
  const t = run();
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP' });
  assert.is(t.value(), 'STOPPING');
  assert.equal(t.fake.kills, [{ name: 'x', pid: 1000, signal: SIGTERM, group: false }]);
  assert.equal(t.order().slice(-2), ['killing x (pid 1000) with signal SIGTERM', '[STOPPING]']);
  assert.is(t.states().at(-1)!.pid, 1000);
});

P('STARTING → STOPPING on STOP: the stop signal is sent', () => {
  const t = run({ stopsignal: SIGHUP });
  t.actor.send({ type: 'STOP' });
  assert.equal(t.trail().slice(-1), ['STARTING>STOPPING']);
  assert.equal(t.fake.kills.map((k) => k.signal), [SIGHUP]);
  t.clock.increment(5000);
  assert.is(t.value(), 'STOPPING', 'startsecs no longer promotes it');
});

P('STARTING: a STOP before SPAWNED is held until the pid is known', () => {
  const clock = new SimulatedClock();
  let report: (r: ChildReport) => void = () => {};
  const kills: number[] = [];
  const late = fromCallback<ChildRequest, ChildInput, ChildReport>(({ sendBack, receive }) => {
    report = sendBack;
    receive((k) => kills.push(k.signal));
  });
  const actor = createActor(processMachine.provide({ actors: { child: late } }), { clock, input: { config: programConfig(), group: 'g' } }).start();
  actor.send({ type: 'STOP' });
  assert.is(actor.getSnapshot().value, 'STARTING');
  assert.equal(kills, []);
  report({ type: 'SPAWNED', pid: 7, at: BASE, mono: 0, age: 0 });
  assert.is(actor.getSnapshot().value, 'STOPPING');
  assert.equal(kills, [SIGTERM]);
  actor.stop();
});

P('STARTING: a held STOP followed by SPAWN_ERROR ends STOPPED, as a stop in BACKOFF does', () => {
  let report: (r: ChildReport) => void = () => {};
  const late = fromCallback<ChildRequest, ChildInput, ChildReport>(({ sendBack }) => { report = sendBack; });
  const emitted: ProcessEmitted[] = [];
  const actor = createActor(processMachine.provide({ actors: { child: late } }), { clock: new SimulatedClock(), input: { config: programConfig(), group: 'g' } });
  actor.on('state', (e) => emitted.push(e));
  actor.start();
  actor.send({ type: 'STOP' });
  report({ type: 'SPAWN_ERROR', message: 'no', at: BASE, mono: 0 });
  assert.is(actor.getSnapshot().value, 'STOPPED');
  assert.equal(emitted.map((e) => (e.type === 'state' ? e.to : '')), ['STARTING', 'BACKOFF', 'STOPPED']);
  actor.stop();
});

P('stopasgroup signals the process group; killasgroup the SIGKILL', () => {
  const t = run({ stopasgroup: true, killasgroup: true });
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP' });
  t.clock.increment(10_000);
  assert.equal(t.fake.kills.map((k) => [k.signal, k.group]), [[SIGTERM, true], [SIGKILL, true]]);
  assert.ok(t.logs().includes('DEBG killing x (pid 1000) process group with signal SIGTERM'));
});

P('STOPPING → STOPPED on exit: stopped line, dying pid, no restart (a manual stop sticks)', () => {
  const t = run({ autorestart: 'true' });
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP' });
  t.clock.increment(200);
  t.fake.exit('x', { signal: SIGTERM });
  assert.is(t.value(), 'STOPPED');
  assert.equal(t.order().slice(-3), ['[STOPPED]', 'stopped: x (terminated by SIGTERM)', 'received SIGCHLD indicating a child quit']);
  assert.equal(t.logs().slice(-2), ['WARN stopped: x (terminated by SIGTERM)', 'DEBG received SIGCHLD indicating a child quit']);
  assert.is(t.states().at(-1)!.pid, 1000);
  assert.is(t.ctx().pid, 0);
  assert.is(t.ctx().exitstatus, -1);
  assert.is(t.ctx().laststop, BASE + 1200);
  t.actor.send({ type: 'MOOD', mood: SupervisorStates.RUNNING });
  t.clock.increment(60_000);
  assert.is(t.value(), 'STOPPED');
});

P('STOPPING → STOPPED with an expected exit code logs INFO', () => {
  const t = run();
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP' });
  t.fake.exit('x', { code: 0 });
  assert.equal(t.logs().slice(-2), ['INFO stopped: x (exit status 0)', 'DEBG received SIGCHLD indicating a child quit']);
});

P('STOPPING → STOPPING: SIGKILL after stopwaitsecs, again every stopwaitsecs, no state event', () => {
  const t = run({ stopwaitsecs: 3 });
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP' });
  t.clock.increment(2999);
  assert.equal(t.fake.kills.map((k) => k.signal), [SIGTERM]);
  t.clock.increment(1);
  assert.equal(t.fake.kills.map((k) => k.signal), [SIGTERM, SIGKILL]);
  assert.ok(t.logs().includes("WARN killing 'x' (1000) with SIGKILL"));
  t.clock.increment(3000);
  assert.equal(t.fake.kills.map((k) => k.signal), [SIGTERM, SIGKILL, SIGKILL]);
  assert.equal(t.trail(), ['STOPPED>STARTING:0', 'STARTING>RUNNING', 'RUNNING>STOPPING']);
});

P('STOPPING with a waiting caller: "waiting for x to stop" at once, then on each STOP_REPORT while STOPPING', () => {
  const t = run();
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP', wait: true });
  const waiting = () => t.logs().filter((l) => l === 'INFO waiting for x to stop').length;
  assert.is(waiting(), 1);
  assert.equal(t.order().slice(-2), ['[STOPPING]', 'waiting for x to stop']);
  t.clock.increment(5000);
  assert.is(waiting(), 1, 'the machine keeps no timer of its own for it (src/daemon/stop-reports.ts does)');
  t.actor.send({ type: 'STOP_REPORT' });
  t.actor.send({ type: 'STOP_REPORT' });
  assert.is(waiting(), 3);
  t.fake.exit('x', { signal: SIGTERM });
  t.actor.send({ type: 'STOP_REPORT' });
  assert.is(waiting(), 3, 'STOPPED: nothing to report');
});

P('STOPPING → UNKNOWN when the stop signal cannot be sent', () => {
  const t = run();
  t.fake.onKill = () => ({ fail: 'EPERM' });
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP' });
  assert.is(t.value(), 'UNKNOWN');
  assert.equal(t.trail().slice(-2), ['RUNNING>STOPPING', 'STOPPING>UNKNOWN']);
  assert.equal(t.logs().at(-1), 'CRIT unknown problem killing x (1000):EPERM');
});

P('UNKNOWN → STOPPED when the child exits after a failed stop', () => {
  const t = run();
  t.fake.onKill = () => ({ fail: 'EPERM' });
  t.clock.increment(1000);
  t.actor.send({ type: 'STOP' });
  t.fake.exit('x', { code: 0 });
  assert.equal(t.trail().slice(-1), ['UNKNOWN>STOPPED']);
});

P('RUNNING: SIGNAL sends the signal to the pid alone, without a state change', () => {
  const t = run();
  t.clock.increment(1000);
  t.actor.send({ type: 'SIGNAL', signal: SIGHUP });
  assert.is(t.value(), 'RUNNING');
  assert.equal(t.fake.kills, [{ name: 'x', pid: 1000, signal: SIGHUP, group: false }]);
  assert.equal(t.logs().at(-1), 'DEBG sending x (pid 1000) sig SIGHUP');
});

P('RUNNING → UNKNOWN when a signal cannot be sent; its exit then goes to EXITED', () => {
  const t = run({ autorestart: 'false' });
  t.fake.onKill = () => ({ fail: 'EPERM' });
  t.clock.increment(1000);
  t.actor.send({ type: 'SIGNAL', signal: SIGHUP });
  assert.equal(t.trail().slice(-1), ['RUNNING>UNKNOWN']);
  assert.equal(t.logs().at(-1), 'CRIT unknown problem sending sig x (1000):EPERM');
  t.fake.exit('x', { code: 0 });
  assert.equal(t.trail().slice(-1), ['UNKNOWN>EXITED']);
});

P('FATAL → STARTING on START, tries back to 0', () => {
  const t = run({ startretries: 0 });
  t.fake.exit('x', { code: 1 });
  assert.is(t.value(), 'FATAL');
  t.actor.send({ type: 'START' });
  assert.equal(t.trail().slice(-1), ['FATAL>STARTING:0']);
  assert.is(t.ctx().spawnerr, null);
});

P('STOPPED/EXITED → FATAL on GIVE_UP with a reason (group intensity)', () => {
  const t = run({ autorestart: 'false' });
  t.clock.increment(1000);
  t.fake.exit('x', { code: 1 });
  t.actor.send({ type: 'GIVE_UP', reason: 'too many restarts' });
  assert.equal(t.trail().slice(-1), ['EXITED>FATAL']);
  assert.is(t.ctx().spawnerr, 'too many restarts');
});

P('commands a state does not list are ignored: START while up, STOP while down', () => {
  const t = run({ autorestart: 'false' });
  t.actor.send({ type: 'START' });
  t.clock.increment(1000);
  t.actor.send({ type: 'START' });
  t.fake.exit('x', { code: 0 });
  t.actor.send({ type: 'STOP' });
  assert.equal(t.trail(), ['STOPPED>STARTING:0', 'STARTING>RUNNING', 'RUNNING>EXITED']);
  assert.is(t.fake.spawns.length, 1);
  assert.equal(t.fake.kills, []);
});

P.run();
