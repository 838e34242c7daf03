// The process machine's contract with the runtime, and the bookkeeping supervisor's
// Subprocess keeps (supervisor.md §2.2), as plain types and pure functions.
//
// The runtime supplies one actor, `child`, through `processMachine.provide({ actors })`:
//
//   fromCallback<ChildRequest, ChildInput, ChildReport>(({ input, sendBack, receive }) => …)
//
// * It is spawned on every entry to STARTING and stopped on entry to STOPPED, EXITED,
//   BACKOFF and FATAL: it lives exactly while a child process may exist (STARTING,
//   RUNNING, STOPPING, UNKNOWN).
// * On start it spawns `input.config` and reports, synchronously from its start
//   function, exactly one of `SPAWNED {pid, at, age}` or `SPAWN_ERROR {message, at}` with
//   supervisor's texts (`can't find command 'x'`, `command at 'x' is not executable`, …).
//   A late report still works, but a STOP received before it is held until SPAWNED.
// * When the child ends it reports `EXITED {code, signal, at}` once, after which it
//   reports nothing more. A child that failed to exec exits 127 like supervisor's does.
// * It receives `KILL {signal, group}`: send `signal` to pid, or to -pid when `group`.
//   ESRCH is not a failure (supervisor ignores it: the exit comes as EXITED). Any other
//   error is reported as `KILL_FAILED {message}` and the machine goes to UNKNOWN.
// * Its cleanup runs when the machine leaves the alive states (the child is gone) or the
//   machine itself is stopped while a child lives (e.g. the daemon quits): then the
//   runtime decides whether to kill it; the machine no longer tracks it.
// * `at` is wall-clock ms (Date.now()). The machine only records it (laststart,
//   laststop) and compares it with laststart to decide "exited too quickly", as
//   supervisor does with time.time(); every timer is an XState delay, so tests run
//   under SimulatedClock. SPAWNED's `at` is laststart, taken before the spawn as
//   supervisor takes it before its fork, and its `age` how long before the report that
//   was (a spawn queued on another thread comes back late): startsecs counts from `at`.
// * `mono` is monotonic ms (the runtime counts performance.now() from the wall clock's
//   reading at start): only differences mean anything to the machines. The group
//   measures its restart window with it, which a wall-clock step must not move.
import { fromCallback } from 'xstate';
import type { ProcessConfig } from '../src/config/types.ts';
import { SupervisorStates, type ProcessStateName, type SupervisorStateCode } from '../src/states.ts';
import type { CheckReport } from './checks.ts';
import { waitingText } from './dependencies.ts';
import type { ProcessEmitted } from './emitted.ts';

export interface ChildInput {
  config: ProcessConfig;
  group: string;
}

/** What `child` sends back to the machine. */
export type ChildReport =
  | { type: 'SPAWNED'; pid: number; at: number; mono: number; age: number }
  | { type: 'SPAWN_ERROR'; message: string; at: number; mono: number }
  | { type: 'EXITED'; code: number | null; signal: number | null; core?: boolean; at: number; mono: number }
  | { type: 'KILL_FAILED'; message: string };

/** What the machine asks of `child`. */
export interface ChildRequest {
  type: 'KILL';
  signal: number;
  /** Signal the child's process group (-pid): stopasgroup for the stop signal, killasgroup for SIGKILL. */
  group: boolean;
}

/** Commands from the group, the RPC layer or the daemon. Each state ignores what it does not list. */
export type ProcessCommand =
  /** `restart`: the group's strategy restarts an exited member, which then waits restart_delay as an autorestart does. */
  | { type: 'START'; restart?: boolean }
  /** `wait`: a caller waits for the stop, so log `waiting for x to stop` now (stop_report). */
  | { type: 'STOP'; wait?: boolean }
  /** stop_report() again: the caller still waits; logged while STOPPING. */
  | { type: 'STOP_REPORT' }
  /** signalProcess: a signal that is not meant to stop the process. */
  | { type: 'SIGNAL'; signal: number }
  /** BACKOFF → FATAL (stop_all at shutdown); with a reason, also STOPPED/EXITED → FATAL (group intensity). */
  | { type: 'GIVE_UP'; reason?: string }
  /** supervisord's mood: below RUNNING no automatic spawn happens (autostart, autorestart, backoff retry). */
  | { type: 'MOOD'; mood: SupervisorStateCode }
  /** From the root: what the process's depends_on still waits for, or the dependency that failed (dependencies.ts). */
  | { type: 'DEPS'; waiting: string | null; failed: string | null };

/**
 * Timers of the lifecycle extensions, raised with a delay only where an option asks for
 * them (a timer of XState's scheduler costs every actor's stop a look): SIGKILL a process
 * stopped for a failed check, ready_timeout, backoff_reset, restart_delay.
 */
type LifecycleTimer = { type: 'STARTSECS' } | { type: 'CHECK_KILL' } | { type: 'READY_TIMEOUT' } | { type: 'BACKOFF_RESET' } | { type: 'RESTART_DUE' };

export type ProcessEvent = ProcessCommand | ChildReport | CheckReport | LifecycleTimer;

export interface ProcessInput {
  config: ProcessConfig;
  group: string;
  /** Default RUNNING: a process created by a running supervisor autostarts at once. */
  mood?: SupervisorStateCode;
  /**
   * The group decides restarts (strategies, intensity): an exit that calls for an
   * autorestart leaves the process in EXITED with `restart: true` in its state event,
   * and the group sends START. Default false: the process restarts itself, as supervisor's.
   */
  supervised?: boolean;
}

/** statevisor's lifecycle bookkeeping: dependencies, readiness, health, restart delays. */
export interface LifecycleContext {
  /** What depends_on still waits for (`waiting for db (running)`), null when every dependency holds. */
  waiting: string | null;
  /** A dependency that failed (`dependency db is FATAL`): a wanted start gives up. */
  depFailed: string | null;
  /** A start (autostart or START) waits for the dependencies. */
  wantStart: boolean;
  /** This start's ready check has passed / its startsecs have passed. */
  ready: boolean;
  startsecsDone: boolean;
  /** The last failed ready try, for the description and the timeout's log line. */
  readyReason: string | null;
  /** The start failed its ready check (timeout): the exit that follows goes to BACKOFF. */
  readyFailed: string | null;
  /** `healthy`, `unhealthy 2/3: connection refused`; null without a health check or before the first result. */
  health: string | null;
  healthFailures: number;
  /** Stopped for failing health checks: the exit calls for a restart. */
  healthKill: boolean;
  /** Consecutive exits from RUNNING (restart_delay grows with them under backoff=exponential). */
  crashes: number;
}

/** supervisor's Subprocess bookkeeping; everything getProcessInfo reports is here. */
export interface ProcessContext extends LifecycleContext {
  config: ProcessConfig;
  group: string;
  mood: SupervisorStateCode;
  supervised: boolean;
  /** 0 when no child runs. */
  pid: number;
  /** ms; 0 if never started. */
  laststart: number;
  /** ms; 0 if never stopped; kept across restarts. */
  laststop: number;
  /** supervisor tests laststart == 0 for autostart; a flag keeps that independent of the runtime's clock. */
  started: boolean;
  /** null until an exit is recorded (getProcessInfo shows 0); -1 when killed by a signal. */
  exitstatus: number | null;
  spawnerr: string | null;
  /** Consecutive failed starts; `tries` in STARTING/BACKOFF events. */
  backoff: number;
  administrativeStop: boolean;
  /** A STOP came before SPAWNED: stop as soon as the pid is known. */
  stopPending: boolean;
  /** A caller waits for the stop (STOP {wait: true}): its STOPPING row says so at once. */
  stopReport: boolean;
  /** This step's events for a parent that listens, relayed to it when the step ends; empty at rest. */
  outbox: ProcessEmitted[];
}

/**
 * A process's first context, built by one named store per field rather than as a literal.
 * XState copies the context on every assign (`Object.assign({}, context, update)`), and
 * V8 (Node 20) turns an object grown by such a copy into a slow dictionary past 19
 * properties: with these 26, each assign cost 14 µs and 3 KB, 200 µs a process in a stop
 * of all. Named stores from `{}` lay down the same chain of object shapes under V8's
 * higher limit for them, and the copies follow that chain: 1.7 µs, fast properties.
 */
export function initialContext(input: ProcessInput): ProcessContext {
  const c: Partial<ProcessContext> = {};
  c.config = input.config; c.group = input.group; c.mood = input.mood ?? SupervisorStates.RUNNING; c.supervised = input.supervised ?? false;
  c.pid = 0; c.laststart = 0; c.laststop = 0; c.started = false; c.exitstatus = null; c.spawnerr = null; c.backoff = 0;
  c.administrativeStop = false; c.stopPending = false; c.stopReport = false; c.outbox = [];
  c.waiting = waitingText(input.config.statevisor.depends_on); c.depFailed = null; c.wantStart = false;
  c.ready = false; c.startsecsDone = false; c.readyReason = null; c.readyFailed = null;
  c.health = null; c.healthFailures = 0; c.healthKill = false; c.crashes = 0;
  return c as ProcessContext;
}

/** Automatic spawns stop once supervisord leaves RUNNING (mood > RESTARTING in process.py). */
export const mayAutoSpawn = (c: ProcessContext): boolean => c.mood > SupervisorStates.RESTARTING;

export const exitExpected = (c: ProcessContext, status: number | null): boolean => status !== null && c.config.exitcodes.includes(status);

/** supervisor's autorestart test on EXITED: `true` always; `unexpected` when exitstatus is not in exitcodes. */
export function restartWanted(c: ProcessContext): boolean {
  if (!mayAutoSpawn(c)) return false;
  if (c.healthKill) return true;
  if (c.config.autorestart === 'true') return true;
  return c.config.autorestart === 'unexpected' && !exitExpected(c, c.exitstatus);
}

/** An exit the process restarts itself (without a group deciding). */
export const selfRestartDue = (c: ProcessContext): boolean => !c.supervised && restartWanted(c);

/** The machine's state value is always one of supervisor's process state names. */
export const processStateOf = (snapshot: { value: unknown }): ProcessStateName => snapshot.value as ProcessStateName;

/** The default `child`: without a runtime nothing can be spawned, and it says so. */
export const noRuntime = fromCallback<ChildRequest, ChildInput, ChildReport>(({ sendBack }) => {
  sendBack({ type: 'SPAWN_ERROR', message: 'no child runtime provided', at: 0, mono: 0 });
});
