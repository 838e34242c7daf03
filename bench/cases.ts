// The measurements, each on one fresh daemon of either kind, observed from outside only:
// its main log lines on stdout, /proc/<pid>/{stat,status}, and signals.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CRASH_MS, crashing, limitsFor, sleepers } from './lib/configs.ts';
import { withDaemon, type Daemon, type Kind, type Line, type ProbeSample } from './lib/daemon.ts';
import { cpuSeconds, statusField, taggedPids } from './lib/proc.ts';
import { median } from './lib/stats.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const SPAWNED = /^spawned: /;
const SUCCESS = /^success: /;
const EXITED = /^exited: /;

export interface CrashResult {
  cycles: number;
  /** Median of (spawned → next spawned) minus the program's own CRASH_MS. */
  overheadMs: number;
  /**
   * Mean of exited → next spawned by the lines' own timestamps: the daemon's own reaction
   * to an exit. Not by their arrival: statevisord writes the exit line once the restart's
   * spawn is under way (src/daemon/emit-gate.ts), stamped with the reap. The stamps have
   * whole milliseconds, so the mean, not the median.
   */
  reactMs: number;
  cycleMs: number[];
}

/** A program that exits after CRASH_MS, restarted at once: the cost of one turn around. */
export async function crashCycle(kind: Kind, cycles: number, nodeFlags: string[] = []): Promise<CrashResult> {
  const warmup = 3;
  const perCycle = kind === 'supervisord' ? 3000 : 1000;
  return withDaemon({ kind, programs: crashing(), nodeFlags }, async (d) => {
    await d.waitFor(SPAWNED, warmup + cycles + 1, 20000 + (warmup + cycles) * perCycle);
    const spawned = d.lines.filter((l) => SPAWNED.test(l.text)).slice(warmup, warmup + cycles + 1);
    const exited = d.lines.filter((l) => EXITED.test(l.text));
    const cycleMs = spawned.slice(1).map((l, i) => l.t - spawned[i].t);
    const react: number[] = [];
    for (let i = 1; i < spawned.length; i++) {
      const ex = exited.filter((e) => e.t >= spawned[i - 1].t && e.t <= spawned[i].t).at(-1);
      if (ex) react.push(spawned[i].stamp - ex.stamp);
    }
    return { cycles, overheadMs: median(cycleMs) - CRASH_MS, reactMs: react.reduce((a, b) => a + b, 0) / react.length, cycleMs };
  });
}

/** Median of per-cycle times (ms, JSON on stdout) over the 50 ms, the warm-up cycles left out. */
function floorOf(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return median((JSON.parse(r.stdout) as number[]).slice(3)) - CRASH_MS;
}

/**
 * The same program run back to back with nothing else to do: the floor for any parent on
 * this machine. `node`: child_process.spawn → 'exit' → spawn; `python`: posix_spawn and a
 * blocking waitpid, the least a supervisor loop can do.
 */
export function spawnFloor(how: 'node' | 'python', cycles: number): number {
  const n = cycles + 3;
  if (how === 'python') {
    return floorOf('python3', ['-c', `
import json, os, time
ts = []; last = time.perf_counter()
for _ in range(${n}):
    os.waitpid(os.posix_spawn('/bin/sleep', ['sleep', '${CRASH_MS / 1000}'], os.environ), 0)
    t = time.perf_counter(); ts.append((t - last) * 1000); last = t
print(json.dumps(ts))`]);
  }
  return floorOf(process.execPath, ['--input-type=module', '-e', `
    import { spawn } from 'node:child_process';
    const ts = []; let last = performance.now();
    const go = (n) => {
      if (n === 0) { console.log(JSON.stringify(ts)); return; }
      spawn('/bin/sleep', ['${CRASH_MS / 1000}'], { stdio: 'ignore', detached: true }).on('exit', () => {
        const t = performance.now(); ts.push(t - last); last = t; go(n - 1);
      });
    };
    go(${n});`]);
}

export interface FleetOptions {
  nodeFlags?: string[];
  /** Wait this long after the last success before reading VmRSS. */
  settleMs: number;
  /** Seconds of idle CPU to measure; 0 to skip. */
  idleSeconds: number;
  probe?: boolean;
  /** Write a heap snapshot of the idle daemon to this directory (statevisord only). */
  heapSnapshotDir?: string;
}

export interface FleetResult {
  kind: Kind;
  n: number;
  /** Exec → the n-th `spawned:` / `success:` line. */
  lastSpawnedMs: number;
  launchMs: number;
  /** utime + stime of the daemon when the n-th success arrived. */
  launchCpuS: number;
  /** VmRSS and RssAnon (private memory: VmRSS less the mapped binary and libraries) after settleMs. */
  rssKb: number;
  rssAnonKb: number;
  /** The same after the idle window too (V8's memory reducer may have run by then). */
  rssLateKb: number;
  rssAnonLateKb: number;
  hwmKb: number;
  threads: number;
  idleCpuPct: number | null;
  /** SIGTERM → the daemon's exit. */
  stopMs: number;
  exit: string;
  /** Children still alive after the daemon exited (should be 0). */
  leftBehind: number;
  probe?: { idle: ProbeSample; gc: ProbeSample };
  heapSnapshot?: string;
  /** Runs the launch and stop figures are medians of (1 unless merged). */
  runs?: number;
}

async function snapshot(d: Daemon, into: string): Promise<string> {
  d.signal('SIGUSR1');
  let last = -1;
  for (const until = performance.now() + 120000; performance.now() < until;) {
    await sleep(500);
    const name = readdirSync(d.dir).find((n) => n.endsWith('.heapsnapshot'));
    if (!name) continue;
    const size = statSync(join(d.dir, name)).size;
    if (size > 0 && size === last) {
      const dest = join(into, `statevisord-${Date.now()}.heapsnapshot`);
      spawnSync('mv', [join(d.dir, name), dest]);
      return dest;
    }
    last = size;
  }
  throw new Error('no heap snapshot written in 120 s');
}

/** n sleeping programs: launch, idle memory and CPU, then stop them all with SIGTERM. */
export async function fleet(kind: Kind, n: number, o: FleetOptions): Promise<FleetResult> {
  const heap = kind === 'statevisord' && o.heapSnapshotDir !== undefined;
  const nodeFlags = [...(o.nodeFlags ?? []), ...(heap ? ['--heapsnapshot-signal=SIGUSR1'] : [])];
  // supervisord spawns a few per second at best on a small VM: give it room.
  const launchTimeout = 60000 + n * (kind === 'supervisord' ? 600 : 150);
  return withDaemon({ kind, programs: sleepers(n), nodeFlags, probe: o.probe, ...limitsFor(n) }, async (d) => {
    const lastSpawned: Line = await d.waitFor(SPAWNED, n, launchTimeout);
    const last = await d.waitFor(SUCCESS, n, launchTimeout);
    const launchCpuS = cpuSeconds(d.pid) ?? NaN;
    await sleep(o.settleMs);
    const rssKb = statusField(d.pid, 'VmRSS') ?? NaN;
    const rssAnonKb = statusField(d.pid, 'RssAnon') ?? NaN;
    let idleCpuPct: number | null = null;
    if (o.idleSeconds > 0) {
      const c0 = cpuSeconds(d.pid) ?? NaN;
      const t0 = performance.now();
      await sleep(o.idleSeconds * 1000);
      idleCpuPct = (((cpuSeconds(d.pid) ?? NaN) - c0) / ((performance.now() - t0) / 1000)) * 100;
    }
    const rssLateKb = statusField(d.pid, 'VmRSS') ?? NaN;
    const rssAnonLateKb = statusField(d.pid, 'RssAnon') ?? NaN;
    const hwmKb = statusField(d.pid, 'VmHWM') ?? NaN;
    const threads = statusField(d.pid, 'Threads') ?? NaN;
    const probe = o.probe && kind === 'statevisord' ? await d.probe() : undefined;
    const heapSnapshot = heap ? await snapshot(d, o.heapSnapshotDir!) : undefined;
    const unexpected = d.count(/^(exited|gave up|spawnerr): /);
    if (unexpected > 0) throw new Error(`${kind}: ${unexpected} programs exited or failed while idle\n${d.tail()}`);
    const t = performance.now();
    d.signal('SIGTERM');
    const stopTimeout = 60000 + n * 100;
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([d.exited, new Promise<null>((r) => { timer = setTimeout(() => r(null), stopTimeout); })]);
    clearTimeout(timer);
    if (exit === null) throw new Error(`${kind}: still running ${stopTimeout} ms after SIGTERM\n${d.tail()}`);
    const leftBehind = taggedPids(d.tag).length;
    return {
      kind, n, lastSpawnedMs: lastSpawned.t - d.t0, launchMs: last.t - d.t0, launchCpuS, rssKb, rssAnonKb, rssLateKb, rssAnonLateKb, hwmKb, threads,
      idleCpuPct, stopMs: exit.t - t, exit: exit.signal ?? String(exit.code), leftBehind, probe, heapSnapshot,
    };
  });
}

export const haveSupervisord = () => existsSync('/usr/bin/supervisord');
