// Reading envelopes off a listener's stdin. supervisor writes `header line\npayload`, the
// payload `len` long where len is Python's len() of a str: Unicode code points, not bytes
// (reference/supervisor.md §3.4). A reader counting bytes would stop short on the first
// non-ASCII character and read the rest as the next header.
import { ProtocolError } from './payloads.ts';

/** Bytes a UTF-8 sequence takes, from its first byte; a stray byte counts as one character. */
function sequenceLength(lead: number): number {
  if (lead < 0xc0) return 1;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  if (lead < 0xf8) return 4;
  return 1;
}

const utf8 = new TextDecoder('utf-8');

export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly source: AsyncIterator<Buffer | string>) {}

  private async more(): Promise<boolean> {
    const r = await this.source.next();
    if (r.done) return false;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return true;
  }

  private take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** The next line without its newline, or null when the input ends between envelopes. */
  async line(): Promise<string | null> {
    let from = 0;
    for (;;) {
      const nl = this.buf.indexOf(10, from);
      if (nl >= 0) return utf8.decode(this.take(nl + 1).subarray(0, nl));
      from = this.buf.length;
      if (!(await this.more())) {
        if (this.buf.length === 0) return null;
        throw new ProtocolError(`input ended inside a header line: ${JSON.stringify(utf8.decode(this.buf))}`);
      }
    }
  }

  /** Exactly `count` characters (code points), however the bytes were split into chunks. */
  async chars(count: number): Promise<string> {
    let pos = 0;
    for (let seen = 0; seen < count; ) {
      const need = pos < this.buf.length ? sequenceLength(this.buf[pos]) : 1;
      if (pos + need > this.buf.length) {
        if (!(await this.more())) throw new ProtocolError(`input ended after ${seen} of ${count} payload characters`);
        continue;
      }
      pos += need;
      seen++;
    }
    return utf8.decode(this.take(pos));
  }

  /** Lets go of the input (a stdin left open would keep the process alive). */
  async close(): Promise<void> {
    await this.source.return?.();
  }
}
