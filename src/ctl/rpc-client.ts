// The XML-RPC client: supervisor's SupervisorTransport over node:http, with the xmlrpc
// package's serializer and deserializer (its Client cannot reach a unix socket and turns
// HTTP errors into plain Errors). POST /RPC2, basic auth when both username and password
// are set, one connection per call.
import { request, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import Serializer from 'xmlrpc/lib/serializer.js';
import { RpcFault } from '../faults.ts';
import type { XmlRpcValue } from '../rpc/types.ts';
import { PROTOCOL_ERROR_AT, PyException, socketError } from './pyerrors.ts';
import { target, type Endpoint } from './endpoint.ts';

/** xmlrpc.client.ProtocolError: the server answered with a status other than 200. */
export class ProtocolError extends PyException {
  constructor(readonly status: number, readonly reason: string) {
    // ServerProxy is always made for http://127.0.0.1 (supervisor fakes the URL).
    super('xmlrpc.client.ProtocolError', `<ProtocolError for 127.0.0.1/RPC2: ${status} ${reason}>`, PROTOCOL_ERROR_AT);
    this.name = 'ProtocolError';
  }
}

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
      if (typeof fault.faultCode === 'number') reject(RpcFault.received(fault.faultCode, fault.faultString ?? ''));
      else reject(new PyException('xml.parsers.expat.ExpatError', error.message, 'file: /usr/lib/python3.11/xmlrpc/client.py line: 451'));
    });
  });
}

/** Calls `method` on the server; rejects with RpcFault, ProtocolError or a socket PyException. */
export function call(endpoint: Endpoint, method: string, params: XmlRpcValue[] = []): Promise<XmlRpcValue> {
  const body = Buffer.from(Serializer.serializeMethodCall(method, params), 'utf8');
  const where = target(endpoint.serverurl);
  const headers: Record<string, string> = {
    'User-Agent': 'Python-xmlrpc/3.11',
    'Content-Type': 'text/xml',
    Accept: 'text/xml',
    'Content-Length': String(body.length),
  };
  if (endpoint.username !== null && endpoint.password !== null) {
    headers.Authorization = `Basic ${Buffer.from(`${endpoint.username}:${endpoint.password}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    let connected = false;
    const req = request({ ...where.connect, method: 'POST', path: '/RPC2', headers, agent: false });
    req.on('socket', (s) => s.once('connect', () => (connected = true)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(socketError(e, where.unix, connected)));
    req.on('response', (res) => {
      readBody(res).then((data) => {
        if (res.statusCode !== 200) reject(new ProtocolError(res.statusCode ?? 0, res.statusMessage ?? ''));
        else parseResponse(data).then(resolve, reject);
      }, (e: NodeJS.ErrnoException) => reject(socketError(e, where.unix, true)));
    });
    req.end(body);
  });
}
