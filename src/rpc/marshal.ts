// Method responses byte for byte as supervisor writes them: Python's xmlrpc.client.dumps
// (methodresponse=True), one element per line, `<?xml version='1.0'?>`, text escaped with
// &amp; &lt; &gt; only, as UTF-8.
import type { FaultStruct } from '../faults.ts';
import { pyFloat } from './pystr.ts';
import { isScalar, type XmlRpcStruct, type XmlRpcValue } from './types.ts';

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

/**
 * The bytes of a document, written straight into one buffer reused from call to call: a
 * string built from 75,000 pieces (getAllProcessInfo of 1,000 processes), joined or
 * concatenated, costs several times more in allocation and GC than the encoding itself.
 */
class Writer {
  private static scratch = Buffer.allocUnsafe(64 * 1024);
  /** A bigger buffer than this (a huge log read) is not kept for the next document. */
  private static readonly KEEP = 8 * 1024 * 1024;
  private buf = Writer.scratch;
  private at = 0;

  write(s: string): void {
    // a UTF-16 unit is at most 3 bytes of UTF-8; a long text is measured instead
    const most = s.length < 4096 ? s.length * 3 : Buffer.byteLength(s);
    if (this.at + most > this.buf.length) this.grow(most);
    this.at += this.buf.write(s, this.at);
  }

  private grow(need: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + need));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
    if (bigger.length <= Writer.KEEP) Writer.scratch = bigger;
  }

  /** A copy of what was written: the scratch buffer is the next document's. */
  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.at));
  }
}

function dump(v: XmlRpcValue, out: Writer, seen: Set<object>): void {
  switch (typeof v) {
    case 'string':
      out.write(`<value><string>${escape(v)}</string></value>\n`);
      return;
    case 'number':
      if (Number.isInteger(v)) {
        if (v > MAXINT || v < MININT) throw new CannotMarshal('int exceeds XML-RPC limits');
        out.write(`<value><int>${v}</int></value>\n`);
      } else out.write(`<value><double>${pyFloat(v)}</double></value>\n`);
      return;
    case 'boolean':
      out.write(v ? '<value><boolean>1</boolean></value>\n' : '<value><boolean>0</boolean></value>\n');
      return;
  }
  if (v === null) throw new CannotMarshal('cannot marshal None unless allow_none is enabled');
  if (v instanceof Date) {
    out.write(`<value><dateTime.iso8601>${String(v.getFullYear()).padStart(4, '0')}${p2(v.getMonth() + 1)}${p2(v.getDate())}T${p2(v.getHours())}:${p2(v.getMinutes())}:${p2(v.getSeconds())}</dateTime.iso8601></value>\n`);
    return;
  }
  if (Buffer.isBuffer(v)) {
    out.write(`<value><base64>\n${encodebytes(v)}</base64></value>\n`);
    return;
  }
  if (seen.has(v)) throw new CannotMarshal('cannot marshal recursive sequences');
  seen.add(v);
  if (Array.isArray(v)) {
    out.write('<value><array><data>\n');
    for (const x of v as readonly XmlRpcValue[]) dump(x, out, seen);
    out.write('</data></array></value>\n');
  } else {
    out.write(STRUCT_OPEN);
    for (const k in v) member(k, (v as Record<string, XmlRpcValue>)[k]!, out, seen);
    out.write(STRUCT_CLOSE);
  }
  seen.delete(v);
}

const STRUCT_OPEN = '<value><struct>\n';
const STRUCT_CLOSE = '</struct></value>\n';

function member(k: string, v: XmlRpcValue, out: Writer, seen: Set<object>): void {
  out.write(`<member>\n<name>${escape(k)}</name>\n`);
  dump(v, out, seen);
  out.write('</member>\n');
}

const HEAD = "<?xml version='1.0'?>\n<methodResponse>\n";
const TAIL = '</methodResponse>\n';

function document(open: string, value: XmlRpcValue, close: string): Buffer {
  const out = new Writer();
  out.write(HEAD + open);
  dump(value, out, new Set());
  out.write(close + TAIL);
  return out.done();
}

// A frozen array or struct cannot change: its response is written once and kept as long as
// the value itself lives (getAllProcessInfo hands out the same one while nothing changed),
// or written by the StructArrayMarshaller that adopted it.
const written = new WeakMap<object, Buffer | (() => Buffer)>();

/** A method response, UTF-8; throws CannotMarshal where Python's marshaller raises. */
export function marshalResponse(value: XmlRpcValue): Buffer {
  const keep = typeof value === 'object' && value !== null && Object.isFrozen(value);
  const known = keep ? written.get(value) : undefined;
  if (Buffer.isBuffer(known)) return known;
  const bytes = known ? known() : document('<params>\n<param>\n', value, '</param>\n</params>\n');
  if (keep) written.set(value, bytes);
  return bytes;
}

const ARRAY_RESPONSE_OPEN = Buffer.from(`${HEAD}<params>\n<param>\n<value><array><data>\n`);
const ARRAY_RESPONSE_CLOSE = Buffer.from(`</data></array></value>\n</param>\n</params>\n${TAIL}`);
const STRUCT_OPEN_BYTES = Buffer.from(STRUCT_OPEN);
const STRUCT_CLOSE_BYTES = Buffer.from(STRUCT_CLOSE);

interface KeptRun { values: readonly XmlRpcValue[]; bytes: Buffer }

/**
 * Responses that are arrays of structs of one shape, each struct cut into runs of members
 * (`runs`, in the structs' key order): the bytes of a run are kept per position in the
 * array and written again while its values are the same strings, numbers or booleans.
 * getAllProcessInfo's structs change `now` and a RUNNING description each second and the
 * rest only with the process: at 1,000 processes that is 1.3 MB assembled from kept runs
 * instead of marshalled anew. Each run's bytes are marshalled as a struct's members are,
 * so the response is the same.
 */
export class StructArrayMarshaller {
  private readonly keys: readonly string[];
  /** [position][run]: the run's values and bytes the last time. */
  private kept: KeptRun[][] = [];

  constructor(private readonly runs: readonly (readonly string[])[]) {
    this.keys = runs.flat();
  }

  /** The struct's keys are the runs', in order (as dump would write them). */
  private fits(struct: XmlRpcStruct): boolean {
    let i = 0;
    for (const k in struct) if (k !== this.keys[i++]) return false;
    return i === this.keys.length;
  }

  /** marshalResponse(value) (a frozen array) is to be assembled here; a struct of another shape is marshalled whole. */
  adopt(value: readonly XmlRpcStruct[]): void {
    if (!Object.isFrozen(value)) throw new TypeError('StructArrayMarshaller.adopt: the array is not frozen');
    written.set(value, () => this.response(value));
  }

  private response(value: readonly XmlRpcStruct[]): Buffer {
    const parts: Buffer[] = [ARRAY_RESPONSE_OPEN];
    const kept = value.map((struct, i) => {
      if (!this.fits(struct)) {
        parts.push(marshalValue(struct));
        return [];
      }
      parts.push(STRUCT_OPEN_BYTES);
      const runs = this.runs.map((run, r) => {
        const last = this.kept[i]?.[r];
        // compared in place: a second's rebuild of 1,000 structs allocates only what changed
        const same = last !== undefined && run.every((k, j) => struct[k] === last.values[j] && isScalar(struct[k]!));
        const got = same ? last : marshalRun(run, struct);
        parts.push(got.bytes);
        return got;
      });
      parts.push(STRUCT_CLOSE_BYTES);
      return runs;
    });
    parts.push(ARRAY_RESPONSE_CLOSE);
    this.kept = kept;
    return Buffer.concat(parts);
  }
}

function marshalValue(v: XmlRpcValue): Buffer {
  const out = new Writer();
  dump(v, out, new Set());
  return out.done();
}

/** The members `keys` of a struct, as dump writes them, and their values. */
function marshalRun(keys: readonly string[], struct: XmlRpcStruct): KeptRun {
  const out = new Writer();
  const seen = new Set<object>();
  const values = keys.map((k) => struct[k]!);
  keys.forEach((k, i) => member(k, values[i]!, out, seen));
  return { values, bytes: out.done() };
}

/** A fault response: always a plain {faultCode, faultString} struct. */
export const marshalFault = (f: FaultStruct): Buffer =>
  document('<fault>\n', { faultCode: f.faultCode, faultString: f.faultString }, '</fault>\n');
