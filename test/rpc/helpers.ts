// Shared by the rpc and http tests: a server on a fake SupervisorApi, Python's xmlrpc.client
// as the peer, and a plain HTTP request that shows status, headers and body as sent.
import { spawn } from 'node:child_process';
import { request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { InetServerConfig, ServerConfig, UnixServerConfig } from '../../src/config/types.ts';
import { startHttpServers, type HttpServers, type HttpServersOptions } from '../../src/http/server.ts';
import { makeDispatcher, rpcInterfaceNames } from '../../src/rpc/rpc.ts';
import { FakeApi } from './fake-api.ts';

export const PYTHON = '/usr/bin/python3';
const CLIENT = fileURLToPath(new URL('./pyclient.py', import.meta.url));

export const inet = (auth?: [string, string]): InetServerConfig => ({
  family: 'AF_INET', name: null, section: 'inet_http_server', host: '127.0.0.1', port: 0,
  username: auth?.[0] ?? null, password: auth?.[1] ?? null,
});

export const unix = (file: string, chmod = 0o700, auth?: [string, string]): UnixServerConfig => ({
  family: 'AF_UNIX', name: null, section: 'unix_http_server', file, chmod, chown: [-1, -1],
  username: auth?.[0] ?? null, password: auth?.[1] ?? null,
});

export interface TestServer {
  api: FakeApi;
  servers: HttpServers;
  /** supervisorctl-style URL of the n-th server: http://127.0.0.1:port or unix:///path. */
  url(n?: number): string;
  port(n?: number): number;
  log: string[];
  close(): Promise<void>;
}

export async function serve(
  configs: ServerConfig[] = [inet()],
  extra: Partial<HttpServersOptions> & { shuttingDown?: () => boolean } = {},
): Promise<TestServer> {
  const api = new FakeApi();
  const dispatcher = makeDispatcher({ supervisor: api, ...(extra.shuttingDown ? { shuttingDown: extra.shuttingDown } : {}) });
  const log: string[] = [];
  const line = (level: string) => (m: string) => void log.push(`${level} ${m}`);
  const servers = await startHttpServers({
    servers: configs,
    rpc: dispatcher,
    rpcInterfaces: rpcInterfaceNames(dispatcher),
    logger: { critical: line('CRIT'), error: line('ERRO'), info: line('INFO'), trace: line('TRAC') },
    stderr: line('STDERR'),
    ...extra,
  });
  const at = (n: number) => servers.listening[n]!.address;
  return {
    api,
    servers,
    log,
    url: (n = 0) => {
      const a = at(n);
      return typeof a === 'string' ? `unix://${a}` : `http://127.0.0.1:${a.port}`;
    },
    port: (n = 0) => (at(n) as AddressInfo).port,
    close: () => servers.close(),
  };
}

export type PyOutcome = { ok: unknown } | { fault: [number, string] } | { protocol: number } | { error: string };

/** Run calls through Python's xmlrpc.client with supervisor's transport, in one process. */
export function pyCalls(url: string, calls: [string, unknown[]][], auth?: [string, string]): Promise<PyOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [CLIENT, url, ...(auth ?? [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pyclient exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as PyOutcome[]);
    });
    child.stdin.end(JSON.stringify(calls));
  });
}

export const pyCall = async (url: string, method: string, params: unknown[] = [], auth?: [string, string]): Promise<PyOutcome> =>
  (await pyCalls(url, [[method, params]], auth))[0]!;

export interface Reply {
  status: number;
  reason: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface Target {
  port?: number;
  socketPath?: string;
}

/** One request on its own connection; the whole reply. */
export function http(target: Target, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const length: Record<string, string> = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
    const req = request({ host: '127.0.0.1', ...target, method, path, headers: { ...length, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, reason: res.statusMessage!, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const methodCall = (name: string, paramsXml = ''): string =>
  `<?xml version="1.0"?><methodCall><methodName>${name}</methodName><params>${paramsXml}</params></methodCall>`;

export const basic = (user: string, password: string): Record<string, string> => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});
