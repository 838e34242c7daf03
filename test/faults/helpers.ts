// The fault suites' harness: a daemon (statevisord, or supervisord beside it) serving
// XML-RPC on 127.0.0.1 with Basic auth, its main log as records, and the daemon's RSS
// sampled while a test abuses it. Each measured abuse prints one line, `[faults] …`, with
// its figures, for the record.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, parseLog, type LogLine } from '../daemon/helpers.ts';
import { pyCall, type PyOutcome } from '../rpc/helpers.ts';
import { configText, RpcDaemon, vmRssKb, type Kind } from '../rpc-python/daemons.ts';

export { referenceMissing } from '../rpc-python/daemons.ts';
export const FAULTS = fileURLToPath(new URL('../fixtures/faults/', import.meta.url));
export const AUTH: [string, string] = ['user', 'pass'];
export const MB = 1024 * 1024;

export interface Side {
  kind: Kind;
  d: RpcDaemon;
  port: number;
  url: string;
}

/** Starts one daemon on `programs` (sections; `%(here)s` is its dir) behind an inet server with AUTH. */
export async function startSide(kind: Kind, programs: string, supervisord = ''): Promise<Side> {
  const port = await freePort();
  const d = new RpcDaemon(kind, configText(`[inet_http_server]
port=127.0.0.1:${port}
username=${AUTH[0]}
password=${AUTH[1]}`, programs, supervisord));
  await d.start();
  return { kind, d, port, url: `http://127.0.0.1:${port}` };
}

export const call = (s: Side, method: string, ...params: unknown[]): Promise<PyOutcome> => pyCall(s.url, method, params, AUTH);

/** The daemon still answers, and is RUNNING. */
export async function alive(s: Side): Promise<boolean> {
  if (s.d.exited) return false;
  const r = await call(s, 'supervisor.getState');
  return 'ok' in r && (r.ok as { statename: string }).statename === 'RUNNING';
}

/** The main log's records. */
export const records = (s: Side): LogLine[] => parseLog(s.d.mainLog());

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls the main log until a record matches `re`; fails with the log's tail after timeoutMs. */
export async function waitForRecord(s: Side, re: RegExp, timeoutMs = 30_000): Promise<LogLine> {
  for (const end = Date.now() + timeoutMs; ; await pause(25)) {
    const hit = records(s).find((r) => re.test(r.message));
    if (hit) return hit;
    if (s.d.exited || Date.now() > end) throw new Error(`${s.kind}: no ${re} in the main log${s.d.exited ? ' (the daemon exited)' : ''}\n${s.d.diagnostics.slice(-3000)}`);
  }
}

export interface RssFigures {
  before: number;
  peak: number;
  after: number;
}

/** Runs `abuse` while sampling the daemon's RSS every 10 ms; `after` is taken once it is over. */
export async function underAbuse<T>(s: Side, abuse: () => Promise<T>): Promise<[T, RssFigures]> {
  const pid = s.d.pid;
  const before = vmRssKb(pid);
  let peak = before;
  const sample = () => {
    try {
      peak = Math.max(peak, vmRssKb(pid));
    } catch {
      // gone: the test says so
    }
  };
  const timer = setInterval(sample, 10);
  try {
    const out = await abuse();
    sample();
    return [out, { before, peak, after: vmRssKb(pid) }];
  } finally {
    clearInterval(timer);
  }
}

/** One line for the record: what was done, to whom, and the daemon's RSS around it. */
export function report(what: string, s: Side, f: RssFigures, extra = ''): void {
  console.log(`[faults] ${what} — ${s.kind}: RSS ${f.before} kB before, ${f.peak} kB peak (+${f.peak - f.before}), ${f.after} kB after${extra ? `; ${extra}` : ''}`);
}

/** The load the figures were taken under. */
export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
