// The floor under the launch rows (200 and 1,000 sleepers, startsecs=1): what any Node
// daemon pays on this machine before its last spawn, and what creating the AUTO log files
// costs where the bench puts them. Each figure is the median of a few tries.
//   node --import tsx bench/launch-floor.ts [n=200]
// - `node -e 0`: a bare Node process, exec to exit;
// - `statevisord --version`: the same plus loading the daemon (bin/statevisord, its flags);
// - n posix_spawns of /bin/sleep with three pipes each, through the daemon's own binding
//   (src/runtime/posix-spawn.ts): one after the other on the main thread (spawn), and all
//   handed to libuv's pool at once (spawnLater); beside them Python's os.posix_spawn;
// - 2n files created as mkstemp creates an AUTO log, in the temp dir and in /var/tmp.
import { spawnSync } from 'node:child_process';
import { closeSync, constants as C, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { libc } from '../src/runtime/native.ts';
import type { SpawnRequest } from '../src/runtime/posix-spawn.ts';
import { statevisordArgs } from '../scripts/statevisord-command.ts';

const n = Number(process.argv[2] ?? 200);
const TRIES = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number) => `${x.toFixed(0)} ms`;

function timed(file: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(file, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

async function spawns(later: boolean): Promise<number> {
  const c = libc();
  if (c instanceof Error || c.spawner instanceof Error) throw new Error('posix_spawn is out of reach here');
  const spawner = c.spawner;
  const env = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
  const fds: number[] = [];
  const pids: number[] = [];
  const requests: SpawnRequest[] = Array.from({ length: n }, () => {
    const p = [c.pipe(), c.pipe(), c.pipe()];
    fds.push(...p.flatMap((x) => [x.read, x.write]));
    return { file: '/bin/sleep', argv: ['/bin/sleep', '1000'], env, fds: [p[0].read, p[1].write, p[2].write], cwd: null, ignorePipeSignals: false };
  });
  const t = performance.now();
  if (later) {
    await new Promise<void>((resolve) => {
      let left = n;
      for (const r of requests) spawner.spawnLater(r, (res) => { if ('pid' in res) pids.push(res.pid); if (--left === 0) resolve(); });
    });
  } else {
    for (const r of requests) { const res = spawner.spawn(r); if ('pid' in res) pids.push(res.pid); }
  }
  const took = performance.now() - t;
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  for (const fd of fds) closeSync(fd);
  while (pids.length) if (c.reap(pids[pids.length - 1]) !== null) pids.pop(); else await new Promise((r) => setTimeout(r, 5));
  if (took <= 0 || pids.length) throw new Error('spawns not reaped');
  return took;
}

const PYTHON_SPAWNS = `
import os, sys, time
n = int(sys.argv[1]); pids = []; t = time.monotonic()
for i in range(n):
    a = os.pipe(); b = os.pipe(); d = os.pipe()
    pids.append(os.posix_spawn('/bin/sleep', ['/bin/sleep', '1000'], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, a[0], 0), (os.POSIX_SPAWN_DUP2, b[1], 1), (os.POSIX_SPAWN_DUP2, d[1], 2)], setsid=True))
print((time.monotonic() - t) * 1000)
for p in pids: os.kill(p, 9); os.waitpid(p, 0)
`;

function creates(base: string): number {
  const dir = mkdtempSync(join(base, 'bench-floor-'));
  try {
    const t = performance.now();
    for (let i = 0; i < 2 * n; i++) closeSync(openSync(join(dir, `p${i}-stdout---supervisor-abcdefgh.log`), C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o600));
    return performance.now() - t;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: [string, number][] = [];
const run = async (label: string, f: () => number | Promise<number>) => {
  const xs: number[] = [];
  for (let i = 0; i < TRIES; i++) xs.push(await f());
  rows.push([label, median(xs)]);
};
await run('node -e 0 (exec to exit)', () => timed(process.execPath, ['-e', '0']));
await run('statevisord --version (exec to exit)', () => timed(process.execPath, [...statevisordArgs(), '--version']));
await run(`${n} posix_spawns, one after the other (Node, main thread)`, () => spawns(false));
await run(`${n} posix_spawns, all on libuv's pool (Node)`, () => spawns(true));
await run(`${n} posix_spawns (Python os.posix_spawn)`, () => Number(spawnSync('python3', ['-c', PYTHON_SPAWNS, String(n)], { encoding: 'utf8' }).stdout.trim()));
await run(`${2 * n} AUTO log files created in ${tmpdir()}`, () => creates(tmpdir()));
await run(`${2 * n} AUTO log files created in /var/tmp`, () => creates('/var/tmp'));
for (const [label, x] of rows) console.log(`${ms(x).padStart(8)}  ${label}`);
