// statevisorctl's XML-RPC calls: the client core's transport, with supervisorctl's headers
// (Basic auth only when both username and password are set) and its failures worded as
// the Python exceptions supervisorctl would raise.
import { BadResponse, basicAuth, HttpStatusError, SocketFailure, UnknownProtocol, xmlrpcCall } from '../client/transport.ts';
import type { XmlRpcValue } from '../client/wire.ts';
import { unknownProtocol, type Endpoint } from './endpoint.ts';
import { PROTOCOL_ERROR_AT, PyException, socketError } from './pyerrors.ts';

/** xmlrpc.client.ProtocolError: the server answered with a status other than 200. */
export class ProtocolError extends PyException {
  constructor(readonly status: number, readonly reason: string) {
    // ServerProxy is always made for http://127.0.0.1 (supervisor fakes the URL).
    super('xmlrpc.client.ProtocolError', `<ProtocolError for 127.0.0.1/RPC2: ${status} ${reason}>`, PROTOCOL_ERROR_AT);
    this.name = 'ProtocolError';
  }
}

/** A transport failure as supervisorctl's ServerProxy raises it (a fault stays the RpcFault it is). */
function asRaised(e: unknown, endpoint: Endpoint): unknown {
  if (e instanceof HttpStatusError) return new ProtocolError(e.status, e.reason);
  if (e instanceof SocketFailure) return socketError(e.cause, endpoint.serverurl.startsWith('unix://'), e.connected);
  if (e instanceof BadResponse) return new PyException('xml.parsers.expat.ExpatError', e.message, 'file: /usr/lib/python3.11/xmlrpc/client.py line: 451');
  if (e instanceof UnknownProtocol) return unknownProtocol(e);
  return e;
}

/** Calls `method` on the server; rejects with RpcFault, ProtocolError or a socket PyException. */
export async function call(endpoint: Endpoint, method: string, params: XmlRpcValue[] = []): Promise<XmlRpcValue> {
  const authorization = endpoint.username !== null && endpoint.password !== null ? basicAuth(endpoint.username, endpoint.password) : null;
  try {
    return await xmlrpcCall({ url: endpoint.serverurl, authorization, headers: { 'User-Agent': 'Python-xmlrpc/3.11' } }, method, params);
  } catch (e) {
    throw asRaised(e, endpoint);
  }
}
