// Reading a request body as supervisor's own loader does (supervisor_xmlrpc_handler.loads):
// every element, wherever it is, is reduced when it ends, children first. A known type tag
// becomes its value; a <value> takes its first child's value, or its own text (so an
// unknown type such as <i8> or <foo> is its text, and <nil/> is None); <param> its value;
// <params> the list of them; the last <methodName> names the method. No root element is
// required; a tag in a namespace is none of supervisor's. What the reduction fails on (int('x'), a struct member that is not two
// elements, bad UTF-8 in <base64>) makes the body unmarshallable: HTTP 400.
//
// Bodies made to exhaust the parser: sax expands only XML's five entities and character
// references, never a DTD's (`&lol9;` or an external `&xxe;` is an unknown entity, so a
// billion laughs costs nothing; expat refuses them too, by its amplification limit), and
// elements nested deeper than MAX_DEPTH are refused as they open, where every element
// held would cost memory (expat takes any depth).
import sax from 'sax';
import { pyB64decode } from '../util/py-base64.ts';
import type { XmlRpcValue } from './types.ts';

/** An element as ElementTree holds it: text before its first child, then its children. */
interface Elem {
  tag: string;
  /** Raw text (null when none), or, once reduced, the value it stands for. */
  text: XmlRpcValue | undefined;
  children: Elem[];
}

export class Unmarshallable extends Error {
  override name = 'Unmarshallable';
}

/** Far deeper than any call supervisor's methods take (a multicall is 14 elements deep). */
export const MAX_DEPTH = 1000;

/** Refused for its depth alone, which supervisor would take: the log says so. */
export class TooDeep extends Unmarshallable {
  override name = 'TooDeep';
  constructor() {
    super(`elements nested deeper than ${MAX_DEPTH}`);
  }
}

const fail = (why: string): never => {
  throw new Unmarshallable(why);
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const PY_INT = /^[+-]?\d+(?:_\d+)*$/;
const PY_FLOAT = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][+-]?\d+(?:_\d+)*)?|\d+(?:_\d+)*\.(?:[eE][+-]?\d+(?:_\d+)*)?|inf(?:inity)?|nan)$/i;
const ISO = /^(\d{4})(\d\d)(\d\d)T(\d\d):(\d\d):(\d\d)$/;

/** Python's str() view of raw element text: None stays null. */
const raw = (e: Elem): string | null => (typeof e.text === 'string' ? e.text : e.text === undefined ? null : fail(`<${e.tag}> holds no text`));

function pyInt(e: Elem): number {
  const t = raw(e)?.trim() ?? fail(`int(None) in <${e.tag}>`);
  return PY_INT.test(t) ? Number(t.replaceAll('_', '')) : fail(`int(${JSON.stringify(t)})`);
}

function pyFloat(e: Elem): number {
  const t = raw(e)?.trim() ?? fail('float(None)');
  if (!PY_FLOAT.test(t)) fail(`float(${JSON.stringify(t)})`);
  const lower = t.toLowerCase().replace(/^\+/, '');
  if (/^-?inf/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  return /nan$/.test(lower) ? NaN : Number(t.replaceAll('_', ''));
}

function dateTime(e: Elem): Date {
  const m = ISO.exec(raw(e) ?? '') ?? fail('bad dateTime.iso8601');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s);
  // strptime refuses what Date would roll over (month 13, 25 o'clock)
  return date.getMonth() === mo - 1 && date.getDate() === d && date.getHours() === h ? date : fail('bad dateTime.iso8601');
}

function base64Text(e: Elem): string {
  const bytes = pyB64decode(raw(e) ?? '') ?? fail('bad base64');
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return fail('base64 value is not UTF-8');
  }
}

const first = (e: Elem): Elem => e.children[0] ?? fail(`<${e.tag}> has no child`);
const valueOf = (e: Elem): XmlRpcValue => (e.text === undefined ? null : e.text);

const REDUCE: ReadonlyMap<string, (e: Elem) => XmlRpcValue> = new Map(Object.entries({
  int: pyInt,
  i4: pyInt,
  boolean: (e) => raw(e) === '1',
  string: (e) => raw(e) ?? '',
  double: pyFloat,
  'dateTime.iso8601': dateTime,
  array: (e) => valueOf(first(e)),
  data: (e) => e.children.map(valueOf),
  struct: (e) => {
    const out: Record<string, XmlRpcValue> = {};
    for (const member of e.children) {
      if (member.children.length !== 2) fail('a struct member is not a name and a value');
      const [k, v] = member.children as [Elem, Elem];
      out[k.text === undefined || k.text === '' ? '' : String(k.text)] = valueOf(v);
    }
    return out;
  },
  base64: base64Text,
  param: (e: Elem) => valueOf(first(e)),
}));

export interface Loaded {
  /** null without a <methodName> (or an empty one). */
  methodName: string | null;
  /** null without <params>. */
  params: XmlRpcValue[] | null;
}

/** Parse and reduce a body; throws Unmarshallable for anything supervisor's loads() raises on. */
export function loads(body: string): Loaded {
  const parser = sax.parser(true, { trim: false, normalize: false, position: false, xmlns: true });
  const stack: Elem[] = [];
  let methodName: string | null = null;
  let params: XmlRpcValue[] | null = null;
  let roots = 0;
  const text = (t: string): void => {
    const top = stack.at(-1);
    // ElementTree's .text is what comes before the first child
    if (top && top.children.length === 0) top.text = (typeof top.text === 'string' ? top.text : '') + t;
  };
  parser.onerror = (e: Error) => fail(e.message);
  parser.onopentag = (node: { local: string; uri: string }) => {
    if (stack.length === 0 && ++roots > 1) fail('junk after document element');
    if (stack.length >= MAX_DEPTH) throw new TooDeep();
    // ElementTree's name for a namespaced tag, which no reduction matches
    const e: Elem = { tag: node.uri ? `{${node.uri}}${node.local}` : node.local, text: undefined, children: [] };
    stack.at(-1)?.children.push(e);
    stack.push(e);
  };
  parser.ontext = text;
  parser.oncdata = text;
  parser.onclosetag = () => {
    const e = stack.pop()!;
    const reduce = REDUCE.get(e.tag);
    if (reduce) e.text = reduce(e);
    else if (e.tag === 'value') e.text = e.children.length ? e.children[0]!.text : (raw(e) ?? '');
    else if (e.tag === 'methodName') methodName = typeof e.text === 'string' ? e.text : null;
    else if (e.tag === 'params') params = e.children.map(valueOf);
    if (reduce || e.tag === 'value') e.children = [];
  };
  try {
    parser.write(body).close();
  } catch (e) {
    // sax's own failures (a character reference past U+10FFFF is a RangeError) are the body's
    if (e instanceof Unmarshallable) throw e;
    fail(String(e));
  }
  if (roots === 0) fail('no element found');
  return { methodName: methodName || null, params };
}
