// An XML-RPC client for listeners, configured as childutils.getRPCInterface configures
// Python's: SUPERVISOR_SERVER_URL (http://host:port or unix:///path; supervisord sets it in
// every child's environment), SUPERVISOR_USERNAME and SUPERVISOR_PASSWORD (empty by
// default, and sent as Basic auth all the same, as SupervisorTransport does). Requests go
// to POST /RPC2 whatever path the URL has. The xmlrpc package's codec over node:http.
import { request, type IncomingMessage } from 'node:http';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import Serializer from 'xmlrpc/lib/serializer.js';
import { RpcFault } from '../src/faults.ts';
import type { ProcessStateCode, ProcessStateName } from '../src/states.ts';

export interface RpcOptions {
  /** `http://host[:port]` (port 80 by default) or `unix:///path/to/socket`. */
  url: string;
  username?: string;
  password?: string;
  /** Per call; none by default, as supervisor's transport. */
  timeoutMs?: number;
}

/** supervisor.getProcessInfo's struct (reference/supervisor.md §4.6). */
export interface ProcessInfo {
  name: string;
  group: string;
  start: number;
  stop: number;
  now: number;
  state: ProcessStateCode;
  statename: ProcessStateName;
  spawnerr: string;
  exitstatus: number;
  logfile: string;
  stdout_logfile: string;
  stderr_logfile: string;
  pid: number;
  description: string;
}

type Target = { host: string; port: number } | { socketPath: string };

function targetOf(url: string): Target {
  if (url.startsWith('unix://')) return { socketPath: url.slice('unix://'.length) };
  if (url.startsWith('http://')) {
    const u = new URL(url);
    return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : 80 };
  }
  throw new Error(`Unknown protocol for serverurl ${url}`);
}

function readResponse(res: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new Deserializer('utf8').deserializeMethodResponse(res, (error, value) => {
      if (!error) return resolve(value);
      const fault = error as Error & { faultCode?: number; faultString?: string };
      reject(typeof fault.faultCode === 'number' ? RpcFault.received(fault.faultCode, fault.faultString ?? '') : error);
    });
  });
}

/** What the ready-made listeners ask of the daemon (tests give them a fake). */
export interface ProcessControl {
  getAllProcessInfo(): Promise<ProcessInfo[]>;
  getProcessInfo(namespec: string): Promise<ProcessInfo>;
  startProcess(namespec: string, wait?: boolean): Promise<boolean>;
  stopProcess(namespec: string, wait?: boolean): Promise<boolean>;
}

export class RpcClient implements ProcessControl {
  private readonly target: Target;
  private readonly auth: string;

  constructor(readonly options: RpcOptions) {
    this.target = targetOf(options.url);
    this.auth = `Basic ${Buffer.from(`${options.username ?? ''}:${options.password ?? ''}`).toString('base64')}`;
  }

  /** Calls `method`; a fault rejects with the RpcFault the server sent, a non-200 answer with an Error. */
  call<T = unknown>(method: string, ...params: unknown[]): Promise<T> {
    const body = Buffer.from(Serializer.serializeMethodCall(method, params), 'utf8');
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          ...this.target,
          method: 'POST',
          path: '/RPC2',
          // One connection per call: listeners call rarely, and no idle socket outlives a call.
          agent: false,
          timeout: this.options.timeoutMs,
          headers: { 'Content-Type': 'text/xml', Accept: 'text/xml', 'Content-Length': body.length, Authorization: this.auth },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`${this.options.url}/RPC2: ${res.statusCode} ${res.statusMessage}`));
            return;
          }
          readResponse(res).then((v) => resolve(v as T), reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method}: no answer from ${this.options.url} within ${this.options.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  getAllProcessInfo(): Promise<ProcessInfo[]> {
    return this.call('supervisor.getAllProcessInfo');
  }

  getProcessInfo(namespec: string): Promise<ProcessInfo> {
    return this.call('supervisor.getProcessInfo', namespec);
  }

  startProcess(namespec: string, wait = true): Promise<boolean> {
    return this.call('supervisor.startProcess', namespec, wait);
  }

  stopProcess(namespec: string, wait = true): Promise<boolean> {
    return this.call('supervisor.stopProcess', namespec, wait);
  }
}

/** The client childutils.getRPCInterface(os.environ) would make; throws when SUPERVISOR_SERVER_URL is unset. */
export function rpcFromEnv(env: NodeJS.ProcessEnv = process.env): RpcClient {
  const url = env.SUPERVISOR_SERVER_URL;
  if (!url) throw new Error('SUPERVISOR_SERVER_URL is not set: run this as a supervisor event listener');
  return new RpcClient({ url, username: env.SUPERVISOR_USERNAME ?? '', password: env.SUPERVISOR_PASSWORD ?? '' });
}
