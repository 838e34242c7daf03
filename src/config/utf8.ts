// Python reads config files as UTF-8 text and a bad byte is a UnicodeDecodeError, which
// supervisor reports like any ValueError. Node would substitute U+FFFD and go on, so we
// decode strictly and say what Python says.
import { ConfigValueError } from './errors.ts';

// Python iterates a file in 8 KiB chunks and counts positions within the chunk decoded.
const CHUNK = 8192;

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/** The range of bytes a sequence may take after its lead byte (RFC 3629 table 3-7). */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

function invalidAt(buf: Uint8Array): { start: number; end: number; reason: string } | null {
  for (let i = 0; i < buf.length; ) {
    const lead = buf[i];
    if (lead < 0x80) { i++; continue; }
    const need = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (!need) return { start: i, end: i, reason: 'invalid start byte' };
    for (let k = 1; k <= need; k++) {
      if (i + k >= buf.length) return { start: i, end: i + k - 1, reason: 'unexpected end of data' };
      const [lo, hi] = k === 1 ? secondByteRange(lead) : [0x80, 0xbf];
      if (buf[i + k] < lo || buf[i + k] > hi) return { start: i, end: i + k - 1, reason: 'invalid continuation byte' };
    }
    i += need + 1;
  }
  return null;
}

export function decodeUtf8(buf: Uint8Array): string {
  const bad = invalidAt(buf);
  if (!bad) return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
  // A sequence cut by the end of the file is decoded on its own, at position 0.
  const base = bad.reason === 'unexpected end of data' ? bad.start : bad.start - (bad.start % CHUNK);
  const [start, end] = [bad.start - base, bad.end - base];
  const where = start === end ? `byte ${hex(buf[bad.start])} in position ${start}` : `bytes in position ${start}-${end}`;
  throw new ConfigValueError(`'utf-8' codec can't decode ${where}: ${bad.reason}`);
}
