// What the bench reads from /proc about a daemon, and how it kills everything a daemon
// left behind: every process started for one case carries BENCH_TAG=<tag> in its
// environment (children inherit the daemon's), so a scan of /proc/*/environ finds the
// daemon, its children and any grandchild, whatever process group or session they made.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const TAG_VAR = 'STATEVISOR_BENCH_TAG';

let ticks = 0;
/** Clock ticks per second, for /proc/<pid>/stat times. */
export function clkTck(): number {
  if (ticks === 0) {
    try { ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100; } catch { ticks = 100; }
  }
  return ticks;
}

/** utime + stime of one process, in seconds (children not counted); null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  let stat: string;
  try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return null; }
  // Fields after the parenthesised comm, which may itself hold spaces.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / clkTck();
}

/** A `Vm…:` or `Threads:` figure of /proc/<pid>/status, in kB (count for Threads). */
export function statusField(pid: number, field: string): number | null {
  let status: string;
  try { status = readFileSync(`/proc/${pid}/status`, 'utf8'); } catch { return null; }
  const m = new RegExp(`^${field}:\\s*(\\d+)`, 'm').exec(status);
  return m ? Number(m[1]) : null;
}

/** Every live pid whose environment holds TAG_VAR=tag. */
export function taggedPids(tag: string): number[] {
  const needle = Buffer.from(`\0${TAG_VAR}=${tag}\0`);
  const first = Buffer.from(`${TAG_VAR}=${tag}\0`);
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!(pid > 0) || pid === process.pid) continue;
    let env: Buffer;
    try { env = readFileSync(`/proc/${name}/environ`); } catch { continue; }
    if (env.includes(needle) || env.subarray(0, first.length).equals(first)) found.push(pid);
  }
  return found;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const kill = (pid: number, sig: NodeJS.Signals) => { try { process.kill(pid, sig); return true; } catch { return false; } };

/** SIGKILL the daemon's process group and every tagged process, until none is left. */
export function killAll(tag: string, daemonPid: number | null): number {
  let killed = 0;
  if (daemonPid !== null) kill(-daemonPid, 'SIGKILL');
  for (let round = 0; round < 20; round++) {
    const pids = taggedPids(tag);
    if (pids.length === 0) return killed;
    for (const pid of pids) {
      // A child leads its own group (setsid/setpgrp): take the group too.
      kill(-pid, 'SIGKILL');
      if (kill(pid, 'SIGKILL')) killed++;
    }
    sleepSync(50); // let the kernel deliver
  }
  return killed;
}

export interface Machine {
  nproc: number;
  model: string;
  memGiB: number;
  kernel: string;
  node: string;
  python: string;
  supervisor: string;
  load: string;
}

export function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const run = (file: string, args: string[]) => {
    try { return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(); } catch { return 'unknown'; }
  };
  return {
    nproc: cpus().length,
    model: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    memGiB: Math.round(Number(/^MemTotal:\s*(\d+)/m.exec(meminfo)?.[1] ?? 0) / 1024 / 1024),
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    node: process.version,
    python: run('/usr/bin/python3', ['--version']).replace(/^Python /, ''),
    supervisor: run('/usr/bin/python3', ['-c', 'import supervisor.options as o; print(o.VERSION)']),
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}
