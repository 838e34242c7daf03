// Reading XML-RPC calls as supervisor does (loads.ts); responses are written by
// marshal.ts, as Python writes them.
import { loads, Unmarshallable } from './loads.ts';
import type { XmlRpcValue } from './types.ts';

export interface MethodCall {
  methodName: string;
  params: XmlRpcValue[];
}

/** Why a body is no method call; supervisor answers both with HTTP 400. */
export class MalformedCall extends Error {
  constructor(readonly reason: 'unmarshallable' | 'no method name', detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'MalformedCall';
  }
}

/** Parse a request body; throws MalformedCall. A call without <params> has none. */
export function parseMethodCall(body: Buffer): MethodCall {
  let loaded;
  try {
    loaded = loads(body.toString('utf8'));
  } catch (e) {
    if (e instanceof Unmarshallable) throw new MalformedCall('unmarshallable', e.message);
    throw e;
  }
  if (loaded.methodName === null) throw new MalformedCall('no method name', 'no <methodName>, or an empty one');
  return { methodName: loaded.methodName, params: loaded.params ?? [] };
}
