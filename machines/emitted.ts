// What leaves the machines. Each machine emits its own events with XState's `emit`,
// which hands them out once the step is done, in order. The tree's one ordered stream is
// `Publish`, given in the root's input (and passed on to each group's, or given to a lone
// group's): the root and each group subscribe it to their own events, and a group to
// each member's before the member starts. An event thus reaches the daemon at the end of
// the step that caused it, and a state change costs its group and the root no step.
//
// A parent that must react to its children's changes (a group deciding restarts, a root
// with depends_on) says so with `listens`; a child then also relays each step's events to
// it (`Relay`), after publishing them. A group stopping all its members (`stopsAll`)
// hears only of the changes that can end the stop (wantsRelay).
import type { AnyActorRef, EventObject } from 'xstate';
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

/** The tree's stream of emitted events, in the order they happen (a group's carries GroupEmitted only). */
export type Publish<E extends Emitted = Emitted> = (e: E) => void;

/** Subscribe the stream to what `actor` emits (a machine of this tree: it emits only E). */
export const publishFrom = <E extends Emitted>(actor: AnyActorRef, publish: Publish<E>): void => void actor.on('*', publish as (e: EventObject) => void);

/**
 * How a child hands a step's emitted events to a parent that listens: one message per
 * macrostep, sent when the step is complete. A parent that reacted to the first event of
 * a step (and commanded other children) before the rest arrived would act on half a step.
 */
export interface Relay<E extends Emitted = Emitted> {
  type: 'relay';
  events: E[];
}

/** The part of a machine's snapshot that says whether it wants its children's relays. */
interface ListenerSnapshot {
  context: { listens?: boolean };
  hasTag(tag: string): boolean;
}

/**
 * Whether `parent` wants relays: its context says so (a group deciding restarts, a
 * root with depends_on while RUNNING), or it must pass them on to its own parent, which
 * listens.
 */
export function listens(parent: AnyActorRef | undefined): boolean {
  // No snapshot yet: the parent is making its first one, spawning us; it asks what it needs once done.
  const s = parent?.getSnapshot() as ListenerSnapshot | undefined;
  return s !== undefined && (s.context.listens === true || listens(parent?._parent));
}

/**
 * Whether `parent` wants these events of a step relayed: when it listens, all of them; a
 * group stopping all (its state tagged `stopsAll`) only a change to a state past STOPPING,
 * the only kind that moves its stop on. A member's STOPPING (one per member) would cost
 * the group a step that changes nothing.
 */
export function wantsRelay(parent: AnyActorRef | undefined, events: readonly Emitted[]): boolean {
  if (listens(parent)) return true;
  const s = parent?.getSnapshot() as ListenerSnapshot | undefined;
  return s !== undefined && s.hasTag('stopsAll') && events.some((e) => e.type === 'state' && e.to !== 'STOPPING');
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
