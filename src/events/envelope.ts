// The header line and payload written to a listener's stdin (EventListenerPool._eventEnvelope).
import type { BusEvent } from './event.ts';

/** len(payload) of a Python str: code points, not UTF-16 units and not bytes (reference §3.4). */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export function envelope(event: BusEvent, identifier: string, pool: string, poolSerial: number): string {
  return `ver:3.0 server:${identifier} serial:${event.serial} pool:${pool} poolserial:${poolSerial} eventname:${event.type} len:${codePoints(event.payload)}\n${event.payload}`;
}
