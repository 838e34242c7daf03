// The main-log copy of child output at loglevel=debug, text as supervisor 4.2.5 makes it.
// Two dispatchers, two shapes: POutputDispatcher._log decodes strictly as UTF-8 (after
// strip_ansi) and falls back to 'Undecodable: %r'; the event listener's stdout dispatcher
// formats the raw bytes with %s, i.e. Python's bytes repr b'...'.
import { pyRepr } from '../config/pyrepr.ts';

/** repr(bytes) in Python 3. */
export function pyBytesRepr(data: Uint8Array): string {
  const hasSingle = data.includes(0x27);
  const quote = hasSingle && !data.includes(0x22) ? 0x22 : 0x27;
  let out = 'b' + String.fromCharCode(quote);
  for (const b of data) {
    if (b === quote || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += String.fromCharCode(b);
  }
  return out + String.fromCharCode(quote);
}

// Python's utf-8 codec rejects what fatal TextDecoder rejects: bad bytes, surrogates, a
// character cut at the end of a read.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** as_string(data), or supervisor's fallback `'Undecodable: %r' % data`. */
export function decodeOrRepr(data: Uint8Array): string {
  try {
    return strictUtf8.decode(data);
  } catch {
    return `Undecodable: ${pyBytesRepr(data)}`;
  }
}

/** `'%(name)r %(channel)s output:\n%(data)s'` for a program's stdout/stderr chunk. */
export const formatOutputCopy = (name: string, channel: string, data: Uint8Array): string =>
  `${pyRepr(name)} ${channel} output:\n${decodeOrRepr(data)}`;

/** `'%r %s output:\n%s' % (procname, channel, data)` of an event listener's stdout chunk. */
export const formatListenerOutputCopy = (name: string, channel: string, data: Uint8Array): string =>
  `${pyRepr(name)} ${channel} output:\n${pyBytesRepr(data)}`;
