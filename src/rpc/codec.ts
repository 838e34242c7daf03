// Reading XML-RPC calls as supervisor does (loads.ts); responses are written by
// marshal.ts, as Python writes them.
import { loads, TooDeep, Unmarshallable } from './loads.ts';
import type { XmlRpcValue } from './types.ts';

export interface MethodCall {
  methodName: string;
  params: XmlRpcValue[];
}

/** Why a body is no method call; supervisor answers each with HTTP 400 (and takes any depth). */
export class MalformedCall extends Error {
  constructor(readonly reason: 'unmarshallable' | 'no method name' | 'too deep', readonly detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'MalformedCall';
  }
}

/** Parse a request body: the call, or why it is none (a value: any body is an answer). A call without <params> has none. */
export function parseMethodCall(body: Buffer): MethodCall | MalformedCall {
  let loaded;
  try {
    loaded = loads(body.toString('utf8'));
  } catch (e) {
    if (e instanceof TooDeep) return new MalformedCall('too deep', e.message);
    if (e instanceof Unmarshallable) return new MalformedCall('unmarshallable', e.message);
    throw e;
  }
  if (loaded.methodName === null) return new MalformedCall('no method name', 'no <methodName>, or an empty one');
  return { methodName: loaded.methodName, params: loaded.params ?? [] };
}
