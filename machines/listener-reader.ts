// A listener's stdout cut into protocol tokens for listener.ts: supervisor 4.2.5's
// PEventListenerDispatcher.handle_listener_state_change() (dispatchers.py) without its
// state changes. Given the listener's state, next() returns the token the bytes held
// complete, or null when they complete none yet; feed() appends a read and hands each
// token to the machine, whose new state decides how the rest is read, as supervisor's
// recursion does. Its quirks are kept: a `RESULT 0\n` is only handled when more bytes
// arrive (the function returns at once on an empty buffer), and bytes after a complete
// result (`READY\n` in the same write) are read in the same call; a `READY\n` right after
// the result goes with it (RESULT's `ready`), so that the machine takes both steps in one
// transition. Where supervisor keeps any amount (a result line that never ends,
// `RESULT 99999999`) or loops (a negative length), the line is refused as a bad result
// line, so a listener's bytes are bounded.
import { ByteQueue } from './byte-queue.ts';
import type { BadLineReason, ListenerEvent, ListenerStateName, ResultVerdict } from './listener.ts';

/** Judges a result; `body` is valid only during the call (it is the reader's own buffer). */
export type ResultHandler = (body: Uint8Array) => ResultVerdict;

/** supervisor.dispatchers:default_handler: `OK` accepts, anything else rejects. */
export const defaultHandler: ResultHandler = (body) =>
  body.length === 2 && body[0] === 0x4f && body[1] === 0x4b ? 'processed' : 'rejected';

/**
 * supervisor keeps any amount a listener writes, so one that never ends its result line
 * would grow the daemon without bound. A line or a result longer than this is a protocol
 * violation here; 1 MiB is far above any real result (`RESULT 2\nOK`).
 */
export const MAX_PROTOCOL_BYTES = 1024 * 1024;

const READY_TOKEN = [0x52, 0x45, 0x41, 0x44, 0x59, 0x0a]; // READY\n
const RESULT_TOKEN_LEN = 'RESULT '.length;
/** Python's int() refuses decimal strings of more digits (sys.int_info.default_max_str_digits, 3.11+). */
const PY_MAX_STR_DIGITS = 4300;

/** Bytes as code points 0-255; in slices, as a spread of a whole line would overflow the stack. */
function latin1(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 4096) out += String.fromCharCode(...b.subarray(i, i + 4096));
  return out;
}

/** Python's int() of bytes: optional surrounding whitespace, sign, digits and single underscores between them. */
export function pyIntOfBytes(b: Uint8Array): number | null {
  // The usual `RESULT 2`: a few plain digits, read without the text and the pattern.
  if (b.length > 0 && b.length <= 9) {
    let n = 0;
    for (let i = 0; i < b.length && n >= 0; i++) n = b[i] >= 0x30 && b[i] <= 0x39 ? n * 10 + b[i] - 0x30 : -1;
    if (n >= 0) return n;
  }
  const m = /^[ \t\n\r\v\f]*([+-]?)(\d(?:_?\d)*)[ \t\n\r\v\f]*$/.exec(latin1(b));
  if (!m) return null;
  const digits = m[2].replaceAll('_', '');
  return digits.length > PY_MAX_STR_DIGITS ? null : Number(m[1] + digits);
}

export interface ReaderOptions {
  resultHandler?: ResultHandler;
  /** The longest result line, and the longest result, taken (default MAX_PROTOCOL_BYTES). */
  maxBytes?: number;
}

/** What feed() drives: the listener machine's actor, or anything that takes its events the same way. */
export interface ListenerTarget {
  send(event: ListenerEvent): void;
  getSnapshot(): { value: ListenerStateName };
}

export class ListenerReader {
  /** state_buffer: stdout bytes not read yet, and the bytes of a result not complete yet. */
  readonly buffer = new ByteQueue();
  /** resultlen: the length announced by `RESULT n`, null until a result line is read. */
  private resultLength: number | null = null;
  private readonly handler: ResultHandler;
  readonly maxBytes: number;

  constructor(o: ReaderOptions = {}) {
    this.handler = o.resultHandler ?? defaultHandler;
    this.maxBytes = o.maxBytes ?? MAX_PROTOCOL_BYTES;
  }

  /** A read of the listener's stdout: its tokens go to `target` one by one, each read in the state the last one left. */
  feed(target: ListenerTarget, data: Uint8Array): void {
    this.buffer.append(data);
    for (let e = this.next(target.getSnapshot().value); e; e = this.next(target.getSnapshot().value)) target.send(e);
  }

  /** The token the bytes held complete in `state`, consumed; null when there is none (yet). */
  next(state: ListenerStateName): ListenerEvent | null {
    const b = this.buffer;
    if (b.length === 0) return null;
    switch (state) {
      case 'UNKNOWN':
        b.clear();
        return null;
      case 'ACKNOWLEDGED':
        if (b.length < READY_TOKEN.length) return null;
        if (b.startsWith(READY_TOKEN)) {
          b.drop(READY_TOKEN.length);
          return { type: 'READY' };
        }
        b.clear();
        return { type: 'UNEXPECTED' };
      case 'READY':
        b.clear();
        return { type: 'UNEXPECTED' };
      case 'BUSY':
        return this.result();
    }
  }

  /**
   * BUSY: the result line (only what follows its first 7 bytes is read, as int(line[7:])),
   * then the result once all of it is in and a byte is left to read.
   */
  private result(): ListenerEvent | null {
    const b = this.buffer;
    let length = this.resultLength;
    if (length === null) {
      const at = b.lineEnd();
      if (at === -1 && b.length <= this.maxBytes) return null;
      if (at === -1 || at > this.maxBytes) return this.refuse(b.take(this.maxBytes), 'line too long');
      // Read in place: only a refused line is copied out (the usual one is `RESULT 2`).
      const n = pyIntOfBytes(b.view().subarray(RESULT_TOKEN_LEN, at));
      if (n === null || n < 0 || n > this.maxBytes) return this.refuse(b.take(at), n === null ? 'not an int' : n < 0 ? 'negative length' : 'result too long');
      b.drop(at + 1);
      this.resultLength = length = n;
      if (b.length === 0) return null;
    }
    if (b.length < length) return null;
    const verdict = this.handler(b.view().subarray(0, length));
    b.drop(length);
    this.resultLength = null;
    // What ACKNOWLEDGED would read next, when all of it is here (an `error` leaves BUSY for UNKNOWN instead).
    const ready = verdict !== 'error' && b.startsWith(READY_TOKEN);
    if (ready) b.drop(READY_TOKEN.length);
    return { type: 'RESULT', verdict, ready };
  }

  private refuse(line: Uint8Array, reason: BadLineReason): ListenerEvent {
    this.buffer.clear();
    this.resultLength = null;
    return { type: 'BAD_RESULT', line, reason, limit: this.maxBytes };
  }
}
