// CPython 3.11's repr() and ascii() of a str, which supervisor puts in its messages.
// Python counts and escapes code points, so strings are walked with for..of, which also
// yields lone surrogates one at a time (Python escapes those as \udXXX).

// str.isprintable() is false for these categories, except for the ASCII space. Python
// 3.11 uses Unicode 14; Node's newer tables know code points Python still calls
// unassigned (Cn), so characters added since Unicode 14 print here but are escaped there.
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

const hex = (cp: number, width: number): string => cp.toString(16).padStart(width, '0');

function escapeCodePoint(cp: number): string {
  if (cp <= 0xff) return `\\x${hex(cp, 2)}`;
  if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** What may need escaping: the quotes, backslash, controls, DEL, anything not ASCII (a code point or a lone surrogate). */
const SPECIAL = /['"\\\x00-\x1f\x7f-\u{10ffff}]/gu;

function quoted(s: string, asciiOnly: boolean): string {
  // Double quotes only when that avoids escaping: the string has ' but no ".
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  // One replace over the whole string: plain runs are copied as they are (a request body
  // of 16 MB is quoted in the log, and appending it code point by code point costs a
  // rope node per character, hundreds of MB).
  const body = s.replace(SPECIAL, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') return `\\${ch}`;
    if (ch === '\t') return '\\t';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (cp < 0x20 || cp === 0x7f) return escapeCodePoint(cp);
    if (cp < 0x7f) return ch;
    return asciiOnly || NON_PRINTABLE.test(ch) ? escapeCodePoint(cp) : ch;
  });
  return quote + body + quote;
}

/** Python's `repr(s)` for a str. */
export function pyRepr(s: string): string {
  return quoted(s, false);
}

/** Python's `ascii(s)` for a str: repr() with every non-ASCII code point escaped. */
export function pyAscii(s: string): string {
  return quoted(s, true);
}

/** Python's `repr()` of a list of str, e.g. `['a', 'b']`. */
export function pyReprList(xs: readonly string[]): string {
  return `[${xs.map(pyRepr).join(', ')}]`;
}
