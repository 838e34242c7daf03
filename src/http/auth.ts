// HTTP Basic auth as supervisor's supervisor_auth_handler does it: scheme matched without
// case, the credentials base64-decoded the lenient way Python's binascii does (junk
// skipped; only bad padding fails, as a 400), and a stored password either plain or
// `{SHA}` + the hex sha1 of the real one.
import { createHash, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

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

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

/** encrypted_dictionary_authorizer.authorize for one user. */
export function passwordMatches(stored: string, given: string): boolean {
  if (stored.startsWith('{SHA}')) return same(stored.slice(5), createHash('sha1').update(given, 'utf8').digest('hex'));
  return same(stored, given);
}

/**
 * ok; unauthorized (401: no header, another scheme, wrong user or password); malformed
 * (400: undecodable credentials); no-colon (supervisor's authorizer fails to unpack a
 * credential without ':' and medusa answers 500).
 */
export type AuthOutcome = 'ok' | 'unauthorized' | 'malformed' | 'no-colon';

export function checkBasicAuth(header: string | undefined, username: string, password: string): AuthOutcome {
  // medusa's `Authorization: ([^ ]+) (.*)`: a scheme, one space, the rest
  const m = header === undefined ? null : /^([^ ]+) (.*)$/s.exec(header);
  if (!m || m[1]!.toLowerCase() !== 'basic') return 'unauthorized';
  const raw = pyB64decode(m[2]!);
  if (!raw) return 'malformed';
  let decoded: string;
  try {
    decoded = strictUtf8.decode(raw);
  } catch {
    return 'malformed';
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'no-colon';
  return decoded.slice(0, colon) === username && passwordMatches(password, decoded.slice(colon + 1)) ? 'ok' : 'unauthorized';
}
