// Delays between failed starts and before restarts, as pure functions of the process's
// options (src/config/ext-lifecycle.ts) and its counters, so the process machine's named
// delays stay one line each and the SimulatedClock tests every value.
//
// supervisor waits n seconds before the n-th retry of a failed start (process.py,
// Subprocess.transition: `self.delay = now + self.backoff`) and restarts an exit from
// RUNNING at once. `backoff = exponential` doubles instead (1, 2, 4, 8 s …, as systemd's
// RestartSteps and pm2's exp_backoff_restart_delay grow geometrically), `backoff_max`
// caps it, `backoff_jitter` spreads it so a fleet of crashing programs does not retry
// in step, and `restart_delay` waits before an autorestart (pm2's restart_delay).
import type { LifecycleOptions } from '../src/config/ext-lifecycle.ts';

type Backoff = Pick<LifecycleOptions, 'backoff' | 'backoff_max' | 'backoff_jitter'>;

/**
 * A factor in [1 - jitter, 1 + jitter], fixed for a process name and a try number: no
 * randomness in the machine (a replay gives the same waits), different processes still
 * spread. FNV-1a over the name and the try.
 */
export function jitterFactor(jitter: number, name: string, n: number): number {
  if (jitter === 0) return 1;
  let h = 0x811c9dc5;
  for (const c of `${name}#${n}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return 1 + jitter * ((h / 0xffffffff) * 2 - 1);
}

type Growth = 'linear' | 'exponential' | 'none';

/** `baseSecs` grown for the n-th consecutive failure (n ≥ 1), capped and spread; in ms. */
function grown(o: Backoff, growth: Growth, baseSecs: number, n: number, name: string): number {
  const secs = growth === 'exponential' ? baseSecs * 2 ** (n - 1) : growth === 'linear' ? baseSecs * n : baseSecs;
  const capped = o.backoff_max === null ? secs : Math.min(secs, o.backoff_max);
  return Math.round(capped * 1000 * jitterFactor(o.backoff_jitter, name, n));
}

/** The wait in BACKOFF after the `tries`-th failed start: linear 1, 2, 3 s …; exponential 1, 2, 4 s …. */
export const startBackoffMs = (o: Backoff, tries: number, name: string): number => grown(o, o.backoff, 1, Math.max(1, tries), name);

/**
 * The wait in EXITED before an autorestart, after the `crashes`-th consecutive exit from
 * RUNNING: restart_delay, doubled per crash when backoff = exponential (the count resets
 * once the process stays up backoff_reset seconds). 0 without restart_delay, as supervisor.
 */
export function restartDelayMs(o: Backoff & Pick<LifecycleOptions, 'restart_delay'>, crashes: number, name: string): number {
  if (o.restart_delay === 0) return 0;
  return grown(o, o.backoff === 'exponential' ? 'exponential' : 'none', o.restart_delay, Math.max(1, crashes), name);
}

/** Only restart_delay under exponential backoff grows with crashes: only then is there a count to reset (backoff_reset). */
export const backoffResets = (o: Pick<LifecycleOptions, 'backoff' | 'restart_delay'>): boolean => o.restart_delay > 0 && o.backoff === 'exponential';
