// Reading XML-RPC calls as supervisor does (loads.ts); responses are written by
// marshal.ts, as Python writes them.
import { loads, TooDeep, Unmarshallable } from './loads.ts';
import { isScalar, type XmlRpcValue } from './types.ts';

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

/** Bodies up to this size are remembered with their calls. */
const REMEMBERED_BODY_BYTES = 1024;
const REMEMBERED_CALLS = 64;

/**
 * The calls of recent small bodies, by their text: a client that polls (supervisorctl
 * status, a monitor, the listeners' getProcessInfo) sends the same bytes again and again,
 * and parsing them cost as much as answering from a kept reply. Only calls whose params
 * are strings, numbers and booleans are kept, so that no caller can change a kept one.
 * The first kept is the first dropped.
 */
const recent = new Map<string, MethodCall>();

/** Parse a request body: the call, or why it is none (a value: any body is an answer). A call without <params> has none. */
export function parseMethodCall(body: Buffer): MethodCall | MalformedCall {
  const text = body.toString('utf8');
  const known = body.length <= REMEMBERED_BODY_BYTES ? recent.get(text) : undefined;
  if (known) return { methodName: known.methodName, params: [...known.params] };
  const call = parse(text);
  if (call instanceof MalformedCall || body.length > REMEMBERED_BODY_BYTES || !call.params.every(isScalar)) return call;
  if (recent.size >= REMEMBERED_CALLS) recent.delete(recent.keys().next().value!);
  recent.set(text, { methodName: call.methodName, params: [...call.params] });
  return call;
}

function parse(text: string): MethodCall | MalformedCall {
  let loaded;
  try {
    loaded = loads(text);
  } catch (e) {
    if (e instanceof TooDeep) return new MalformedCall('too deep', e.message);
    if (e instanceof Unmarshallable) return new MalformedCall('unmarshallable', e.message);
    throw e;
  }
  if (loaded.methodName === null) return new MalformedCall('no method name', 'no <methodName>, or an empty one');
  return { methodName: loaded.methodName, params: loaded.params ?? [] };
}
