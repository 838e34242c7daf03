// A log file as a Node Writable that rotates exactly like supervisor's RotatingFileHandler
// (rotation.ts holds the renames), for the child-output hot path and for the main log.
//
// A child's log is written inline (the *Sync calls, as supervisor's single thread does) while
// the disk keeps up: a page-cache write of a pipe's worth takes microseconds, and a trip to
// libuv's pool per chunk costs two thread wake-ups, which caps capture at a few hundred MB/s
// on a small machine. Once an inline write stalls (a slow or hung disk), the file's writes go
// to the pool for a while, so the event loop is blocked at most once per POOL_MS.
//
// Size is tracked from what we wrote, not stat'ed per write: fstat runs once per open.
// Writes never fail the stream: an EIO or ENOSPC drops that data, is reported once per
// episode through onFault, and the next write tries again, so a full disk neither floods
// the main log nor kills the pipeline. A stream error would make pipeline() tear down
// the child's pipe, which supervisor never does over a log problem.
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { call, closeOp, errnoCode, runAsync, runSync, unlinkOp, writeAll, type Proc } from './fs-ops.ts';
import { APPEND_FLAGS, openLogFile, rollover, type OpenedFile } from './rotation.ts';
import { monoMs } from '../util/clock.ts';

export type LogFileOp = 'open' | 'write' | 'rotate' | 'close';

export interface LogFileFault {
  op: LogFileOp;
  path: string;
  error: NodeJS.ErrnoException;
}

export interface RotatingFileOptions {
  path: string;
  /** Rotate when the size reaches this after a write; 0 never rotates. */
  maxBytes: number;
  /** Backups kept as path.1 … path.N; 0 truncates on rotation. */
  backups: number;
  /**
   * Write inline with the *Sync calls. The main log uses this so that a line is on disk
   * before log() returns, as with supervisor, and nothing queued is lost on exit.
   */
  sync?: boolean;
  /**
   * Write inline while writes are quick and nothing is queued on the pool; after a write that
   * took SLOW_WRITE_MS, use the pool for POOL_MS. Open, reopen and close still use the pool.
   */
  inline?: boolean;
  /** Bytes queued before write() asks the producer to wait. */
  highWaterMark?: number;
  /**
   * Async mode: hold each write this long, so that what comes meanwhile is written with it
   * in one call. For a channel of many tiny reads (an event listener's replies), where a
   * write per read costs more than the rest of the read's work.
   */
  coalesceMs?: number;
  /** A write, rotation or reopen-on-write failed. Default: one line on stderr. */
  onFault?: (fault: LogFileFault) => void;
}

const DEFAULT_HIGH_WATER_MARK = 256 * 1024;
/** An inline write this slow (ms) means the disk is not keeping up… */
const SLOW_WRITE_MS = 20;
/** …and the file's writes go to the pool for this long (ms). */
const POOL_MS = 10_000;

function reportOnStderr(f: LogFileFault): void {
  process.stderr.write(`statevisord: log file ${f.path}: ${f.op} failed: ${f.error.message}\n`);
}

export class RotatingFile extends Writable {
  readonly path: string;
  readonly maxBytes: number;
  readonly backups: number;
  readonly sync: boolean;
  private readonly inline: boolean;
  /** inline: monoMs() until which writes go to the pool after a slow one. */
  private poolUntil = 0;
  /** Operations queued on the pool and not yet settled: an inline write must not overtake them. */
  private queued = 0;
  private file: OpenedFile | null;
  /** Flags for reopen: append, unless the first open had to fall back to write. */
  private readonly flags: number;
  private readonly onFault: (fault: LogFileFault) => void;
  private readonly coalesceMs: number;
  /** Async mode: every fd operation chains here, so reopen never races a write. */
  private tail: Promise<void> = Promise.resolve();
  /** The error code last reported per operation: one report per episode, not per write. */
  private readonly faulted = new Map<LogFileOp, string>();
  private shut = false;
  /** What size reports once closed: the file is still there for tail and read. */
  private finalSize = 0;

  /** Open (creating) the file now; throws as supervisor's spawn would (spawnerr). */
  static openSync(options: RotatingFileOptions): RotatingFile {
    return new RotatingFile(options, runSync(openLogFile(options.path)));
  }

  static async open(options: RotatingFileOptions): Promise<RotatingFile> {
    return new RotatingFile(options, await runAsync(openLogFile(options.path)));
  }

  /**
   * A file that touchSync() found regular and closed again: its first write opens it (in
   * append mode), and a failure then is reported as a reopen's would be.
   */
  static unopened(options: RotatingFileOptions): RotatingFile {
    return new RotatingFile(options, null);
  }

  /**
   * Open (creating) the path now, as supervisor's spawn does (throws: spawnerr). A regular
   * file is closed again and null returned, to be opened on its first write (unopened());
   * a pipe or device stays open, as a RotatingFile: closing it could end its reader's input.
   */
  static touchSync(options: RotatingFileOptions): RotatingFile | null {
    const file = runSync(openLogFile(options.path));
    if (!file.regular || file.flags !== APPEND_FLAGS) return new RotatingFile(options, file);
    runSync(call(closeOp(file.fd)));
    return null;
  }

  private constructor(options: RotatingFileOptions, file: OpenedFile | null) {
    super({ highWaterMark: options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK, decodeStrings: true });
    this.path = options.path;
    this.maxBytes = options.maxBytes;
    this.backups = options.backups;
    this.sync = options.sync ?? false;
    this.inline = options.inline ?? false;
    this.onFault = options.onFault ?? reportOnStderr;
    this.coalesceMs = options.coalesceMs ?? 0;
    this.file = file;
    this.flags = file?.flags ?? APPEND_FLAGS;
  }

  /** Bytes in the current file as far as our completed writes know (for tail offsets). */
  get size(): number {
    return this.file?.size ?? this.finalSize;
  }

  /**
   * SIGUSR2: close and open the same path again, e.g. after logrotate moved it away.
   * Rejects when the path cannot be opened; writes then keep retrying the open themselves.
   */
  reopen(): Promise<void> {
    return this.exec(() => this.reopenProc(false));
  }

  /** clearProcessLogs: delete the file and start a fresh one (handler.remove + reopen). */
  remove(): Promise<void> {
    return this.exec(() => this.reopenProc(true));
  }

  /** Flush what is queued, close the fd, resolve when the stream has closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.once('close', () => resolve());
      this.end();
    });
  }

  // No _write: Writable hands a single chunk to _writev when _write is not overridden.
  override _writev(chunks: Array<{ chunk: Buffer }>, cb: (error?: Error | null) => void): void {
    this.writeBuffers(chunks.map((c) => c.chunk), cb);
  }

  override _final(cb: (error?: Error | null) => void): void {
    const done = (): void => cb();
    this.exec(() => this.closeProc()).then(done, done);
  }

  override _destroy(error: Error | null, cb: (error?: Error | null) => void): void {
    const done = (): void => cb(error);
    this.exec(() => this.closeProc()).then(done, done);
  }

  /**
   * The hot path's write, outside the stream's queue (child-output.ts's direct path, the main
   * log's lines): inline when nothing is queued ahead, else a copy goes through write(), since
   * `chunk` is the reader's scratch buffer. false: wait for 'drain', as with write().
   */
  writeNow(chunk: Buffer): boolean {
    if (this.writableLength === 0 && this.mayInline()) {
      this.inlineWrite([chunk]);
      return true;
    }
    return this.write(Buffer.from(chunk));
  }

  /**
   * A main-log line (sync mode): one write(2) of the text, without a Buffer or the write
   * procedure, while the file is open, nothing is queued, no fault is pending and the line
   * stays short of the rotation point (so no rotation can follow it); writeNow otherwise.
   * A stop of 1,000 programs logs 2,000 lines (bench/README.md, stop-all).
   */
  writeText(text: string): void {
    const file = this.file;
    if (file && this.sync && this.writableLength === 0 && this.faulted.size === 0) {
      const bytes = Buffer.byteLength(text);
      if (!this.rotates(file) || file.size + bytes < this.maxBytes) {
        let n = 0;
        try {
          n = writeSync(file.fd, text);
        } catch {
          // nothing was written: writeNow retries it and reports what fails
        }
        file.size += n;
        if (n === bytes) return;
        this.writeNow(Buffer.from(text).subarray(n));
        return;
      }
    }
    this.writeNow(Buffer.from(text));
  }

  private mayInline(): boolean {
    return this.sync || (this.inline && this.queued === 0 && monoMs() >= this.poolUntil);
  }

  private inlineWrite(bufs: Buffer[]): void {
    const t0 = monoMs();
    runSync(this.writeProc(bufs));
    const t1 = monoMs();
    if (t1 - t0 >= SLOW_WRITE_MS) this.poolUntil = t1 + POOL_MS;
  }

  private writeBuffers(bufs: Buffer[], cb: (error?: Error | null) => void): void {
    if (this.sync) {
      runSync(this.writeProc(bufs));
      cb();
    } else if (this.mayInline()) {
      this.inlineWrite(bufs);
      cb();
    } else {
      // writeProc reports its own failures and never throws. Writable holds what comes
      // while this write is pending and hands it to the next _writev at once.
      const done = (): void => cb();
      const write = (): void => void this.exec(() => this.writeProc(bufs)).then(done, done);
      if (this.coalesceMs > 0) setTimeout(write, this.coalesceMs);
      else write();
    }
  }

  private exec<T>(make: () => Proc<T>): Promise<T> {
    if (this.sync) {
      try {
        return Promise.resolve(runSync(make()));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    this.queued++;
    const done = this.tail.then(() => runAsync(make()));
    const settle = (): void => void this.queued--;
    this.tail = done.then(settle, settle);
    return done;
  }

  private rotates(file: OpenedFile): boolean {
    // A pipe or device has no size to measure and must not be renamed (as root, rotating
    // /dev/null would move the device node); supervisor crashes the channel there instead.
    return this.maxBytes > 0 && file.regular;
  }

  private *writeProc(bufs: Buffer[]): Proc<void> {
    let rest = bufs;
    while (rest.length > 0) {
      const file = yield* this.ensureOpen();
      if (!file) return; // dropped: the open failure was reported
      // supervisor checks the size after every chunk; write as many chunks at once as
      // can go in before that check could fire, so rotation points stay the same.
      let take = 0;
      let projected = file.size;
      while (take < rest.length) {
        projected += rest[take++].length;
        if (this.rotates(file) && projected >= this.maxBytes) break;
      }
      const group = rest.slice(0, take);
      rest = rest.slice(take);
      try {
        yield* writeAll(file.fd, group, (n) => (file.size += n));
      } catch (e) {
        this.fault('write', e);
        return;
      }
      this.faulted.delete('write');
      this.faulted.delete('open');
      if (this.rotates(file) && file.size >= this.maxBytes) {
        try {
          yield* this.rotateProc(file);
          this.faulted.delete('rotate');
        } catch (e) {
          this.fault('rotate', e); // file is null now; the next group reopens in append mode
        }
      }
    }
  }

  private *ensureOpen(): Proc<OpenedFile | null> {
    if (this.file || this.shut) return this.file;
    try {
      this.file = yield* openLogFile(this.path, this.flags);
    } catch (e) {
      this.fault('open', e);
    }
    return this.file;
  }

  private *rotateProc(file: OpenedFile): Proc<void> {
    this.file = null;
    yield* this.closeQuietly(file);
    this.file = yield* rollover(this.path, this.backups);
  }

  private *reopenProc(unlink: boolean): Proc<void> {
    if (this.shut) return;
    const old = this.file;
    this.file = null;
    if (old) yield* this.closeQuietly(old);
    let unlinkError: unknown = null;
    if (unlink) {
      try {
        yield* call(unlinkOp(this.path));
      } catch (e) {
        if (errnoCode(e) !== 'ENOENT') unlinkError = e;
      }
    }
    // Reopen even when unlink failed, so output keeps flowing; then tell the caller.
    this.file = yield* openLogFile(this.path, this.flags);
    this.faulted.delete('open');
    if (unlinkError) throw unlinkError;
  }

  private *closeProc(): Proc<void> {
    this.shut = true;
    const old = this.file;
    this.file = null;
    if (old) {
      this.finalSize = old.size;
      yield* this.closeQuietly(old);
    }
  }

  private *closeQuietly(file: OpenedFile): Proc<void> {
    try {
      yield* call(closeOp(file.fd));
    } catch (e) {
      this.fault('close', e);
    }
  }

  private fault(op: LogFileOp, e: unknown): void {
    const error: NodeJS.ErrnoException = e instanceof Error ? e : new Error(String(e));
    const key = error.code ?? error.message;
    if (this.faulted.get(op) === key) return;
    this.faulted.set(op, key);
    this.onFault({ op, path: this.path, error });
  }
}
