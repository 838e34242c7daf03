// log_format = timestamped | json (src/config/ext-log-format.ts): a stage just before a
// channel's log file that turns the output into one record per line. raw has no stage.
//
// - timestamped: `2026-12-07T12:21:54.123Z <the line's bytes>\n`, the bytes as the child
//   wrote them (after strip_ansi), so invalid UTF-8 stays as it was.
// - json: `{"time":…,"name":"group:name","stream":"stdout","message":…}\n`. The message is
//   the line decoded as UTF-8, each invalid sequence replaced by U+FFFD, as Docker's
//   json-file log driver does; a record that does not end a line adds `"partial":true`.
//
// The time is when the line's first byte was read. A line is held until its newline so
// that programs sharing one file (/dev/stdout in a container) do not interleave halves;
// a partial line is written once it has waited PARTIAL_AFTER_MS, and at EOF. A line is
// never held past MAX_LINE bytes: longer ones are written in pieces of at most that size
// (Docker splits at 16 KiB too), cut where a UTF-8 character starts. Each push is whole
// records, so a rotation never splits one.
import { Transform, type TransformCallback } from 'node:stream';
import type { ChildLogFormat } from '../config/ext-log-format.ts';
import { JsonRecords, NEWLINE, TimestampedRecords, type RecordWriter } from './line-records.ts';

export const PARTIAL_AFTER_MS = 1000;
export const MAX_LINE = 16 * 1024;

/** Runs `fn` after `ms`; returns its cancel. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface LineFormatOptions {
  format: Exclude<ChildLogFormat, 'raw'>;
  /** `group:name`. */
  name: string;
  stream: 'stdout' | 'stderr';
  now?: () => number;
  schedule?: Schedule;
  partialAfterMs?: number;
  maxLine?: number;
}

const realTimer: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** A place at or before `at` where a UTF-8 character starts (`at` itself for bytes that are not UTF-8). */
export function utf8Boundary(buf: Buffer, at: number): number {
  let i = at;
  while (i > 0 && i > at - 3 && (buf[i] & 0xc0) === 0x80) i--;
  return (buf[i] & 0xc0) !== 0x80 ? i : at;
}

/** How many bytes at the end of `buf` begin a character that is not complete yet (0-3). */
export function incompleteTail(buf: Buffer): number {
  const start = utf8Boundary(buf, buf.length - 1);
  const lead = buf[start];
  const need = lead >= 0xf8 || lead < 0xc0 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  const have = buf.length - start;
  return have < need && start >= buf.length - 3 ? have : 0;
}

export class LineFormatTransform extends Transform {
  private readonly now: () => number;
  private readonly schedule: Schedule;
  private readonly partialAfterMs: number;
  private readonly maxLine: number;
  /** Collects the records of one push. */
  private readonly out: RecordWriter;
  /** The line read so far without its newline, and when it began. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingSince = 0;
  private cancelTimer: (() => void) | null = null;
  private lastMs = NaN;
  private lastIso = '';

  constructor(o: LineFormatOptions) {
    super();
    this.now = o.now ?? Date.now;
    this.schedule = o.schedule ?? realTimer;
    this.partialAfterMs = o.partialAfterMs ?? PARTIAL_AFTER_MS;
    this.maxLine = o.maxLine ?? MAX_LINE;
    this.out = o.format === 'json' ? new JsonRecords(o.name, o.stream) : new TimestampedRecords();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, cb: TransformCallback): void {
    const at = this.now();
    let pos = 0;
    const first = chunk.indexOf(NEWLINE);
    if (first !== -1 && this.pendingBytes > 0) {
      const line = Buffer.concat([...this.pending, chunk.subarray(0, first)]);
      this.pending = [];
      this.pendingBytes = 0;
      this.records(this.pendingSince, line, 0, line.length, true);
      pos = first + 1;
    }
    const last = first === -1 ? -1 : chunk.lastIndexOf(NEWLINE);
    if (last >= pos) {
      this.lines(at, chunk, pos, last);
      pos = last + 1;
    }
    if (pos < chunk.length) this.hold(chunk.subarray(pos), at);
    cb(null, this.out.take());
  }

  override _flush(cb: TransformCallback): void {
    this.stopTimer();
    this.release(0);
    cb(null, this.out.take());
  }

  override _destroy(error: Error | null, cb: (error?: Error | null) => void): void {
    this.stopTimer();
    cb(error);
  }

  /** A line's start without its end: keep it, but never more than maxLine bytes of it. */
  private hold(rest: Buffer, at: number): void {
    if (this.pendingBytes === 0) this.pendingSince = at;
    // A copy, so that a short tail does not keep the whole chunk alive.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
    if (this.pendingBytes >= this.maxLine) {
      const all = this.joined();
      const cut = this.maxLine * Math.floor(all.length / this.maxLine);
      this.release(cut === all.length ? 0 : all.length - utf8Boundary(all, cut));
      this.pendingSince = at;
    }
    if (this.pendingBytes > 0 && this.cancelTimer === null) this.cancelTimer = this.schedule(() => this.onTimer(), this.partialAfterMs);
  }

  /** One timer at a time, re-armed for the line that is pending now. */
  private onTimer(): void {
    this.cancelTimer = null;
    if (this.pendingBytes === 0 || this.destroyed || this.writableFinished) return;
    const waited = this.now() - this.pendingSince;
    if (waited < this.partialAfterMs) {
      this.cancelTimer = this.schedule(() => this.onTimer(), this.partialAfterMs - waited);
      return;
    }
    // A character the child is still writing stays for the next record (the next read re-arms).
    this.release(incompleteTail(this.joined()));
    const records = this.out.take();
    if (records) this.push(records);
  }

  /** Write the pending line as partial records, all but its last `keep` bytes. */
  private release(keep: number): void {
    if (this.pendingBytes === keep) return;
    const all = this.joined();
    this.records(this.pendingSince, all, 0, all.length - keep, false);
    this.pending = keep > 0 ? [all.subarray(all.length - keep)] : [];
    this.pendingBytes = keep;
  }

  /** The pending bytes as one Buffer. */
  private joined(): Buffer {
    if (this.pending.length !== 1) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0];
  }

  /** The whole lines in buf[start, end), separated by newlines, read by offsets (no Buffer per line). */
  private lines(ms: number, buf: Buffer, start: number, end: number): void {
    if (this.out.addLines?.(this.iso(ms), buf, start, end, this.maxLine)) return;
    for (let s = start; ; s++) {
      const nl = buf.indexOf(NEWLINE, s);
      const e = nl === -1 || nl > end ? end : nl;
      this.records(ms, buf, s, e, true);
      if (e === end) return;
      s = e;
    }
  }

  /** buf[start, end) as records of at most maxLine bytes; only the last one may end the line. */
  private records(ms: number, buf: Buffer, start: number, end: number, ends: boolean): void {
    const time = this.iso(ms);
    while (end - start > this.maxLine) {
      const cut = utf8Boundary(buf, start + this.maxLine);
      const stop = cut > start ? cut : start + this.maxLine;
      this.out.add(time, buf, start, stop, false);
      start = stop;
    }
    this.out.add(time, buf, start, end, ends);
  }

  private iso(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}

/** The stage for a process's channel, or null for raw (no stage at all). */
export function lineFormat(format: ChildLogFormat, group: string, name: string, stream: 'stdout' | 'stderr'): LineFormatOptions | null {
  return format === 'raw' ? null : { format, name: `${group}:${name}`, stream };
}
