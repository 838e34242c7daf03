// /metrics at 1,000 programs: the daemon's CPU time (utime+stime from /proc) per scrape,
// over sequential scrapes on one keep-alive connection, and the latency a scraper sees.
// supervisord has no /metrics: a Prometheus exporter for it (supervisord_exporter and
// the like) calls getAllProcessInfo on each scrape, so that call is its side of the row.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { limitsFor, sleepers } from './lib/configs.ts';
import { withDaemon, type Kind } from './lib/daemon.ts';
import { cpuSeconds } from './lib/proc.ts';
import { median } from './lib/stats.ts';

const SERVERS = ['[unix_http_server]', 'file = %(here)s/rpc.sock', '', '[rpcinterface:supervisor]', 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface', ''].join('\n');
const INFO = '<?xml version="1.0"?><methodCall><methodName>supervisor.getAllProcessInfo</methodName><params></params></methodCall>';

export interface ScrapeResult { kind: Kind; n: number; scrapes: number; cpuMsPerScrape: number; p50Ms: number; maxMs: number; bytes: number }

function fetch(agent: Agent, socketPath: string, kind: Kind): Promise<Buffer> {
  const [path, method, body] = kind === 'statevisord' ? ['/metrics', 'GET', undefined] : ['/RPC2', 'POST', INFO];
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method, agent, headers: body ? { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `scrapes` scrapes back to back after a warm-up, n programs RUNNING. */
export async function scrapeCost(kind: Kind, n: number, scrapes: number): Promise<ScrapeResult> {
  const launch = 60000 + n * (kind === 'supervisord' ? 600 : 150);
  return withDaemon({ kind, programs: `${SERVERS}\n${sleepers(n, 0)}`, ...limitsFor(n) }, async (d) => {
    await d.waitFor(/^success: /, n, launch);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const socket = `${d.dir}/rpc.sock`;
    try {
      const first = await fetch(agent, socket, kind);
      if (kind === 'statevisord' && (first.toString('utf8').match(/^statevisor_process_up\{/gm) ?? []).length !== n) throw new Error(`/metrics does not show ${n} processes`);
      for (let i = 0; i < 3; i++) await fetch(agent, socket, kind);
      const cpu0 = cpuSeconds(d.pid)!;
      const times: number[] = [];
      for (let i = 0; i < scrapes; i++) {
        const t = performance.now();
        await fetch(agent, socket, kind);
        times.push(performance.now() - t);
      }
      const cpuMs = (cpuSeconds(d.pid)! - cpu0) * 1000;
      return { kind, n, scrapes, cpuMsPerScrape: cpuMs / scrapes, p50Ms: median(times), maxMs: Math.max(...times), bytes: first.length };
    } finally {
      agent.destroy();
    }
  });
}
