// The flapping soak: N programs that each print a line, sleep 0.2–2 s and exit 1, restarted
// at once (startsecs=0, autorestart=true), for M minutes on each daemon. Every 30 s the
// daemon's RSS (VmRSS) and open fds (/proc/<pid>/fd) are read; after the first minute both
// must be flat. The yardstick for RSS is the same daemon with the same N programs all
// sleeping (nothing restarts). Slopes are least-squares fits over the samples after the
// first minute, per minute.
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { withDaemon, type Daemon, type Kind } from './lib/daemon.ts';
import { cpuSeconds, statusField } from './lib/proc.ts';
import { fmt, mb, table } from './lib/stats.ts';

const SAMPLE_MS = 30_000;
const WARMUP_MS = 60_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface SoakSample {
  /** Seconds since the last program's first spawn. */
  s: number;
  rssKb: number | null;
  fds: number | null;
  /** `exited:` lines so far. */
  exits: number;
  /** The daemon's utime + stime so far, s. */
  cpuS: number | null;
}

export interface SoakResult {
  kind: Kind;
  n: number;
  samples: SoakSample[];
  /** RSS of the same n programs all sleeping, once all are RUNNING and 30 s on. */
  sleepingRssKb: number | null;
  rssSlopeMbPerMin: number;
  fdSlopePerMin: number;
}

/** n flapping programs: `echo up`, sleep 0.2, 0.4 … 2.0 s by turns, exit 1; or the same n sleeping on. */
export function flapping(n: number, sleeping = false): string {
  const out: string[] = [];
  const width = String(n - 1).length;
  for (let i = 0; i < n; i++) {
    const secs = (0.2 * (1 + (i % 10))).toFixed(1);
    const command = sleeping ? "/bin/sh -c 'echo up; sleep 100000'" : `/bin/sh -c 'echo up; sleep ${secs}; exit 1'`;
    out.push(`[program:flap_${String(i).padStart(width, '0')}]`, `command = ${command}`, 'startsecs = 0', 'autorestart = true', '');
  }
  return out.join('\n');
}

function openFds(pid: number): number | null {
  try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return null; }
}

/** Least-squares slope of y over x (per unit of x), or NaN with fewer than two points. */
export function slope(points: ReadonlyArray<[number, number]>): number {
  if (points.length < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return num / den;
}

const EXITED = /^exited: /;

async function sample(d: Daemon, minutes: number, log: (s: string) => void): Promise<SoakSample[]> {
  const t0 = performance.now();
  const out: SoakSample[] = [];
  for (let i = 0; i * SAMPLE_MS <= minutes * 60_000; i++) {
    await sleep(Math.max(0, t0 + i * SAMPLE_MS - performance.now()));
    const s: SoakSample = { s: Math.round((performance.now() - t0) / 1000), rssKb: statusField(d.pid, 'VmRSS'), fds: openFds(d.pid), exits: d.tally, cpuS: cpuSeconds(d.pid) };
    out.push(s);
    log(`  ${d.o.kind} ${s.s} s: RSS ${fmt(mb(s.rssKb), 1, 'MB')}, ${s.fds} fds, ${s.exits} exits`);
  }
  return out;
}

export async function soak(kind: Kind, n: number, minutes: number, log: (s: string) => void): Promise<SoakResult> {
  const common = { minfds: 4096, keepLines: false };
  const sleepingRssKb = await withDaemon({ kind, programs: flapping(n, true), ...common, tally: /^spawned: / }, async (d) => {
    await d.waitFor(/^spawned: /, n, 600_000);
    await sleep(SAMPLE_MS);
    return statusField(d.pid, 'VmRSS');
  });
  log(`  ${kind}: ${n} sleeping programs, RSS ${fmt(mb(sleepingRssKb), 1, 'MB')}`);
  return withDaemon({ kind, programs: flapping(n), ...common, tally: EXITED }, async (d) => {
    await d.waitFor(/^spawned: /, n, 600_000);
    const samples = await sample(d, minutes, log);
    const late = samples.filter((s) => s.s * 1000 >= WARMUP_MS);
    const fit = (get: (s: SoakSample) => number | null) => slope(late.flatMap((s) => (get(s) === null ? [] : [[s.s / 60, get(s)!] as [number, number]])));
    return {
      kind, n, samples, sleepingRssKb,
      rssSlopeMbPerMin: fit((s) => mb(s.rssKb)),
      fdSlopePerMin: fit((s) => s.fds),
    };
  });
}

/** The README section: one row per sample, then the slopes and the yardstick. */
export function soakTable(results: Partial<Record<Kind, SoakResult>>, minutes: number, n: number): string {
  const kinds = (['statevisord', 'supervisord'] as const).filter((k) => results[k]);
  const longest = Math.max(...kinds.map((k) => results[k]!.samples.length));
  const rows: string[][] = [];
  for (let i = 0; i < longest; i++) {
    const cells = kinds.flatMap((k) => {
      const s = results[k]!.samples[i];
      return s ? [fmt(mb(s.rssKb), 1, 'MB'), String(s.fds ?? '—'), String(s.exits)] : ['—', '—', '—'];
    });
    rows.push([`${i * (SAMPLE_MS / 1000)} s`, ...cells]);
  }
  const head = ['time', ...kinds.flatMap((k) => [`${k} RSS`, `${k} fds`, `${k} exits`])];
  const summary = kinds.map((k) => {
    const r = results[k]!;
    const last = r.samples.at(-1)!;
    const late = r.samples.filter((s) => s.s * 1000 >= WARMUP_MS).map((s) => s.rssKb ?? NaN);
    const peak = Math.max(...late);
    const mean = late.reduce((a, b) => a + b, 0) / late.length;
    const times = (kb: number) => fmt(kb / (r.sleepingRssKb ?? NaN), 2, '×');
    return `- ${k}: RSS slope ${fmt(r.rssSlopeMbPerMin, 2, 'MB/min')}, fd slope ${fmt(r.fdSlopePerMin, 1, 'fds/min')} (after the first minute); ` +
      `${last.exits} exits (${fmt(last.exits / last.s, 0, '/s')}, ${fmt(((last.cpuS ?? NaN) - (r.samples[0].cpuS ?? NaN)) * 1000 / last.exits, 2, 'ms')} of daemon CPU each); RSS with the ${n} programs sleeping ${fmt(mb(r.sleepingRssKb), 1, 'MB')}, ` +
      `flapping RSS after the first minute ${fmt(mb(mean), 1, 'MB')} on average (${times(mean)}), ${fmt(mb(peak), 1, 'MB')} at most (${times(peak)}).`;
  });
  return `${n} programs \`sh -c 'echo up; sleep 0.2…2.0; exit 1'\`, startsecs=0, autorestart=true, ${minutes} min on each daemon, one after the other; sampled every 30 s from the last program's first spawn.\n\n${table(head, rows)}\n\n${summary.join('\n')}`;
}
