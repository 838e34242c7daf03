// An XML-RPC client for listeners, configured as childutils.getRPCInterface configures
// Python's: SUPERVISOR_SERVER_URL (http://host:port or unix:///path; supervisord sets it in
// every child's environment), SUPERVISOR_USERNAME and SUPERVISOR_PASSWORD (empty by
// default, and sent as Basic auth all the same, as SupervisorTransport does). The client
// core's transport; its failures reach the listener as plain Errors.
import { BadResponse, basicAuth, CallTimeout, HttpStatusError, SocketFailure, target, xmlrpcCall } from '../src/client/transport.ts';
import type { ProcessInfo, XmlRpcValue } from '../src/client/wire.ts';

export type { ProcessInfo };

export interface RpcOptions {
  /** `http://host[:port]` (port 80 by default) or `unix:///path/to/socket`. */
  url: string;
  username?: string;
  password?: string;
  /** Per call; none by default, as supervisor's transport. */
  timeoutMs?: number;
}

/** What the ready-made listeners ask of the daemon (tests give them a fake). */
export interface ProcessControl {
  getAllProcessInfo(): Promise<ProcessInfo[]>;
  getProcessInfo(namespec: string): Promise<ProcessInfo>;
  startProcess(namespec: string, wait?: boolean): Promise<boolean>;
  stopProcess(namespec: string, wait?: boolean): Promise<boolean>;
}

export class RpcClient implements ProcessControl {
  private readonly auth: string;

  constructor(readonly options: RpcOptions) {
    try {
      target(options.url);
    } catch (e) {
      throw new Error((e as Error).message);
    }
    this.auth = basicAuth(options.username ?? '', options.password ?? '');
  }

  /** Calls `method`; a fault rejects with the RpcFault the server sent, a non-200 answer or a timeout with an Error. */
  async call<T = unknown>(method: string, ...params: XmlRpcValue[]): Promise<T> {
    const { url, timeoutMs } = this.options;
    try {
      return (await xmlrpcCall({ url, authorization: this.auth, ...(timeoutMs === undefined ? {} : { timeoutMs }) }, method, params)) as T;
    } catch (e) {
      if (e instanceof SocketFailure || e instanceof BadResponse) throw e.cause;
      if (e instanceof HttpStatusError) throw new Error(`${url}/RPC2: ${e.status} ${e.reason}`);
      if (e instanceof CallTimeout) throw new Error(e.message);
      throw e;
    }
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
