// The programs each case gives both daemons, as config text after [supervisord]. Both read
// the same text; only the temp dir (logfile, pidfile, childlogdir) differs.
import { readFileSync } from 'node:fs';

/** How long the crashing program lives: `sleep` takes seconds, so 50 ms is 0.05. */
export const CRASH_MS = 50;

export function crashing(): string {
  return [
    '[program:crash]',
    `command = /bin/sleep ${CRASH_MS / 1000}`,
    'startsecs = 0',
    'autorestart = true',
    '',
  ].join('\n');
}

/** n programs (their own groups) that sleep until stopped, RUNNING after startsecs. */
export function sleepers(n: number, startsecs = 1): string {
  const out: string[] = [];
  const width = String(n - 1).length;
  for (let i = 0; i < n; i++) {
    out.push(`[program:sleep_${String(i).padStart(width, '0')}]`, 'command = /bin/sleep 100000', `startsecs = ${startsecs}`, '');
  }
  return out.join('\n');
}

function softLimit(row: string): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith(row)) ?? '';
  const soft = line.slice(row.length).trim().split(/\s+/)[0];
  return soft === 'unlimited' ? Infinity : Number(soft);
}

/**
 * minfds / minprocs for n children, only when the inherited limits are short of them.
 * supervisord's child closes every fd below minfds before exec, one close(2) each, so a
 * needlessly high minfds would slow its spawns: keep its default (1024) when it suffices.
 */
export function limitsFor(n: number): { minfds?: number; minprocs?: number } {
  // Per child: three pipes (the daemon keeps one end each) and two log files; plus slack.
  const fds = n * 5 + 256;
  const procs = n + 64;
  const o: { minfds?: number; minprocs?: number } = {};
  if (softLimit('Max open files') < fds) o.minfds = fds;
  if (softLimit('Max processes') < procs * 2) o.minprocs = procs * 2;
  return o;
}
