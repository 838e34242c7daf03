// Where the server is and who we are to it: the serverurl, username and password of
// supervisorctl's options, and the client core's target for them.
import { target as clientTarget, UnknownProtocol, type Target } from '../client/transport.ts';
import { PyException } from './pyerrors.ts';

export interface Endpoint {
  serverurl: string;
  username: string | null;
  password: string | null;
}

/** The ValueError SupervisorTransport raises for a URL neither http:// nor unix://. */
export const unknownProtocol = (e: UnknownProtocol): PyException =>
  new PyException('ValueError', e.message, 'file: /usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 505');

/** The client core's target, failing as supervisorctl does. */
export function target(serverurl: string): Target {
  try {
    return clientTarget(serverurl);
  } catch (e) {
    throw e instanceof UnknownProtocol ? unknownProtocol(e) : e;
  }
}
