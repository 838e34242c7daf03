// The cost per program: N `sleep` programs (startsecs=1, each its own group) for N = 10 …
// 2,000 on each daemon. Launch is exec → the N-th `success:` line; RSS is VmRSS 1 s after
// it; stop all is one `supervisor.stopAllProcesses` call (wait=true) over the unix socket,
// from the request to the reply, which both daemons send once every process is STOPPED,
// and the daemon's utime+stime over that call (its own work, which the load moves less).
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { limitsFor, sleepers } from './lib/configs.ts';
import { withDaemon, type Kind } from './lib/daemon.ts';
import { cpuSeconds, statusField } from './lib/proc.ts';
import { fmt, mb, ratio, table } from './lib/stats.ts';
import { body, Client, RPC, socketOf } from './rpc.ts';
import type { Both } from './run.ts';

export const SIZES = [10, 100, 200, 1000, 2000];

export interface ScaleResult { kind: Kind; n: number; launchMs: number; rssKb: number; stopMs: number; stopCpuMs: number }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function scale(kind: Kind, n: number): Promise<ScaleResult> {
  const timeout = 60000 + n * (kind === 'supervisord' ? 600 : 150);
  return withDaemon({ kind, programs: `${RPC}\n${sleepers(n)}`, ...limitsFor(n) }, async (d) => {
    const last = await d.waitFor(/^success: /, n, timeout);
    await sleep(1000);
    const rssKb = statusField(d.pid, 'VmRSS') ?? NaN;
    const c = new Client(socketOf(d));
    try {
      const cpu0 = cpuSeconds(d.pid) ?? NaN;
      const t = performance.now();
      const reply = (await c.call(body('supervisor.stopAllProcesses', ['<boolean>1</boolean>']))).toString('utf8');
      const stopMs = performance.now() - t;
      const stopCpuMs = ((cpuSeconds(d.pid) ?? NaN) - cpu0) * 1000;
      const stopped = reply.split('<name>description</name>').length - 1;
      if (stopped !== n || reply.includes('<fault>')) throw new Error(`${kind}: stopAllProcesses answered ${stopped} of ${n}: ${reply.slice(0, 300)}`);
      return { kind, n, launchMs: last.t - d.t0, rssKb, stopMs, stopCpuMs };
    } finally {
      c.close();
    }
  });
}

/** Per program between the two largest sizes: what one more program costs. */
function marginal(kind: Kind, results: Partial<Record<Kind, ScaleResult>>[]): string | null {
  const [a, b] = results.map((r) => r[kind]).filter((r) => r !== undefined).slice(-2);
  if (!a || !b) return null;
  const per = (x: number, y: number) => (y - x) / (b.n - a.n);
  return `${kind}, from ${a.n} to ${b.n} programs: ${fmt(per(a.rssKb, b.rssKb), 1, 'KB')} of RSS, ${fmt(per(a.launchMs, b.launchMs), 2, 'ms')} of launch and ${fmt(per(a.stopMs, b.stopMs), 2, 'ms')} of stop (${fmt(per(a.stopCpuMs, b.stopCpuMs), 2, 'ms')} of its CPU) per program.`;
}

/**
 * This process's first HTTP request compiles Node's HTTP client: made against a throwaway
 * server, not inside the first timed call (statevisord's at N=10 used to carry ~15 ms of
 * it; supervisord, measured after it, none). The daemons' own first requests stay timed.
 */
async function warmClient(): Promise<void> {
  const path = join(tmpdir(), `bench-warm-${process.pid}.sock`);
  const server = createServer((req, res) => void req.resume().on('end', () => res.end()));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const c = new Client(path);
  try {
    for (let i = 0; i < 3; i++) await c.call(body('system.listMethods'));
  } finally {
    c.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

export async function scalingTable(both: Both, quick: boolean): Promise<string> {
  const sizes = quick ? SIZES.filter((n) => n <= 1000) : SIZES;
  await warmClient();
  const rows: string[][] = [];
  const results: Partial<Record<Kind, ScaleResult>>[] = [];
  for (const n of sizes) {
    const r = await both(`scaling, ${n} programs`, (k) => scale(k, n));
    results.push(r);
    const ours = r.statevisord, theirs = r.supervisord;
    rows.push(
      [`${n}`, 'launch → all RUNNING', fmt(ours && ours.launchMs / 1000, 2, 's'), fmt(theirs && theirs.launchMs / 1000, 2, 's'), ratio(ours?.launchMs, theirs?.launchMs, 'faster', 'slower')],
      ['', 'RSS, 1 s after', fmt(mb(ours?.rssKb), 1, 'MB'), fmt(mb(theirs?.rssKb), 1, 'MB'), ratio(ours?.rssKb, theirs?.rssKb, 'smaller', 'larger')],
      ['', 'stopAllProcesses', fmt(ours && ours.stopMs / 1000, 2, 's'), fmt(theirs && theirs.stopMs / 1000, 2, 's'), ratio(ours?.stopMs, theirs?.stopMs, 'faster', 'slower')],
      ['', 'its daemon CPU', fmt(ours && ours.stopCpuMs / 1000, 2, 's'), fmt(theirs && theirs.stopCpuMs / 1000, 2, 's'), ratio(ours?.stopCpuMs, theirs?.stopCpuMs, 'less', 'more')],
    );
  }
  const notes = (['statevisord', 'supervisord'] as const).map((k) => marginal(k, results)).filter((x) => x !== null);
  return `${table(['N', 'measure', 'statevisord', 'supervisord', 'statevisord vs supervisord'], rows)}\n\n${notes.map((x) => `- ${x}`).join('\n')}`;
}
