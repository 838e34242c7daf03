// The XML-RPC control plane under load, each daemon on its own unix socket:
// getAllProcessInfo calls per second from one sequential client (keep-alive, as
// supervisorctl's transport) with 200 and 1,000 programs running, and the latency of
// startProcess(name, wait=false) with 20 clients calling at once.
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { limitsFor, sleepers } from './lib/configs.ts';
import { ROOT, withDaemon, type Daemon, type Kind } from './lib/daemon.ts';
import { cpuSeconds } from './lib/proc.ts';
import { median } from './lib/stats.ts';

/** The servers and interface both daemons need; the socket is in the daemon's own dir. */
export const RPC = ['[unix_http_server]', 'file = %(here)s/rpc.sock', '', '[rpcinterface:supervisor]', 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface', ''].join('\n');

export const body = (method: string, params: string[] = []): string =>
  `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params.map((p) => `<param><value>${p}</value></param>`).join('')}</params></methodCall>`;

/** One client: its own keep-alive connection, one call at a time. */
export class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  constructor(private readonly socketPath: string) {}

  /** The reply's body, undecoded (decoding 1 MB per call would slow the client); rejects on anything but a 200. */
  call(xml: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, path: '/RPC2', method: 'POST', agent: this.agent, headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(xml);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export const socketOf = (d: Daemon): string => `${d.dir}/rpc.sock`;

/**
 * cpuMsPerCall: the daemon's utime+stime over the calls, divided by their number;
 * clientMsPerCall: the same for the client process (which bounds the rate as much).
 */
export interface RateResult { kind: Kind; n: number; calls: number; seconds: number; perSecond: number; cpuMsPerCall: number; clientMsPerCall: number; bytes: number }

const run = promisify(execFile);
const CLIENT = join(ROOT, 'bench', 'lib', 'info-client.ts');

/** getAllProcessInfo back to back for `seconds` (at least `minCalls`) from a client process of its own, n programs RUNNING. */
export async function infoRate(kind: Kind, n: number, seconds: number, minCalls = 5): Promise<RateResult> {
  const launch = 60000 + n * (kind === 'supervisord' ? 600 : 150);
  return withDaemon({ kind, programs: `${RPC}\n${sleepers(n, 0)}`, ...limitsFor(n) }, async (d) => {
    await d.waitFor(/^success: /, n, launch);
    const c = new Client(socketOf(d));
    try {
      const xml = body('supervisor.getAllProcessInfo');
      const first = (await c.call(xml)).toString('utf8'); // warm-up, and a check that all n are there
      const running = first.split('<string>RUNNING</string>').length - 1;
      if (running !== n) throw new Error(`${kind}: getAllProcessInfo shows ${running} of ${n} RUNNING`);
      const cpu0 = cpuSeconds(d.pid)!;
      const out = await run(process.execPath, ['--import', 'tsx', CLIENT, socketOf(d), String(seconds), String(minCalls)], { cwd: ROOT });
      const { calls, seconds: elapsed, clientMs } = JSON.parse(out.stdout) as { calls: number; seconds: number; clientMs: number };
      const cpuMsPerCall = ((cpuSeconds(d.pid)! - cpu0) * 1000) / calls;
      const clientMsPerCall = clientMs / calls;
      return { kind, n, calls, seconds: elapsed, perSecond: calls / elapsed, cpuMsPerCall, clientMsPerCall, bytes: Buffer.byteLength(first) };
    } finally {
      c.close();
    }
  });
}

export interface LatencyResult { kind: Kind; clients: number; calls: number; p50Ms: number; p99Ms: number; maxMs: number; faults: number; perSecond: number }

/** Programs that exit at once, so that a start can be asked for again a moment later. */
function quickExiters(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`[program:q_${String(i).padStart(3, '0')}]`, 'command = /bin/true', 'autostart = false', 'startsecs = 0', 'autorestart = false', '');
  return out.join('\n');
}

/**
 * `clients` clients at once, each cycling over its own `perClient` programs with
 * startProcess(name, false) until it has made `callsEach` calls. A program comes round
 * again only after its siblings' turns, by when /bin/true has long exited; a call that
 * still finds it running (ALREADY_STARTED) is counted as a fault and timed all the same.
 */
export async function startLatency(kind: Kind, clients: number, callsEach: number, perClient = 5): Promise<LatencyResult> {
  const n = clients * perClient;
  return withDaemon({ kind, programs: `${RPC}\n${quickExiters(n)}`, ...limitsFor(n) }, async (d) => {
    await d.waitFor(/^supervisord started with pid /, 1, 30000);
    const pool = Array.from({ length: clients }, () => new Client(socketOf(d)));
    try {
      await Promise.all(pool.map((c) => c.call(body('supervisor.getPID')))); // connect all first
      const times: number[] = [];
      let faults = 0;
      const t0 = performance.now();
      await Promise.all(pool.map(async (c, k) => {
        for (let i = 0; i < callsEach; i++) {
          const name = `q_${String(k * perClient + (i % perClient)).padStart(3, '0')}`;
          const t = performance.now();
          const reply = await c.call(body('supervisor.startProcess', [`<string>${name}</string>`, '<boolean>0</boolean>']));
          times.push(performance.now() - t);
          if (reply.includes('<fault>')) faults++;
        }
      }));
      const elapsed = (performance.now() - t0) / 1000;
      times.sort((a, b) => a - b);
      return {
        kind, clients, calls: times.length, faults, perSecond: times.length / elapsed,
        p50Ms: median(times), p99Ms: times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)]!, maxMs: times.at(-1)!,
      };
    } finally {
      pool.forEach((c) => c.close());
    }
  });
}
