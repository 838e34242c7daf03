// supervisor's stripEscapes (dispatchers.py) with strip_ansi=true: from each `ESC [`
// drop everything up to and including the first byte in ANSI_TERMINATORS. It is not a
// full CSI parser: `ESC[?25l` ends at `l`, `ESC]0;title BEL` is kept, and an `ESC [` with
// no terminator drops the rest of the data. Matching those quirks matters more than
// being right, because users compare our log files with supervisord's.
//
// supervisor strips each 128 KiB read on its own, so a sequence cut by a read boundary
// leaks into its log. The streaming form carries the state across chunks instead.
import { Transform, type TransformCallback } from 'node:stream';

export const ANSI_ESCAPE_BEGIN = Buffer.from('\x1b[', 'latin1');
export const ANSI_TERMINATORS = 'HfABCDRsuJKhlpm';

const ESC = 0x1b;
const ESC_BUF = Buffer.from([ESC]);
const EMPTY = Buffer.alloc(0);
const TERMINATOR = new Uint8Array(256);
for (const c of ANSI_TERMINATORS) TERMINATOR[c.charCodeAt(0)] = 1;

const enum State {
  Text,
  /** The previous chunk ended with ESC: a `[` now would start a sequence. */
  AfterEsc,
  /** Inside `ESC [`…, dropping bytes until a terminator. */
  InSequence,
}

/** The stateful stripper: feed chunks with push(), then call end() once. */
export class AnsiStripper {
  private state = State.Text;

  push(chunk: Buffer): Buffer {
    // The common case, a chunk with no ESC at all, passes through without a copy.
    if (this.state === State.Text && chunk.indexOf(ESC) === -1) return chunk;
    const out: Buffer[] = [];
    const n = chunk.length;
    let i = 0;
    if (this.state === State.AfterEsc && n > 0) {
      if (chunk[0] === 0x5b) {
        this.state = State.InSequence;
        i = 1;
      } else {
        out.push(ESC_BUF);
        this.state = State.Text;
      }
    }
    while (i < n) {
      if (this.state === State.InSequence) {
        while (i < n && !TERMINATOR[chunk[i]]) i++;
        if (i === n) break;
        i++;
        this.state = State.Text;
        continue;
      }
      const begin = chunk.indexOf(ANSI_ESCAPE_BEGIN, i);
      if (begin === -1) {
        const held = chunk[n - 1] === ESC ? 1 : 0;
        out.push(chunk.subarray(i, n - held));
        if (held) this.state = State.AfterEsc;
        break;
      }
      out.push(chunk.subarray(i, begin));
      i = begin + 2;
      this.state = State.InSequence;
    }
    return out.length === 1 ? out[0] : out.length === 0 ? EMPTY : Buffer.concat(out);
  }

  /** End of data: a held ESC is released, an unterminated sequence stays dropped. */
  end(): Buffer {
    const held = this.state === State.AfterEsc;
    this.state = State.Text;
    return held ? ESC_BUF : EMPTY;
  }
}

/** stripEscapes on one complete piece of data, exactly as supervisor does it. */
export function stripAnsi(data: Buffer): Buffer;
export function stripAnsi(data: string): string;
export function stripAnsi(data: Buffer | string): Buffer | string {
  if (typeof data === 'string') return stripAnsiText(data);
  const s = new AnsiStripper();
  const head = s.push(data);
  const tail = s.end();
  return tail.length ? Buffer.concat([head, tail]) : head;
}

function stripAnsiText(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const begin = s.indexOf('\x1b[', i);
    if (begin === -1) return out + s.slice(i);
    out += s.slice(i, begin);
    i = begin + 2;
    while (i < s.length && !ANSI_TERMINATORS.includes(s[i])) i++;
    i++;
  }
  return out;
}

/** The streaming stripper as a Transform for the child-output pipeline. */
export class StripAnsiTransform extends Transform {
  private readonly stripper = new AnsiStripper();

  override _transform(chunk: Buffer, _encoding: BufferEncoding, cb: TransformCallback): void {
    const out = this.stripper.push(chunk);
    if (out.length) this.push(out);
    cb();
  }

  override _flush(cb: TransformCallback): void {
    const tail = this.stripper.end();
    if (tail.length) this.push(tail);
    cb();
  }
}
