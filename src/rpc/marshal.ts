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
 * The bytes of a document, written straight into one buffer: a string built from 75,000
 * pieces (getAllProcessInfo of 1,000 processes), joined or concatenated, costs several
 * times more in allocation and GC than the encoding itself. By default the buffer is one
 * reused from document to document and done() copies what was written out of it; a writer
 * given a buffer of its own hands that buffer back instead.
 */
class Writer {
  private static scratch = Buffer.allocUnsafe(64 * 1024);
  /** A bigger buffer than this (a huge log read) is not kept for the next document. */
  private static readonly KEEP = 8 * 1024 * 1024;
  private at = 0;

  constructor(private buf: Buffer = Writer.scratch, private readonly shared = true) {}

  get length(): number {
    return this.at;
  }

  write(s: string): void {
    // a UTF-16 unit is at most 3 bytes of UTF-8; a long text is measured instead
    const most = s.length < 4096 ? s.length * 3 : Buffer.byteLength(s);
    if (this.at + most > this.buf.length) this.grow(most);
    this.at += this.buf.write(s, this.at);
  }

  /** Bytes start..end of `from`, as they are. */
  copy(from: Buffer, start: number, end: number): void {
    if (this.at + end - start > this.buf.length) this.grow(end - start);
    this.at += from.copy(this.buf, this.at, start, end);
  }

  /** Bytes start..end of what this writer has written, again. */
  again(start: number, end: number): void {
    if (this.at + end - start > this.buf.length) this.grow(end - start);
    this.buf.copyWithin(this.at, start, end);
    this.at += end - start;
  }

  private grow(need: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + need));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
    if (this.shared && bigger.length <= Writer.KEEP) Writer.scratch = bigger;
  }

  /** What was written: a copy out of the shared buffer, or the writer's own buffer cut to it. */
  done(): Buffer {
    return this.shared ? Buffer.from(this.buf.subarray(0, this.at)) : this.buf.subarray(0, this.at);
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

const ARRAY_RESPONSE_OPEN = `${HEAD}<params>\n<param>\n<value><array><data>\n`;
const ARRAY_RESPONSE_CLOSE = `</data></array></value>\n</param>\n</params>\n${TAIL}`;

/**
 * Responses that are arrays of structs of one shape, each struct cut into runs of members
 * (`runs`, in the structs' key order). Each response is written into a buffer of its own,
 * and remembers where each struct's runs are in it: the next response copies a run's bytes
 * from there while the run's values are the same strings, numbers or booleans, and writes
 * the rest as dump would. getAllProcessInfo's structs change `now` and a RUNNING
 * description each second and the rest only with the process: at 1,000 processes that is
 * 1.3 MB mostly copied, and no object per struct or run. The response is the same bytes
 * marshalResponse would write for the array.
 */
export class StructArrayMarshaller {
  private readonly keys: readonly string[];
  /** runStart[r]: the index in `keys` of run r's first key; runStart[runs.length] = keys.length. */
  private readonly runStart: readonly number[];
  /** The last response, and where [struct i][run r] is in it: spans[2 (i R + r)] … spans[2 (i R + r) + 1]; -1 for a struct marshalled whole. */
  private last: Buffer | null = null;
  private spans = new Int32Array(0);
  /** The values of the last response's structs, struct i's at i * keys.length. */
  private values: XmlRpcValue[] = [];
  private count = 0;

  constructor(private readonly runs: readonly (readonly string[])[]) {
    this.keys = runs.flat();
    const starts = [0];
    for (const run of runs) starts.push(starts.at(-1)! + run.length);
    this.runStart = starts;
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
    try {
      return this.write(value);
    } catch (e) {
      // a value that cannot be marshalled leaves a half-written record: start afresh
      this.last = null;
      this.count = 0;
      throw e;
    }
  }

  /** Whether run r of `struct` has the values recorded for struct i (written at `spans`' place for it unless that is -1). */
  private same(struct: XmlRpcStruct, i: number, r: number, spans: Int32Array): boolean {
    if (spans[2 * (i * this.runs.length + r)]! < 0) return false;
    const base = i * this.keys.length;
    for (let k = this.runStart[r]!; k < this.runStart[r + 1]!; k++) {
      const v = struct[this.keys[k]!]!;
      if (v !== this.values[base + k] || !isScalar(v)) return false;
    }
    return true;
  }

  private write(value: readonly XmlRpcStruct[]): Buffer {
    const R = this.runs.length;
    const K = this.keys.length;
    const out = new Writer(Buffer.allocUnsafe(this.last ? this.last.length + 4096 : 64 * 1024), false);
    const spans = new Int32Array(2 * R * value.length);
    const seen = new Set<object>();
    out.write(ARRAY_RESPONSE_OPEN);
    value.forEach((struct, i) => {
      if (!this.fits(struct)) {
        spans.fill(-1, 2 * i * R, 2 * (i + 1) * R);
        dump(struct, out, seen);
        return;
      }
      out.write(STRUCT_OPEN);
      for (let r = 0; r < R; r++) {
        const start = out.length;
        const at = 2 * (i * R + r);
        if (this.last !== null && i < this.count && this.same(struct, i, r, this.spans)) out.copy(this.last, this.spans[at]!, this.spans[at + 1]!);
        // the same run as the struct before (`now`, all of a second's): copied from this response
        else {
          const again = i > 0 && this.same(struct, i - 1, r, spans);
          if (again) out.again(spans[at - 2 * R]!, spans[at - 2 * R + 1]!);
          for (let k = this.runStart[r]!; k < this.runStart[r + 1]!; k++) {
            const key = this.keys[k]!;
            if (!again) member(key, struct[key]!, out, seen);
            this.values[i * K + k] = struct[key]!;
          }
        }
        spans[at] = start;
        spans[at + 1] = out.length;
      }
      out.write(STRUCT_CLOSE);
    });
    out.write(ARRAY_RESPONSE_CLOSE);
    this.last = out.done();
    this.spans = spans;
    this.count = value.length;
    this.values.length = value.length * K;
    return this.last;
  }
}

/** A fault response: always a plain {faultCode, faultString} struct. */
export const marshalFault = (f: FaultStruct): Buffer =>
  document('<fault>\n', { faultCode: f.faultCode, faultString: f.faultString }, '</fault>\n');
