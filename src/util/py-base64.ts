// Base64 decoded the lenient way Python's binascii does (junk skipped; only bad padding
// fails): HTTP Basic credentials (http/auth.ts) and XML-RPC <base64> values (rpc/loads.ts).
// Its own file so that the XML-RPC decoder does not bring node:crypto into a daemon
// that serves no HTTP.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** binascii.a2b_base64 in its default, non-strict mode; null where Python raises. */
export function pyB64decode(s: string): Buffer | null {
  const out: number[] = [];
  let quad = 0;
  let pads = 0;
  let acc = 0;
  let bits = 0;
  for (const c of s) {
    if (c === '=') {
      // a pad only ends the data once the quad it closes is complete
      if (quad >= 2 && quad + ++pads >= 4) return Buffer.from(out);
      continue;
    }
    const v = ALPHABET.indexOf(c);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    quad = (quad + 1) % 4;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
      acc &= (1 << bits) - 1;
    }
  }
  return quad === 0 ? Buffer.from(out) : null;
}
