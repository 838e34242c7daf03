// Reading XML-RPC calls: the xmlrpc package's deserializer, used on our own HTTP server
// (its server answers unknown methods and faults wrongly: libraries.md §0.2). Responses
// are written by marshal.ts, as Python writes them.
import { Readable } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';
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

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// supervisor's unmarshaller turns <base64> into text (strict UTF-8, a failure is a 400),
// so methods never see bytes; the package gives a Buffer.
function textOfBase64(v: unknown): XmlRpcValue {
  if (Buffer.isBuffer(v)) {
    try {
      return strictUtf8.decode(v);
    } catch {
      throw new MalformedCall('unmarshallable', 'base64 value is not UTF-8');
    }
  }
  if (Array.isArray(v)) return v.map(textOfBase64);
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) {
    const out: Record<string, XmlRpcValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = textOfBase64(x);
    return out;
  }
  return v as XmlRpcValue;
}

/** Parse a request body; rejects with MalformedCall. */
export function parseMethodCall(body: Buffer): Promise<MethodCall> {
  return new Promise((resolve, reject) => {
    let settled = false;
    new Deserializer('utf8').deserializeMethodCall(Readable.from([body], { objectMode: false }), (error, methodName, params) => {
      if (settled) return;
      settled = true;
      if (error) {
        const noName = /did not contain a method name/.test(error.message);
        reject(new MalformedCall(noName ? 'no method name' : 'unmarshallable', error.message));
        return;
      }
      try {
        resolve({ methodName: methodName ?? '', params: (params ?? []).map(textOfBase64) });
      } catch (e) {
        reject(e);
      }
    });
  });
}
