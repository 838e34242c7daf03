// The lifecycle extensions' costs (--only=lifecycle): a chain of programs, each depending
// on the previous one and each RUNNING only once its TCP port answers; and the idle CPU of
// a daemon health-checking 200 programs every 10 s. supervisord reads the same files and
// ignores the keys: beside it the figures say what the checks cost, not who is faster.
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { limitsFor, sleepers } from './lib/configs.ts';
import { ROOT, withDaemon, type Kind } from './lib/daemon.ts';
import { cpuSeconds } from './lib/proc.ts';
import { median } from './lib/stats.ts';

const SUCCESS = /^success: /;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A program that accepts on 127.0.0.1:port until stopped (Python: light, and on every machine that runs supervisord). */
const LISTEN = join(ROOT, 'bench', 'lib', 'listen.py');
const listener = (port: number) => `/usr/bin/python3 ${LISTEN} ${port}`;

/** What one link costs at least: starting the listener until its port accepts, outside any daemon. */
async function listenerFloorMs(port: number): Promise<number> {
  const t0 = performance.now();
  const child = spawn('/usr/bin/python3', [LISTEN, String(port)], { stdio: 'ignore' });
  try {
    for (;;) {
      const ok = await new Promise<boolean>((r) => {
        const s = connect({ host: '127.0.0.1', port }, () => { s.destroy(); r(true); });
        s.once('error', () => r(false));
      });
      if (ok) return performance.now() - t0;
      await sleep(5);
    }
  } finally {
    // The next measure may reuse the port only once this listener is gone.
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }
}

export interface ChainResult {
  n: number;
  /** Daemon exec → the last `success:`. */
  launchMs: number;
  /** Median of one link's `success:` → the next one's. */
  linkMs: number;
  launchCpuS: number;
  /** Median time for the listener alone to accept on its port. */
  floorMs: number;
}

export async function chain(n: number): Promise<ChainResult> {
  const ports = await freePorts(n);
  const width = String(n - 1).length;
  const name = (i: number) => `link_${String(i).padStart(width, '0')}`;
  const programs = ports.map((port, i) => [
    `[program:${name(i)}]`, `command = ${listener(port)}`, 'startsecs = 0', `ready_check = tcp:127.0.0.1:${port}`,
    ...(i > 0 ? [`depends_on = ${name(i - 1)}`] : []), '',
  ].join('\n')).join('\n');
  const floors: number[] = [];
  for (let i = 0; i < 5; i++) floors.push(await listenerFloorMs(ports[0]));
  return withDaemon({ kind: 'statevisord', programs, ...limitsFor(n) }, async (d) => {
    const last = await d.waitFor(SUCCESS, n, 60_000 + n * 2000);
    const launchCpuS = cpuSeconds(d.pid) ?? NaN;
    const ok = d.lines.filter((l) => SUCCESS.test(l.text));
    return { n, launchMs: last.t - d.t0, linkMs: median(ok.slice(1).map((l, i) => l.t - ok[i].t)), launchCpuS, floorMs: median(floors) };
  });
}

export interface IdleResult { kind: Kind; health: boolean; idleCpuPct: number }

/** n sleepers, each health-checked over TCP (one shared listener) every 10 s, idle CPU over `seconds`. */
export async function healthIdle(kind: Kind, n: number, health: boolean, seconds: number): Promise<IdleResult> {
  const [port] = await freePorts(1);
  const checks = health ? sleepers(n).replace(/startsecs = 1\n/g, `startsecs = 1\nhealth_check = tcp:127.0.0.1:${port}\nhealth_interval = 10\n`) : sleepers(n);
  const programs = `${checks}\n[program:target]\ncommand = ${listener(port)}\n`;
  return withDaemon({ kind, programs, ...limitsFor(n + 1) }, async (d) => {
    await d.waitFor(SUCCESS, n + 1, 60_000 + n * (kind === 'supervisord' ? 600 : 150));
    // One full health round after the start, then the window.
    await sleep(12_000);
    const c0 = cpuSeconds(d.pid) ?? NaN;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const idleCpuPct = (((cpuSeconds(d.pid) ?? NaN) - c0) / ((performance.now() - t0) / 1000)) * 100;
    const failed = d.count(/^(exited|gave up|spawnerr): |health check failed/);
    if (failed > 0) throw new Error(`${kind}: ${failed} programs failed a health check or exited while idle\n${d.tail()}`);
    return { kind, health, idleCpuPct };
  });
}
