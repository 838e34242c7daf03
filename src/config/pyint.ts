// CPython 3.11's int(str, base) and str.strip(), which supervisor's config loader uses to
// read numbers (integer(), octal_type()) and to trim values.
import { pyRepr } from './pyrepr.ts';

/** Python's ValueError, with Python's message. */
export class PyValueError extends Error {
  override name = 'PyValueError';
}

// Py_UNICODE_ISSPACE in Python 3.11 (Unicode 14): the code points str.isspace() accepts.
// Listed rather than taken from \p{Zs}: \x1c-\x1f and \x85 are not Zs, and a Node with
// newer Unicode tables must not change the answer.
const SPACE = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000';
const IS_SPACE = new RegExp(`^[${SPACE}]$`);
const STRIP = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');

/** False when int() must fail: it needs at least one decimal digit. Cheaper than a throw. */
export const mayBeInt = (s: string): boolean => /\p{Nd}/u.test(s);

/** Python's `ch.isspace()` for a single character. */
export function pyIsSpace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
  return IS_SPACE.test(ch);
}

/** Python's `s.strip()` with no arguments. */
export function pyStrip(s: string): string {
  if (!s || (!pyIsSpace(s[0]) && !pyIsSpace(s[s.length - 1]))) return s;
  return s.replace(STRIP, '');
}

const DECIMAL = /^\p{Nd}$/u;

// Unicode lays every decimal digit set out as a run of ten code points from zero up, and
// such runs can abut (U+1D7CE..U+1D7FF), so a digit's value is its offset in its run mod 10.
function decimalValue(cp: number): number {
  let start = cp;
  while (start > 0 && DECIMAL.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

// _PyUnicode_TransformDecimalAndSpaceToASCII: ASCII passes through, other whitespace
// becomes ' ', other decimal digits become their ASCII digit, and anything else ends
// the string with a '?' that no parse accepts.
function toAscii(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x7f) out += ch;
    else if (IS_SPACE.test(ch)) out += ' ';
    else if (DECIMAL.test(ch)) out += String(decimalValue(cp));
    else return `${out}?`;
  }
  return out;
}

// Python's _PyLong_DigitValue: 0-9, then letters either case from 10; 37 = not a digit.
function digitValue(ch: string | undefined): number {
  if (ch === undefined) return 37;
  const c = ch.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  return 37;
}

// PyLong_FromString skips only C isspace(), so \x1c-\x1f (kept as ASCII) are not skipped.
const C_SPACE = ' \t\n\v\f\r';
const MAX_STR_DIGITS = 4300;
const PREFIX: Partial<Record<number, string>> = { 2: 'bB', 8: 'oO', 16: 'xX' };

/**
 * Python's `int(s, base)` for a str and 2 <= base <= 36. Throws PyValueError with
 * Python's message. Values past 2**53 come back rounded to the nearest double.
 */
export function pyInt(s: string, base = 10): number {
  if (base === 10 && /^[0-9]{1,15}$/.test(s)) return Number(s); // the common case, fast
  if (!Number.isInteger(base) || base < 2 || base > 36) throw new RangeError(`pyInt: unsupported base ${base}`);
  const invalid = () => new PyValueError(`invalid literal for int() with base ${base}: ${[...pyRepr(s)].slice(0, 200).join('')}`);
  const a = toAscii(s);
  let i = 0;
  while (i < a.length && C_SPACE.includes(a[i])) i++;
  let negative = false;
  if (a[i] === '+' || a[i] === '-') negative = a[i++] === '-';
  // After a base prefix ("0o17"), one underscore may come before the first digit.
  const prefix = PREFIX[base];
  if (prefix !== undefined && a[i] === '0' && a[i + 1] !== undefined && prefix.includes(a[i + 1])) {
    i += 2;
    if (a[i] === '_') i++;
  }
  if (a[i] === '_') throw invalid();
  let digits = '';
  let prev = '';
  for (; i < a.length && (digitValue(a[i]) < base || a[i] === '_'); i++) {
    if (a[i] === '_' && prev === '_') throw invalid();
    if (a[i] !== '_') digits += a[i];
    prev = a[i];
  }
  if (prev === '_' || digits === '') throw invalid();
  // CPython limits digit counts only for bases that are not powers of two, and checks
  // the limit before it looks at what follows the digits.
  if ((base & (base - 1)) !== 0 && digits.length > MAX_STR_DIGITS) {
    throw new PyValueError(
      `Exceeds the limit (${MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  while (i < a.length && C_SPACE.includes(a[i])) i++;
  if (i !== a.length) throw invalid();
  let value = 0n;
  const big = BigInt(base);
  for (const d of digits) value = value * big + BigInt(digitValue(d));
  const n = Number(value);
  return negative && n !== 0 ? -n : n;
}
