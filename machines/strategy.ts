// Supervision strategies after Erlang/OTP's supervisor.erl, as data and pure functions so
// they are tested without XState. supervisor itself is one_for_one with no intensity
// limit: each process restarts on its own and nothing counts the restarts.
import type { Strategy, Supervision } from '../src/config/types.ts';
import { isRunning, isStopped, type ProcessStateName } from '../src/states.ts';

export type { Strategy, Supervision };

export const DEFAULT_SUPERVISION: Supervision = { strategy: 'one_for_one', max_restarts: null, restart_window: 5 };

/**
 * Whether the group must decide restarts itself. Plain supervisor behaviour needs no
 * group involvement, so its processes restart themselves exactly as supervisord's do.
 */
export const needsGroupRestart = (s: Supervision): boolean => s.strategy !== 'one_for_one' || s.max_restarts !== null;

/**
 * Members in supervisor's start order: ascending priority; Python's sort is stable and
 * Subprocess.__lt__ compares priority only, so equal priorities keep config order.
 */
export function priorityOrder<T extends { priority: number }>(members: readonly T[]): T[] {
  return members.map((m, i) => [m, i] as const).sort(([a, i], [b, j]) => a.priority - b.priority || i - j).map(([m]) => m);
}

/** Which members a strategy takes down with `dead` (OTP restart/2), in priority order. */
export function victims(strategy: Strategy, ordered: readonly string[], dead: string): string[] {
  const at = ordered.indexOf(dead);
  if (at < 0) return [];
  switch (strategy) {
    case 'one_for_one': return [dead];
    case 'one_for_all': return [...ordered];
    case 'rest_for_one': return ordered.slice(at);
  }
}

export interface RestartPlan {
  /** Members to stop first, in reverse priority order (OTP terminates right to left). */
  stop: string[];
  /** Members to start once all of them are stopped, in priority order. */
  start: string[];
}

/**
 * What the group does when `dead` exited and is due for a restart. Only members that
 * were up (RUNNING, STARTING, BACKOFF) are taken down and brought back: a member the
 * user stopped, or one already FATAL, stays as it is.
 */
export function planRestart(
  strategy: Strategy, ordered: readonly string[], states: Readonly<Record<string, ProcessStateName>>, dead: string,
): RestartPlan {
  const hit = victims(strategy, ordered, dead);
  const up = hit.filter((n) => n !== dead && isRunning(states[n] ?? 'STOPPED'));
  return { stop: [...up].reverse(), start: hit.filter((n) => n === dead || up.includes(n)) };
}

/** Merge a second plan into one in progress, keeping priority order and no duplicates. */
export function mergePlans(ordered: readonly string[], a: RestartPlan, b: RestartPlan): RestartPlan {
  const start = new Set([...a.start, ...b.start]);
  const stop = new Set([...a.stop, ...b.stop]);
  return {
    stop: ordered.filter((n) => stop.has(n)).reverse(),
    start: ordered.filter((n) => start.has(n)),
  };
}

export interface IntensityCheck {
  /** Restart times still inside the window, oldest first, this one included. */
  restarts: number[];
  /** More than max_restarts restarts within the window: the group gives up. */
  exceeded: boolean;
}

/**
 * OTP's add_restart: a sliding window. Times are ms; the window is in seconds as the
 * config gives it. A restart exactly `window` seconds old still counts (R >= Now - Period).
 */
export function addRestart(windowSecs: number, now: number, restarts: readonly number[], maxRestarts: number | null): IntensityCheck {
  const threshold = now - windowSecs * 1000;
  const kept = [...restarts.filter((t) => t >= threshold), now];
  return { restarts: kept, exceeded: maxRestarts !== null && kept.length > maxRestarts };
}

/** States in which a START / a GIVE_UP changes a member's state (the process table's rows). */
export const STARTABLE: readonly ProcessStateName[] = ['STOPPED', 'EXITED', 'FATAL', 'BACKOFF'];
export const GIVABLE: readonly ProcessStateName[] = ['STOPPED', 'EXITED', 'BACKOFF'];

/** True when every named member is in one of supervisor's STOPPED_STATES. */
export const allStopped = (names: readonly string[], states: Readonly<Record<string, ProcessStateName>>): boolean =>
  names.every((n) => isStopped(states[n] ?? 'STOPPED'));

/** Why a group gave up, as the main log and the members' spawnerr say it. */
export const intensityReason = (group: string, s: Supervision): string =>
  `group ${group} exceeded max_restarts=${s.max_restarts} within restart_window=${s.restart_window} seconds`;
