// CPython 3.11's `template % mapping` (PyUnicode_Format with a dict), which supervisor
// uses to expand %(name)s in config values, and supervisor's expand() around it.
// The parser follows CPython's reading order, because which error a malformed template
// raises ("incomplete format", "not enough arguments", "* wants int"...) depends on it.
import { ConfigValueError } from './errors.ts';
import { pyAscii, pyRepr } from './pyrepr.ts';

export type PyFormatValue = string | number;
export type PyFormatMapping = Readonly<Record<string, PyFormatValue>>;
export type PyFormatErrorKind = 'KeyError' | 'ValueError' | 'TypeError' | 'OverflowError';

/** A Python exception from `%`: `detail` is Python's str() of it. */
export class PyFormatError extends Error {
  override name = 'PyFormatError';
  constructor(readonly kind: PyFormatErrorKind, readonly detail: string) {
    super(`${kind}: ${detail}`);
  }
}

// Numbers stand for Python ints; BigInt() gives the exact digits of large ones (and
// throws RangeError for a non-integer, which has no Python counterpart here).
type Arg = PyFormatValue | PyFormatMapping;
const LJUST = 1, SIGN = 2, BLANK = 4, ALT = 8, ZERO = 16;
const FLAGS: Partial<Record<string, number>> = { '-': LJUST, '+': SIGN, ' ': BLANK, '#': ALT, '0': ZERO };
const SSIZE_MAX = 2n ** 63n - 1n, INT_MAX = 2n ** 31n - 1n;

const typeName = (v: Arg): string => (typeof v === 'string' ? 'str' : typeof v === 'number' ? 'int' : 'dict');
const fail = (kind: PyFormatErrorKind, detail: string): never => { throw new PyFormatError(kind, detail); };
const isDigit = (c: string | undefined): c is string => c !== undefined && c >= '0' && c <= '9';

function toStr(v: Arg, conv: string): string {
  if (typeof v === 'number') return BigInt(v).toString();
  if (typeof v === 'string') return conv === 's' ? v : conv === 'r' ? pyRepr(v) : pyAscii(v);
  const quote = conv === 'a' ? pyAscii : pyRepr;
  return `{${Object.entries(v).map(([k, x]) => `${quote(k)}: ${toStr(x, conv === 's' ? 'r' : conv)}`).join(', ')}}`;
}

// _PyUnicode_FormatLong: sign, the 0x/0o marker only with '#', digits zero-filled to prec.
function formatLong(v: number, alt: boolean, prec: number, conv: string): string {
  if (prec > 2 ** 31 - 4) fail('OverflowError', 'precision too large');
  const n = BigInt(v), base = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
  const marker = alt && base !== 10 ? (base === 8 ? '0o' : '0x') : '';
  const s = `${n < 0n ? '-' : ''}${marker}${(n < 0n ? -n : n).toString(base).padStart(prec, '0')}`;
  return conv === 'X' ? s.toUpperCase() : s;
}

// Round the exact decimal digits of an integer to k significant digits, half to even
// as Python's dtoa does; decpt is where the decimal point falls after the first digit run.
function roundDigits(d: string, k: number): { digits: string; decpt: number } {
  if (d.length <= k) return { digits: d, decpt: d.length };
  let head = d.slice(0, k);
  const next = d[k], rest = d.slice(k + 1);
  if (next > '5' || (next === '5' && (/[1-9]/.test(rest) || Number(head[k - 1]) % 2 === 1))) {
    head = (BigInt(head) + 1n).toString();
    if (head.length > k) return { digits: head.slice(0, k), decpt: d.length + 1 };
  }
  return { digits: head, decpt: d.length };
}

// PyOS_double_to_string for e/f/g of an integer-valued double.
function formatFloat(v: number, conv: string, precision: number, alt: boolean): string {
  const n = BigInt(v), d = (n < 0n ? -n : n).toString(), lower = conv.toLowerCase();
  const prec = precision < 0 ? 6 : precision;
  const exp = (digits: string, decpt: number): string => {
    const e = decpt - 1;
    const mant = digits.length > 1 || alt ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  };
  let body: string;
  if (lower === 'f') body = prec > 0 || alt ? `${d}.${'0'.repeat(prec)}` : d;
  else if (lower === 'e') {
    const r = roundDigits(d, prec + 1);
    body = exp(r.digits.padEnd(prec + 1, '0'), r.decpt);
  } else {
    const p = prec === 0 ? 1 : prec, r = roundDigits(d, p);
    let digits = r.digits.replace(/(?<=.)0+$/, '');
    if (alt) digits = digits.padEnd(p, '0');
    if (r.decpt > p) body = exp(digits, r.decpt);
    else {
      const int = digits.slice(0, r.decpt).padEnd(r.decpt, '0'), frac = digits.slice(r.decpt);
      body = frac || alt ? `${int}.${frac}` : int;
    }
  }
  body = `${n < 0n ? '-' : ''}${body}`;
  return conv === lower ? body : body.toUpperCase();
}

interface Spec { conv: string; flags: number; width: number; prec: number; sign: boolean }

// unicode_format_arg_output: padding, sign and 0x/0o marker placement.
function output(str: string, a: Spec): string {
  const cps = Array.from(str);
  let len = cps.length;
  if ((a.width === -1 || a.width <= len) && (a.prec === -1 || a.prec >= len) && !(a.flags & (SIGN | BLANK))) return str;
  if ('sra'.includes(a.conv) && a.prec >= 0 && len > a.prec) len = a.prec;
  const fill = a.sign && a.flags & ZERO ? '0' : ' ';
  let pindex = 0, signchar = '', sign = a.sign;
  if (sign) {
    if (cps[0] === '-' || cps[0] === '+') { signchar = cps[0]; len--; pindex++; }
    else if (a.flags & SIGN) signchar = '+';
    else if (a.flags & BLANK) signchar = ' ';
    else sign = false;
  }
  let width = Math.max(a.width, len), out = '';
  if (sign) {
    if (fill !== ' ') out += signchar;
    if (width > len) width--;
  }
  const marker = (a.flags & ALT) !== 0 && 'xXo'.includes(a.conv);
  if (marker) {
    if (fill !== ' ') { out += cps[pindex] + cps[pindex + 1]; pindex += 2; }
    width = Math.max(width - 2, 0);
    len -= 2;
  }
  if (width > len && !(a.flags & LJUST)) { out += fill.repeat(width - len); width = len; }
  if (fill === ' ') {
    if (sign) out += signchar;
    if (marker) { out += cps[pindex] + cps[pindex + 1]; pindex += 2; }
  }
  out += cps.slice(pindex, pindex + len).join('');
  return width > len ? out + ' '.repeat(width - len) : out;
}

/** Python's `template % mapping` for a dict of str and int values; throws PyFormatError. */
export function pyFormat(template: string, mapping: PyFormatMapping): string {
  const f = Array.from(template);
  let pos = 0, exhausted = false, out = '';
  // CPython counts down the characters left; running out inside a spec is what makes it
  // "incomplete", after whatever errors the characters read so far raised.
  const read = (): string | undefined => (pos < f.length ? f[pos++] : ((exhausted = true), undefined));
  // With a dict, the dict itself is the one positional argument, and each %(key) makes
  // its value the one argument for the rest of that conversion.
  let arg: Arg = mapping, consumed = false;
  const nextArg = (): Arg => (consumed ? fail('TypeError', 'not enough arguments for format string') : ((consumed = true), arg));
  const star = (limit: bigint, ctype: string): number => {
    const v = nextArg();
    if (typeof v !== 'number') return fail('TypeError', '* wants int');
    if (BigInt(v) > limit || BigInt(v) < -limit - 1n) fail('OverflowError', `Python int too large to convert to C ${ctype}`);
    return v;
  };
  const number = (first: string, limit: bigint, what: string): [number, string] => {
    let value = BigInt(first), ch = first;
    for (let c = read(); c !== undefined; c = read()) {
      ch = c;
      if (!isDigit(c)) break;
      if (value > (limit - BigInt(c)) / 10n) fail('ValueError', `${what} too big`);
      value = value * 10n + BigInt(c);
    }
    return [Number(value), ch];
  };
  while (pos < f.length) {
    if (f[pos] !== '%') {
      const next = f.indexOf('%', pos), end = next < 0 ? f.length : next;
      out += f.slice(pos, end).join('');
      pos = end;
      continue;
    }
    let ch = f[++pos];
    if (ch === '%') { pos++; out += '%'; continue; }
    const spec: Spec = { conv: '', flags: 0, width: -1, prec: -1, sign: false };
    if (ch === '(') {
      const keystart = ++pos;
      let depth = 1;
      // Parentheses nest: "%(a(b))s" looks up 'a(b)'.
      while (depth > 0) {
        const c = read();
        if (c === undefined) fail('ValueError', 'incomplete format key');
        else if (c === '(') depth++;
        else if (c === ')') depth--;
      }
      const key = f.slice(keystart, pos - 1).join('');
      if (!Object.prototype.hasOwnProperty.call(mapping, key)) fail('KeyError', pyRepr(key));
      arg = mapping[key];
      consumed = false;
    }
    for (let c = read(); c !== undefined; c = read()) {
      ch = c;
      const flag = FLAGS[c];
      if (flag === undefined) break;
      spec.flags |= flag;
    }
    if (ch === '*') {
      spec.width = star(SSIZE_MAX, 'ssize_t');
      if (spec.width < 0) { spec.flags |= LJUST; spec.width = -spec.width; }
      ch = read() ?? ch;
    } else if (isDigit(ch)) [spec.width, ch] = number(ch, SSIZE_MAX, 'width');
    if (ch === '.') {
      spec.prec = 0;
      ch = read() ?? ch;
      if (ch === '*') {
        spec.prec = Math.max(star(INT_MAX, 'int'), 0);
        ch = read() ?? ch;
      } else if (isDigit(ch)) [spec.prec, ch] = number(ch, INT_MAX, 'precision');
    }
    if (!exhausted && (ch === 'h' || ch === 'l' || ch === 'L')) ch = read() ?? ch;
    if (exhausted || ch === undefined) fail('ValueError', 'incomplete format');
    spec.conv = ch ?? '';
    const v = nextArg();
    out += output(convert(v, spec, pos - 1), spec);
  }
  return out;
}

function convert(v: Arg, spec: Spec, index: number): string {
  const c = spec.conv, alt = (spec.flags & ALT) !== 0;
  if ('sra'.includes(c)) return toStr(v, c);
  if ('diuoxX'.includes(c)) {
    if (typeof v !== 'number') {
      const need = 'oxX'.includes(c) ? 'an integer' : 'a real number';
      return fail('TypeError', `%${c} format: ${need} is required, not ${typeName(v)}`);
    }
    spec.sign = true;
    return formatLong(v, alt, spec.prec, c);
  }
  if ('eEfFgG'.includes(c)) {
    if (typeof v !== 'number') return fail('TypeError', `must be real number, not ${typeName(v)}`);
    spec.sign = true;
    return formatFloat(v, c, spec.prec, alt);
  }
  if (c === 'c') {
    if (typeof v === 'string' && Array.from(v).length === 1) return v;
    if (typeof v !== 'number') return fail('TypeError', '%c requires int or char');
    if (v < 0 || v > 0x10ffff) fail('OverflowError', '%c arg not in range(0x110000)');
    return String.fromCodePoint(v);
  }
  const cp = c.codePointAt(0) ?? 0;
  const shown = cp >= 31 && cp <= 126 ? c : '?';
  return fail('ValueError', `unsupported format character '${shown}' (0x${cp.toString(16)}) at index ${index}`);
}

// Python sorts str by code point; UTF-16 order differs only for astral vs U+E000..U+FFFF.
function byCodePoint(a: string, b: string): number {
  const key = (u: number): number => (u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) return key(x) - key(y);
  }
  return a.length - b.length;
}

/** supervisor.options.expand(): `s % expansions`, with supervisor's messages on failure. */
export function expand(s: string, expansions: PyFormatMapping, name: string): string {
  try {
    return pyFormat(s, expansions);
  } catch (e) {
    if (!(e instanceof PyFormatError)) throw e;
    const where = `Format string ${pyRepr(s)} for ${pyRepr(name)}`;
    if (e.kind === 'KeyError') {
      const available = Object.keys(expansions).sort(byCodePoint).join(', ');
      throw new ConfigValueError(`${where} contains names (${e.detail}) which cannot be expanded. Available names: ${available}`);
    }
    throw new ConfigValueError(`${where} is badly formatted: ${e.detail}`);
  }
}
