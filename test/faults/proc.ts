// What the fault tests read about a daemon from /proc: its open fds (and which of them hold
// a given file) and its resident memory.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The fds the process has open now. */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** How many of the process's fds hold `path` open. */
export function fdsOn(pid: number, path: string): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === path) n++;
    } catch { /* closed meanwhile */ }
  }
  return n;
}

/** VmRSS, kB. */
export function rssKb(pid: number): number {
  return Number(/^VmRSS:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}
