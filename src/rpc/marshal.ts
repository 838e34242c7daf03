// Method responses byte for byte as supervisor writes them: Python's xmlrpc.client.dumps
// (methodresponse=True), one element per line, `<?xml version='1.0'?>`, text escaped with
// &amp; &lt; &gt; only. Built as one string in a single pass: getAllProcessInfo of 1,000
// processes is 15,000 values, and this is its hot path.
import type { FaultStruct } from '../faults.ts';
import { pyFloat } from './pystr.ts';
import type { XmlRpcValue } from './types.ts';

/** A value Python's marshaller refuses too (supervisor then answers HTTP 500). */
export class CannotMarshal extends TypeError {
  override name = 'CannotMarshal';
}

const MAXINT = 2 ** 31 - 1;
const MININT = -(2 ** 31);
const SPECIAL = /[&<>]/;
// Characters XML 1.0 cannot carry: Python would write them and its client's expat would
// fail on the document; refusing here answers 500 instead of a broken document.
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function escape(s: string): string {
  if (NOT_XML.test(s)) throw new CannotMarshal(`cannot marshal ${JSON.stringify(s.slice(0, 40))}: not XML text`);
  return SPECIAL.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** base64.encodebytes: lines of 76 characters, each ending in a newline. */
function encodebytes(b: Buffer): string {
  const text = b.toString('base64');
  let out = '';
  for (let i = 0; i < text.length; i += 76) out += `${text.slice(i, i + 76)}\n`;
  return out;
}

function dump(v: XmlRpcValue, seen: Set<object>): string {
  switch (typeof v) {
    case 'string':
      return `<value><string>${escape(v)}</string></value>\n`;
    case 'number':
      if (Number.isInteger(v)) {
        if (v > MAXINT || v < MININT) throw new CannotMarshal('int exceeds XML-RPC limits');
        return `<value><int>${v}</int></value>\n`;
      }
      return `<value><double>${pyFloat(v)}</double></value>\n`;
    case 'boolean':
      return `<value><boolean>${v ? '1' : '0'}</boolean></value>\n`;
  }
  if (v === null) throw new CannotMarshal('cannot marshal None unless allow_none is enabled');
  if (v instanceof Date) {
    return `<value><dateTime.iso8601>${String(v.getFullYear()).padStart(4, '0')}${p2(v.getMonth() + 1)}${p2(v.getDate())}T${p2(v.getHours())}:${p2(v.getMinutes())}:${p2(v.getSeconds())}</dateTime.iso8601></value>\n`;
  }
  if (Buffer.isBuffer(v)) return `<value><base64>\n${encodebytes(v)}</base64></value>\n`;
  if (seen.has(v)) throw new CannotMarshal('cannot marshal recursive sequences');
  seen.add(v);
  let out: string;
  if (Array.isArray(v)) {
    out = '<value><array><data>\n';
    for (const x of v as readonly XmlRpcValue[]) out += dump(x, seen);
    out += '</data></array></value>\n';
  } else {
    out = '<value><struct>\n';
    for (const k in v) out += `<member>\n<name>${escape(k)}</name>\n${dump((v as Record<string, XmlRpcValue>)[k]!, seen)}</member>\n`;
    out += '</struct></value>\n';
  }
  seen.delete(v);
  return out;
}

const HEAD = "<?xml version='1.0'?>\n<methodResponse>\n";
const TAIL = '</methodResponse>\n';

/** A method response; throws CannotMarshal where Python's marshaller raises. */
export const marshalResponse = (value: XmlRpcValue): string => `${HEAD}<params>\n<param>\n${dump(value, new Set())}</param>\n</params>\n${TAIL}`;

/** A fault response: always a plain {faultCode, faultString} struct. */
export const marshalFault = (f: FaultStruct): string =>
  `${HEAD}<fault>\n${dump({ faultCode: f.faultCode, faultString: f.faultString }, new Set())}</fault>\n${TAIL}`;
