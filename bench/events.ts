// Event cases: events per second through one listener that acknowledges at once, and the
// latency from a child's exit to the listener holding its PROCESS_STATE_EXITED. Both
// daemons run the same listener (lib/ack-listener.py), which stamps each event as it reads it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, withDaemon, type Kind } from './lib/daemon.ts';
import { cpuSeconds } from './lib/proc.ts';
import { median } from './lib/stats.ts';

const LIB = join(ROOT, 'bench', 'lib');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The listener's stamps: seconds since the epoch and event name, one per event. */
function stamps(file: string): { t: number; name: string }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
    const [t, name] = l.split(' ');
    return { t: Number(t), name };
  });
}

function lines(file: string): number {
  if (!existsSync(file)) return 0;
  const b = readFileSync(file);
  let count = 0;
  for (let at = b.indexOf(0x0a); at !== -1; at = b.indexOf(0x0a, at + 1)) count++;
  return count;
}

async function until<T>(what: string, timeoutMs: number, get: () => T | null): Promise<T> {
  for (const end = performance.now() + timeoutMs; performance.now() < end; await sleep(50)) {
    const v = get();
    if (v !== null) return v;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface ThroughputResult {
  n: number;
  /** Events per second the listener got, first to last. */
  perSecond: number;
  /** startProcess of the listener → it holds the last event. */
  totalMs: number;
  /** The daemon's CPU (utime + stime) from startProcess to the last event, per event: its own cost, whatever the load. */
  cpuUsPerEvent: number | null;
  /** The first and last event's stamps as CLOCK_MONOTONIC µs (the clock of a --cpu-prof profile). */
  window: [number, number];
}

/** Epoch seconds → CLOCK_MONOTONIC µs (process.hrtime's clock, which V8 stamps samples with). */
const monotonicUs = (epochS: number) => Number(process.hrtime.bigint() / 1000n) - (Date.now() - epochS * 1000) * 1000;

/**
 * n REMOTE_COMMUNICATION events (one multicall) into a pool big enough for all, its
 * listener stopped; then the listener is started and takes them one after the other: the
 * dispatch alone, not the XML-RPC parsing.
 */
export async function throughput(kind: Kind, n: number, nodeFlags?: string[]): Promise<ThroughputResult> {
  const programs = `
[unix_http_server]
file = %(here)s/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[eventlistener:ack]
command = ${LIB}/ack-listener.py %(here)s/ack.log
events = REMOTE_COMMUNICATION
buffer_size = ${n + 10}
startsecs = 0
autostart = false
`;
  return withDaemon({ kind, programs, nodeFlags }, async (d) => {
    await d.waitFor(/^supervisord started with pid /, 1, 30000);
    const file = join(d.dir, 'ack.log');
    const burst = spawnSync(join(LIB, 'remote-burst.py'), [join(d.dir, 'supervisor.sock'), String(n), 'ack'], { encoding: 'utf8', timeout: 120000 });
    if (burst.status !== 0) throw new Error(`remote-burst.py: ${burst.stderr}`);
    const cpu0 = cpuSeconds(d.pid);
    const sent = Number(burst.stdout.trim());
    // Lines are counted, not parsed, while the listener works: the poll must not take a core from it.
    const got = await until(`${n} events in ${file}`, 300000, () => (lines(file) >= n ? stamps(file) : null));
    const cpu1 = cpuSeconds(d.pid);
    const first = got[0].t, last = got[n - 1].t;
    // A profiled daemon writes its profile as it exits: let it, before withDaemon kills it.
    if (nodeFlags?.length) {
      d.signal('SIGTERM');
      await d.exited;
    }
    const cpuUsPerEvent = cpu0 === null || cpu1 === null ? null : ((cpu1 - cpu0) * 1e6) / n;
    return { n, perSecond: (n - 1) / (last - first), totalMs: (last - sent) * 1000, cpuUsPerEvent, window: [monotonicUs(first), monotonicUs(last)] };
  });
}

export interface LatencyResult {
  cycles: number;
  /** Median and worst of exit (the child's last stamp) → the listener holding PROCESS_STATE_EXITED. */
  medianMs: number;
  maxMs: number;
}

/** A program that exits after 0.2 s and is restarted, with a listener on PROCESS_STATE_EXITED. */
export async function exitLatency(kind: Kind, cycles: number): Promise<LatencyResult> {
  const warmup = 2;
  const programs = `
[eventlistener:ack]
command = ${LIB}/ack-listener.py %(here)s/ack.log
events = PROCESS_STATE_EXITED
startsecs = 0

[program:blink]
command = ${LIB}/blink.py %(here)s/exits.log 0.2
startsecs = 0
autorestart = true
`;
  return withDaemon({ kind, programs }, async (d) => {
    const file = join(d.dir, 'ack.log');
    const got = await until(`${warmup + cycles} EXITED in ${file}`, 60000 + cycles * 3000, () => {
      const s = stamps(file);
      return s.length >= warmup + cycles ? s : null;
    });
    const exits = readFileSync(join(d.dir, 'exits.log'), 'utf8').split('\n').filter(Boolean).map(Number);
    const ms = got.slice(warmup, warmup + cycles).map((s, i) => (s.t - exits[warmup + i]) * 1000);
    return { cycles, medianMs: median(ms), maxMs: Math.max(...ms) };
  });
}
