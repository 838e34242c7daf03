// Capture mode (PROCESS_COMMUNICATION_*): POutputDispatcher.record_output ported byte for
// byte. Output between <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END--> goes to a
// bounded buffer instead of the log file; at END the buffer becomes one event. Its quirks
// are kept: a buffer no longer than the awaited token is held back until more data comes
// (and is lost if none does), a token's partial prefix at the end of a read waits for the
// next read, and each piece between tokens is "logged" separately (main-log copy and
// PROCESS_LOG per piece, as _log is called per piece).
import { Transform, type TransformCallback } from 'node:stream';
import { stripAnsi } from './ansi.ts';

export const BEGIN_TOKEN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
export const END_TOKEN = Buffer.from('<!--XSUPERVISOR:END-->');
const EMPTY: Buffer = Buffer.alloc(0);

/** find_prefix_at_end: the length of the longest proper prefix of `needle` that `haystack` ends with. */
export function findPrefixAtEnd(haystack: Buffer, needle: Buffer): number {
  let l = needle.length - 1;
  while (l && !(l <= haystack.length && haystack.subarray(haystack.length - l).equals(needle.subarray(0, l)))) l--;
  return l;
}

/** loggers.BoundIO: when a write would pass maxbytes, as many old bytes as are written are dropped. */
export class BoundBuffer {
  private buf: Buffer = EMPTY;

  constructor(private readonly maxBytes: number) {}

  write(b: Buffer): void {
    if (this.buf.length + b.length > this.maxBytes) this.buf = this.buf.subarray(b.length);
    this.buf = Buffer.concat([this.buf, b]);
  }

  take(): Buffer {
    const value = this.buf;
    this.buf = EMPTY;
    return value;
  }
}

export interface CaptureSink {
  /** One piece of output, in normal mode (`captured` false) or inside BEGIN…END. */
  log(data: Buffer, captured: boolean): void;
  /** END seen: the captured pieces make one event now. */
  ended(): void;
}

export class CaptureSplitter {
  private capturing = false;
  private buffer: Buffer = EMPTY;

  constructor(private readonly sink: CaptureSink) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const token = this.capturing ? END_TOKEN : BEGIN_TOKEN;
      if (this.buffer.length <= token.length) return;
      let data = this.buffer;
      this.buffer = EMPTY;
      const at = data.indexOf(token);
      if (at === -1) {
        const held = findPrefixAtEnd(data, token);
        if (held) {
          this.buffer = data.subarray(data.length - held);
          data = data.subarray(0, data.length - held);
        }
        this.log(data);
        return;
      }
      this.log(data.subarray(0, at));
      this.toggle();
      this.buffer = data.subarray(at + token.length);
      if (!this.buffer.length) return;
    }
  }

  private log(data: Buffer): void {
    if (data.length) this.sink.log(data, this.capturing);
  }

  private toggle(): void {
    this.capturing = !this.capturing;
    if (!this.capturing) this.sink.ended();
  }
}

export interface CaptureStageOptions {
  maxBytes: number;
  stripAnsi: boolean;
  /** Called with every logged piece (after stripping), captured or not. */
  taps: ReadonlyArray<(chunk: Buffer) => void>;
  communicate: (data: Buffer) => void;
}

/**
 * The pipeline stage for a channel with capture mode on: strips and taps each piece as
 * _log does (supervisor's stripEscapes works per piece) and passes on only the normal
 * pieces, to the log file.
 */
export class CaptureTransform extends Transform {
  private readonly splitter: CaptureSplitter;
  private readonly captured: BoundBuffer;
  private out: Buffer[] = [];

  constructor(o: CaptureStageOptions) {
    super();
    this.captured = new BoundBuffer(o.maxBytes);
    this.splitter = new CaptureSplitter({
      log: (raw, captured) => {
        const data = o.stripAnsi ? stripAnsi(raw) : raw;
        if (!data.length) return;
        for (const tap of o.taps) tap(data);
        if (captured) this.captured.write(data);
        else this.out.push(data);
      },
      ended: () => o.communicate(this.captured.take()),
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, cb: TransformCallback): void {
    this.out = [];
    try {
      this.splitter.push(chunk);
    } catch (e) {
      return cb(e instanceof Error ? e : new Error(String(e)));
    }
    cb(null, this.out.length === 0 ? undefined : this.out.length === 1 ? this.out[0] : Buffer.concat(this.out));
  }
}
