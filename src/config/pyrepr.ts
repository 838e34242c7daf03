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

function quoted(s: string, asciiOnly: boolean): string {
  // Double quotes only when that avoids escaping: the string has ' but no ".
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += escapeCodePoint(cp);
    else if (cp < 0x7f) out += ch;
    else if (asciiOnly || NON_PRINTABLE.test(ch)) out += escapeCodePoint(cp);
    else out += ch;
  }
  return out + quote;
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
