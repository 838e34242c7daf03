// The XML-RPC codec: the xmlrpc package's serializer and deserializer, used on our own
// HTTP server (its server answers unknown methods and faults wrongly: libraries.md §0.2).
import { Readable } from 'node:stream';
import CustomType from 'xmlrpc/lib/customtype.js';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import Serializer from 'xmlrpc/lib/serializer.js';
import type { FaultStruct } from '../faults.ts';
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

// The package writes text holding '<', '&' or ']]>' as CDATA. supervisor's client transport
// turns every non-ASCII character of a response into a character reference before it
// parses, and inside CDATA a reference stays literal: 'é' would arrive as '&#233;'. Such
// text goes out with entities instead, as Python's marshaller writes all text.
class EscapedString extends CustomType {
  override tagName = 'string';
}

const NEEDS_ENTITIES = /[<&]|]]>/;

function entitiesNotCdata(v: XmlRpcValue): unknown {
  if (typeof v === 'string') return NEEDS_ENTITIES.test(v) ? new EscapedString(v) : v;
  if (Array.isArray(v)) return v.map(entitiesNotCdata);
  if (typeof v === 'object' && v !== null && !(v instanceof Date) && !Buffer.isBuffer(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = entitiesNotCdata(x);
    return out;
  }
  return v;
}

/** A method response; throws when a value cannot be written (a control character in a string). */
export const renderResponse = (value: XmlRpcValue): string => Serializer.serializeMethodResponse(entitiesNotCdata(value));

/** A fault response, always a plain {faultCode, faultString} struct. */
export const renderFault = (fault: FaultStruct): string =>
  Serializer.serializeFault(entitiesNotCdata({ faultCode: fault.faultCode, faultString: fault.faultString }) as FaultStruct);
