// POST /RPC2 as supervisor's xmlrpc handler answers it: other methods 400, no
// Content-Length 411 (medusa's collector), a body that is no method call 400, anything
// the server itself fails at 500, and every call — fault or not — 200 text/xml.
//
// supervisor has no size limit: medusa collects any body in memory. Here a body over the
// limit is refused from its Content-Length alone, before a byte is read, with 413 (a
// status medusa knows: "Request Entity Too Large"). The reply goes out at once; the
// connection then lingers, discarding what the client still sends, so that a client that
// writes its whole body before reading (Python's xmlrpc.client) gets the 413 rather than
// a reset, and closes after at most LINGER_MS. What it drains is dropped as it comes
// (reclaim.ts), so the daemon's memory stays flat.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRpcFault } from '../faults.ts';
import { pyRepr } from '../config/pyrepr.ts';
import { MalformedCall, parseMethodCall } from '../rpc/codec.ts';
import { marshalFault, marshalResponse } from '../rpc/marshal.ts';
import type { Awaitable, XmlRpcValue } from '../rpc/types.ts';
import { dropper } from './reclaim.ts';
import { sendError, startError } from './responses.ts';

export const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
export const LINGER_MS = 5000;

/** What /RPC2 needs from the RPC layer: the Dispatcher fits. */
export interface RpcTarget {
  /** The method's value, or a promise of it; throws or rejects with an RpcFault for a fault. */
  call(methodName: string, params: readonly XmlRpcValue[]): Awaitable<XmlRpcValue>;
}

/** The main log's methods these handlers write to (MainLog fits). */
export interface HttpLogger {
  critical(message: string): void;
  error(message: string): void;
  info(message: string): void;
  trace(message: string): void;
}

export interface RpcRouteOptions {
  rpc: RpcTarget;
  logger: HttpLogger;
  maxRequestBytes: number;
}

function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  startError(res, 413, { Connection: 'close' });
  const finish = (): void => {
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(finish, LINGER_MS);
  req.on('end', finish).on('close', finish).on('error', finish);
  req.on('data', dropper());
}

/** Calls `take` once: with the body, or with null when the client went away or sent more than it announced. */
function readBody(req: IncomingMessage, max: number, take: (body: Buffer | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let taken = false;
  const once = (body: Buffer | null): void => {
    if (taken) return;
    taken = true;
    take(body);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > max) {
      chunks.length = 0;
      req.destroy();
      once(null);
    } else chunks.push(chunk);
  });
  req.on('end', () => once(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  req.on('close', () => once(null)); // after 'end' this no longer counts
  req.on('error', () => once(null));
}

function reply(res: ServerResponse, body: Buffer): void {
  if (res.destroyed) return;
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': body.length });
  res.end(body);
}

/** How much of a malformed body its log line quotes: a client must not fill the main log. */
export const LOGGED_BODY_BYTES = 64 * 1024;

/**
 * The body as supervisor's log line quotes it (repr of the decoded text), cut after
 * LOGGED_BODY_BYTES. Decoded only for that line: a copy of every body would double what a
 * large call costs.
 */
function quoted(body: Buffer): string {
  if (body.length <= LOGGED_BODY_BYTES) return pyRepr(body.toString('utf8'));
  return `${pyRepr(body.subarray(0, LOGGED_BODY_BYTES).toString('utf8'))}... (${body.length} bytes in all)`;
}

/**
 * Answers a request to /RPC2. Whatever fails here outside a call (the server's own error)
 * goes to `failed`. A method that answers at once is answered without a promise: a client
 * polling getAllProcessInfo waits for no microtask of ours.
 */
export function handleRpc(req: IncomingMessage, res: ServerResponse, o: RpcRouteOptions, expectsContinue: boolean, failed: (e: unknown) => void): void {
  if (req.method !== 'POST') return sendError(res, 400);
  const announced = req.headers['content-length'];
  if (announced === undefined) return sendError(res, 411, { Connection: 'close' });
  if (Number(announced) > o.maxRequestBytes) return refuseTooLarge(req, res);
  if (expectsContinue) res.writeContinue();
  readBody(req, o.maxRequestBytes, (body) => {
    if (body === null) return;
    try {
      answer(body, res, o, failed);
    } catch (e) {
      failed(e);
    }
  });
}

function answer(body: Buffer, res: ServerResponse, o: RpcRouteOptions, failed: (e: unknown) => void): void {
  const data = () => quoted(body);
  const call = parseMethodCall(body);
  if (call instanceof MalformedCall) {
    const why = call.reason === 'too deep' ? `unmarshallable (${call.detail})` : call.reason;
    o.logger.error(`XML-RPC request data ${data()} is invalid: ${why}`);
    return sendError(res, 400);
  }
  const { methodName, params } = call;
  // every call — fault or not — is a 200; anything else that fails is the server's own 500
  const settle = (xml: () => Buffer): void => {
    try {
      reply(res, xml());
    } catch (e) {
      const tb = e instanceof Error ? (e.stack ?? e.message) : String(e);
      o.logger.critical(`Handling XML-RPC request with data ${data()} raised an unexpected exception: ${tb}`);
      sendError(res, 500);
    }
  };
  const returned = (value: XmlRpcValue) => (): Buffer => {
    o.logger.trace(`XML-RPC method ${methodName}() returned successfully`);
    return marshalResponse(value);
  };
  const faulted = (e: unknown) => (): Buffer => {
    if (!isRpcFault(e)) throw e;
    o.logger.trace(`XML-RPC method ${methodName}() returned fault: [${e.faultCode}] ${e.faultString}`);
    return marshalFault(e.toStruct());
  };
  o.logger.trace(`XML-RPC method called: ${methodName}()`);
  let called: Awaitable<XmlRpcValue>;
  try {
    called = o.rpc.call(methodName, params);
  } catch (e) {
    return settle(faulted(e));
  }
  if (called instanceof Promise) called.then((v: XmlRpcValue) => settle(returned(v)), (e: unknown) => settle(faulted(e))).catch(failed);
  else settle(returned(called));
}
