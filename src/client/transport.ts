// The one XML-RPC transport of every client (statevisorctl, the listeners, tools): supervisor's
// SupervisorTransport over node:http, to http://host:port or unix:///path, POST /RPC2 whatever
// path the URL has, one connection per call (no idle socket outlives it), and the xmlrpc
// package's serializer and deserializer (its own Client cannot reach a unix socket and turns
// HTTP errors into plain Errors). Failures are typed here; each client words them its own
// way (statevisorctl as Python's exceptions, the listeners as plain Errors).
import { request, type IncomingMessage, type RequestOptions } from 'node:http';
import { Readable } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import Serializer from 'xmlrpc/lib/serializer.js';
import { RpcFault } from '../faults.ts';
import type { XmlRpcValue } from './wire.ts';

export interface Target {
  unix: boolean;
  /** host/port or socketPath for node:http. */
  connect: Pick<RequestOptions, 'host' | 'port' | 'socketPath'>;
  /** The Host header supervisor's tail client sends: the URL's netloc ('' for unix://). */
  netloc: string;
}

/** A server URL that is neither http:// nor unix://. */
export class UnknownProtocol extends Error {
  constructor(readonly url: string) {
    super(`Unknown protocol for serverurl ${url}`);
    this.name = 'UnknownProtocol';
  }
}

/** As SupervisorTransport: http:// by hostname and port (80 by default), unix:// by path. */
export function target(url: string): Target {
  if (url.startsWith('unix://')) return { unix: true, connect: { socketPath: url.slice('unix://'.length) }, netloc: '' };
  if (url.startsWith('http://')) {
    const u = new URL(url);
    return { unix: false, connect: { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : 80 }, netloc: u.host };
  }
  throw new UnknownProtocol(url);
}

/** The server answered with an HTTP status other than 200. */
export class HttpStatusError extends Error {
  constructor(readonly status: number, readonly reason: string) {
    super(`${status} ${reason}`);
    this.name = 'HttpStatusError';
  }
}

/** The 200 answer's body is no XML-RPC methodResponse; `cause` is the parser's error. */
export class BadResponse extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
    this.name = 'BadResponse';
  }
}

/** The socket failed, before the server accepted the connection or after. */
export class SocketFailure extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException, readonly connected: boolean) {
    super(cause.message);
    this.name = 'SocketFailure';
  }
}

/** No answer within the call's timeout. */
export class CallTimeout extends Error {
  constructor(readonly method: string, readonly url: string, readonly timeoutMs: number) {
    super(`${method}: no answer from ${url} within ${timeoutMs} ms`);
    this.name = 'CallTimeout';
  }
}

export interface CallOptions {
  url: string;
  /** The Authorization header, or null to send none. */
  authorization: string | null;
  /** Headers beyond Content-Type, Accept, Content-Length and Authorization. */
  headers?: Readonly<Record<string, string>>;
  /** Per call; none by default, as supervisor's transport. */
  timeoutMs?: number;
}

export const basicAuth = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

function parseResponse(body: Buffer): Promise<XmlRpcValue> {
  return new Promise((resolve, reject) => {
    let settled = false;
    new Deserializer('utf8').deserializeMethodResponse(Readable.from([body]), (error, value) => {
      if (settled) return;
      settled = true;
      if (!error) return resolve(value as XmlRpcValue);
      const fault = error as Error & { faultCode?: number; faultString?: string };
      reject(typeof fault.faultCode === 'number' ? RpcFault.received(fault.faultCode, fault.faultString ?? '') : new BadResponse(error));
    });
  });
}

/**
 * Calls `method`. Rejects with the RpcFault the server sent, HttpStatusError, BadResponse,
 * SocketFailure, CallTimeout, or UnknownProtocol for a URL it cannot reach.
 */
export function xmlrpcCall(o: CallOptions, method: string, params: readonly XmlRpcValue[] = []): Promise<XmlRpcValue> {
  const where = target(o.url);
  const body = Buffer.from(Serializer.serializeMethodCall(method, params as XmlRpcValue[]), 'utf8');
  const headers: Record<string, string> = { ...o.headers, 'Content-Type': 'text/xml', Accept: 'text/xml', 'Content-Length': String(body.length) };
  if (o.authorization !== null) headers.Authorization = o.authorization;
  return new Promise((resolve, reject) => {
    let connected = false;
    const req = request({ ...where.connect, method: 'POST', path: '/RPC2', headers, agent: false, timeout: o.timeoutMs });
    req.on('socket', (s) => s.once('connect', () => (connected = true)));
    if (o.timeoutMs !== undefined) req.on('timeout', () => req.destroy(new CallTimeout(method, o.url, o.timeoutMs!)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(e instanceof CallTimeout ? e : new SocketFailure(e, connected)));
    req.on('response', (res) => {
      readBody(res).then((data) => {
        if (res.statusCode !== 200) reject(new HttpStatusError(res.statusCode ?? 0, res.statusMessage ?? ''));
        else parseResponse(data).then(resolve, reject);
      }, (e: NodeJS.ErrnoException) => reject(new SocketFailure(e, true)));
    });
    req.end(body);
  });
}
