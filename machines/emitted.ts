// What leaves the machines. Every machine emits these with XState's `emit` and also
// relays them to its parent, so the runtime subscribes once, on the root
// (`root.on('*', …)`), and sees one ordered stream for the whole tree. Each machine
// collects a step's events in `context.outbox`; a root-level eventless transition, which
// XState tries only after every state-level one, emits and relays them when the step is
// done (the root, which relays to no one, emits as it goes). One action per step, not
// one per event: XState's enqueueActions and assign each cost a step allocations.
import type { ProcessStateName, SupervisorStateName } from '../src/states.ts';

/** supervisor's main-log level names (loggers.LevelsByName). */
export type LogLevel = 'CRIT' | 'ERRO' | 'WARN' | 'INFO' | 'DEBG' | 'TRAC' | 'BLAT';

/** One main-log line, text exactly as supervisord writes it (without time and level). */
export interface LogLine {
  type: 'log';
  level: LogLevel;
  message: string;
  /**
   * When it happened (ms), for a line a child's report caused: lines reach the log at the
   * end of a step, which may be long after (a burst of spawns). Absent: when written.
   */
  at?: number;
}

/**
 * One process state change: exactly one per change, in order, never for a
 * self-transition. Carries what the PROCESS_STATE_<to> payload needs.
 */
export interface ProcessStateChange {
  type: 'state';
  name: string;
  group: string;
  from: ProcessStateName;
  to: ProcessStateName;
  /** STOPPED/EXITED: the pid that just died; RUNNING/STOPPING: the live pid; else 0 or the live pid. */
  pid: number;
  /** The backoff counter: the `tries` of STARTING and BACKOFF payloads. */
  tries: number;
  /** EXITED only: the exit status is in exitcodes. true elsewhere, as supervisor defaults it. */
  expected: boolean;
  /** EXITED only: autorestart asks for a restart (and the supervisor is RUNNING). */
  restart: boolean;
  /** Time (ms) of the child report behind this change; null when a timer or a command caused it. */
  at: number | null;
  /** The same report's monotonic time (ms, see ChildReport); absent when `at` is null. */
  mono?: number;
}

/** supervisord's mood changed: to RUNNING = SUPERVISOR_STATE_CHANGE_RUNNING; from RUNNING = …_STOPPING. */
export interface MoodChange {
  type: 'mood';
  from: SupervisorStateName | null;
  to: SupervisorStateName;
}

/** PROCESS_GROUP_ADDED / PROCESS_GROUP_REMOVED. */
export interface GroupChange {
  type: 'groupAdded' | 'groupRemoved';
  group: string;
}

export type ProcessEmitted = ProcessStateChange | LogLine;
export type GroupEmitted = ProcessEmitted;
export type SupervisorEmitted = GroupEmitted | MoodChange | GroupChange;
export type Emitted = SupervisorEmitted;

/**
 * How a child hands its emitted events to its parent: one message per macrostep, sent
 * when the step is complete. A parent that reacted to the first event of a step (and
 * commanded other children) before the rest arrived would mix up the log's order.
 */
export interface Relay<E extends Emitted = Emitted> {
  type: 'relay';
  events: E[];
}

export const log = (level: LogLevel, message: string): LogLine => ({ type: 'log', level, message });

/**
 * An actor of the tree threw (an I/O actor the runtime supplied, or a bug in a machine):
 * the parent that hears of it logs it at CRIT with the stack and carries on, as supervisord
 * logs "uncaptured python exception" and keeps running. Without a handler XState would
 * pass the error up and end the whole tree, every child orphaned.
 */
export const crashed = (event: { type: string; error?: unknown }): LogLine => {
  const e = event.error;
  const stack = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  return log('CRIT', `uncaptured exception in ${event.type.slice('xstate.error.actor.'.length)}: ${stack}`);
};

/** The event a parent gets when one of its actors threw. */
export const ACTOR_ERROR = 'xstate.error.actor.*';
