// HTTP Basic auth as supervisor's supervisor_auth_handler does it: scheme matched without
// case, the credentials base64-decoded the lenient way Python's binascii does (junk
// skipped; only bad padding fails, as a 400), and a stored password either plain or
// `{SHA}` + the hex sha1 of the real one.
import { createHash, timingSafeEqual } from 'node:crypto';
import { pyB64decode } from '../util/py-base64.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

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
