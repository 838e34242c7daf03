// The group machine's contract: its input, the commands it takes, what it tells its
// parent, and its context, plus the small pure helpers its table uses.
import type { GroupConfig } from '../src/config/types.ts';
import type { ProcessStateName, SupervisorStateCode } from '../src/states.ts';
import type { GroupEmitted, ProcessEmitted, ProcessStateChange, Publish, Relay } from './emitted.ts';
import type { ProcessCommand } from './process-types.ts';
import { intensityReason, type RestartPlan } from './strategy.ts';

export interface GroupInput {
  config: GroupConfig;
  /** Default RUNNING: members autostart as soon as the group exists. */
  mood?: SupervisorStateCode;
  /** The tree's stream (emitted.ts): the group's own events and its members' go there. */
  publish?: Publish<GroupEmitted>;
}

export type GroupCommand =
  /** startProcessGroup / startProcess: one member by name, or all in ascending priority. */
  | { type: 'START'; name?: string }
  /** stopProcessGroup / stopProcess: ascending priority too, as supervisor does (its issue #217). */
  | { type: 'STOP'; name?: string; wait?: boolean }
  | { type: 'SIGNAL'; name?: string; signal: number }
  | { type: 'MOOD'; mood: SupervisorStateCode }
  /** supervisord's stop_all() at shutdown/reload: descending priority; BACKOFF members go FATAL. */
  | { type: 'STOP_ALL' };

export type GroupEvent = GroupCommand | Relay<ProcessEmitted>;

/** Told to the parent (the supervisor) once STOP_ALL has left every member in a stopped state. */
export interface GroupStopped { type: 'GROUP_STOPPED'; group: string }

export interface GroupContext {
  config: GroupConfig;
  mood: SupervisorStateCode;
  /** The group decides its members' restarts, so it hears of every change (emitted.ts `listens`). */
  listens: boolean;
  /** Member names in start order: ascending priority, config order among equals. */
  order: string[];
  /**
   * Each member's state, read from its actor when asked: a view, never copied, so a
   * member's change costs the group nothing until it must act on it.
   */
  states: Readonly<Record<string, ProcessStateName>>;
  /** Restart times (ms) inside the intensity window. */
  restarts: number[];
  /** A strategy restart under way: these are being stopped, then those start. */
  plan: RestartPlan | null;
  /** Members still to get the current one-at-a-time command (START or GIVE_UP). */
  queue: string[];
  /** Stopping all: `order[0 … scan)` have been seen stopped, so each change looks at one more member, not all. */
  scan: number;
}

/** No restart under way: the group's `forward` would only hand a user's command on to its member. */
export const handsOn = (c: GroupContext): boolean => c.plan === null && c.queue.length === 0;

export const processSystemId = (group: string, name: string): string => `process:${group}:${name}`;
export const groupSystemId = (group: string): string => `group:${group}`;

/**
 * The member exit in a relayed step that calls for a restart, if any: an EXITED that
 * autorestart wants, or an exit before startsecs (BACKOFF) that the member will retry,
 * i.e. one that ends the step in BACKOFF (not FATAL, not STOPPED by a held stop).
 */
export function exitIn(e: GroupEvent): ProcessStateChange | null {
  if (e.type !== 'relay') return null;
  const changes = e.events.filter((x): x is ProcessStateChange => x.type === 'state');
  const endsIn = (name: string) => changes.findLast((x) => x.name === name)?.to;
  return changes.find((x) => (x.to === 'EXITED' && x.restart) || (x.to === 'BACKOFF' && endsIn(x.name) === 'BACKOFF')) ?? null;
}

/** When that exit happened, on the monotonic clock the restart window is measured with. */
export const exitTime = (e: GroupEvent): number => exitIn(e)?.mono ?? 0;
export const commandFor = (c: GroupContext, kind: 'START' | 'GIVE_UP'): ProcessCommand =>
  kind === 'START' ? { type: 'START', restart: true } : { type: 'GIVE_UP', reason: intensityReason(c.config.name, c.config.supervision) };

