// One channel (stdout or stderr) of one child: its pipe → [strip ANSI] → [taps] → the
// channel's RotatingFile, or a sink that discards for NONE. This is the hot path, so it
// is plain Node streams joined by pipe() (chain.ts): a slow disk slows the child through its
// pipe instead of growing memory, and a stage that nobody asked for is not there at all.
//
// Taps are the rare consumers of the bytes — PROCESS_LOG events, the main-log copy at
// loglevel=debug, *_syslog — called synchronously with each chunk, after stripping, as
// POutputDispatcher._log passes the same `data` to all of them. With capture mode
// (PROCESS_COMMUNICATION) one stage splits, strips and taps as record_output does
// (capture.ts). Raw taps see the bytes as read: an event listener's stdout is its
// protocol channel, parsed and copied to the main log before any stripping.
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { StripAnsiTransform } from './ansi.ts';
import type { Channel } from './autoname.ts';
import { CaptureTransform } from './capture.ts';
import { chain } from './chain.ts';
import { LevelsByName } from './levels.ts';
import type { MainLog } from './main-log.ts';
import { LineFormatTransform, type LineFormatOptions } from './line-format.ts';
import { formatOutputCopy } from './output-copy.ts';
import { RotatingFile, type LogFileFault } from './rotating-file.ts';
import { syslogLines, type SyslogTarget } from './syslog.ts';

export type OutputChannel = Channel;

/** Sees every chunk (after strip_ansi). Must not keep the Buffer past the call without copying it. */
export type OutputTap = (chunk: Buffer) => void;

export interface ChildOutputOptions {
  channel: OutputChannel;
  /** The channel's log path (AUTO already resolved by autoname.ts), or null for NONE. */
  logfile: string | null;
  maxBytes: number;
  backups: number;
  stripAnsi: boolean;
  /** Extra consumers; leave empty and the pipeline is just pipe → file. */
  taps?: ReadonlyArray<OutputTap | null>;
  /** Consumers of the bytes as read, before stripping (an event listener's stdout). */
  rawTaps?: ReadonlyArray<OutputTap>;
  /** *_capture_maxbytes > 0: capture mode, `communicate` gets each BEGIN…END's bytes. */
  capture?: { maxBytes: number; communicate: (data: Buffer) => void };
  /** log_format timestamped or json: records go to the file, the taps still see the bytes. */
  lineFormat?: LineFormatOptions | null;
  highWaterMark?: number;
  /** See RotatingFileOptions.coalesceMs. */
  coalesceMs?: number;
  onFault?: (fault: LogFileFault) => void;
  /** The pipe itself failed (not a log-file problem). Default: one line on stderr. */
  onError?: (error: Error) => void;
}

/** A PipeReader (runtime/pipe-reader.ts): reads handed over in place, or as a stream. */
export interface DirectSource {
  sinkTo(sink: { write(chunk: Buffer): boolean; end(): void; error(e: Error): void }): void;
  readMore(): void;
  stream(): Readable;
}

const isDirect = (s: Readable | DirectSource): s is DirectSource => typeof (s as Partial<DirectSource>).sinkTo === 'function';

/** Discards what NONE receives, but still reads it: a child must never block on a full pipe. */
const discard = (): Writable =>
  new Writable({
    highWaterMark: 1 << 20,
    write: (_chunk: Buffer, _encoding: BufferEncoding, cb: (error?: Error | null) => void) => cb(),
  });

/** Hands a chunk to each tap; a broken consumer must not cost the log its bytes (told once). */
class Taps {
  private failed = false;

  constructor(readonly list: ReadonlyArray<OutputTap>) {}

  call(chunk: Buffer): void {
    for (const tap of this.list) {
      try {
        tap(chunk);
      } catch (e) {
        if (!this.failed) process.stderr.write(`statevisord: output tap failed: ${String(e)}\n`);
        this.failed = true;
      }
    }
  }
}

class TapTransform extends Transform {
  private readonly taps: Taps;

  constructor(taps: ReadonlyArray<OutputTap>) {
    super();
    this.taps = new Taps(taps);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, cb: TransformCallback): void {
    this.taps.call(chunk);
    cb(null, chunk);
  }
}

// A coalescing channel (a listener's stdout) keeps its writes on the pool, held and joined.
const fileOptions = (o: ChildOutputOptions, path: string) => ({ path, maxBytes: o.maxBytes, backups: o.backups, inline: !o.coalesceMs, highWaterMark: o.highWaterMark, coalesceMs: o.coalesceMs, onFault: o.onFault });

export class ChildOutput {
  private attached = false;

  private constructor(
    private readonly options: ChildOutputOptions,
    /** The channel's open log file; null for NONE, and for a regular file not written yet. */
    private opened: RotatingFile | null,
  ) {}

  /** Open the log file now, before the fork, as make_dispatchers does: a failure is a spawnerr. */
  static async open(options: ChildOutputOptions): Promise<ChildOutput> {
    return new ChildOutput(options, options.logfile === null ? null : await RotatingFile.open(fileOptions(options, options.logfile)));
  }

  /**
   * open(), synchronously: the process machine wants its spawn report at once. A regular
   * file is closed again until output comes (see file): most programs write nothing for
   * long stretches, and an open RotatingFile and its fd are kept per channel per child.
   */
  static openSync(options: ChildOutputOptions): ChildOutput {
    return new ChildOutput(options, options.logfile === null ? null : RotatingFile.touchSync(fileOptions(options, options.logfile)));
  }

  /**
   * Whether attach() takes a DirectSource's reads in place (PipeReader.sinkTo): taps alone
   * need no stream stage (a listener's stdout, its protocol channel, is read this way, one
   * event per read); capture mode, stripping and a line format do.
   */
  static readsDirect(o: Pick<ChildOutputOptions, 'capture' | 'stripAnsi' | 'logfile' | 'lineFormat'>): boolean {
    return !o.capture && !o.stripAnsi && !(o.logfile !== null && o.lineFormat);
  }

  /** The channel's log file (for tail offsets and clearLog), opened on demand; null for NONE. */
  get file(): RotatingFile | null {
    const path = this.options.logfile;
    if (this.opened === null && path !== null) this.opened = RotatingFile.unopened(fileOptions(this.options, path));
    return this.opened;
  }

  /**
   * Read the child's pipe until EOF. Resolves once every byte is in the file and the
   * file is closed; never rejects (pipe errors go to onError). Not an async function: a
   * suspended one is kept per channel per child for the child's life (bench --heap).
   */
  attach(source: Readable | DirectSource): Promise<void> {
    if (this.attached) return Promise.reject(new Error(`${this.options.channel} is already attached`));
    this.attached = true;
    const raw = this.options.rawTaps ?? [];
    const taps = (this.options.taps ?? []).filter((t): t is OutputTap => t !== null);
    const capture = this.options.capture;
    const formatted = this.options.logfile !== null && this.options.lineFormat;
    const plain = ChildOutput.readsDirect(this.options);
    let done: Promise<void>;
    if (plain && isDirect(source)) done = this.direct(source, new Taps([...raw, ...taps]));
    else {
      const stages: Array<Readable | Transform | Writable> = [isDirect(source) ? source.stream() : source];
      if (raw.length > 0) stages.push(new TapTransform(raw));
      if (capture) stages.push(new CaptureTransform({ ...capture, stripAnsi: this.options.stripAnsi, taps }));
      else {
        if (this.options.stripAnsi) stages.push(new StripAnsiTransform());
        if (taps.length > 0) stages.push(new TapTransform(taps));
      }
      if (formatted) stages.push(new LineFormatTransform(this.options.lineFormat!));
      done = chain([...stages, this.file ?? discard()]);
    }
    return done.catch((e: unknown) => {
      const report = this.options.onError ?? ((err: Error) => process.stderr.write(`statevisord: ${this.options.channel} pipe: ${err.message}\n`));
      report(e instanceof Error ? e : new Error(String(e)));
    });
  }

  /**
   * The plain pipe → [taps] → file (or NONE) case without the stream: each read goes to
   * the taps and is written inline from the reader's buffer (RotatingFile.writeNow), the
   * file opened by the first. What chain() promises holds: resolves once the file has
   * closed, rejects with the pipe's error after destroying the file.
   */
  private direct(source: DirectSource, taps: Taps): Promise<void> {
    return new Promise((resolve, reject) => {
      source.sinkTo({
        error: (e) => {
          this.opened?.destroy();
          reject(e);
        },
        write: (chunk) => {
          if (taps.list.length > 0) taps.call(chunk);
          const file = this.file;
          if (!file || file.writeNow(chunk)) return true;
          file.once('drain', () => source.readMore());
          return false;
        },
        // The file may have been opened by clearLog or SIGUSR2 without a write.
        end: () => {
          if (!this.opened) return resolve();
          this.opened.once('close', resolve);
          this.opened.end();
        },
      });
    });
  }

  /** SIGUSR2: a file not open yet is created again if it was moved away, as a reopen does. */
  reopen(): Promise<void> {
    return this.file ? this.file.reopen() : Promise.resolve();
  }

  /** clearProcessLogs: a rejection means the RPC answers FAILED. */
  remove(): Promise<void> {
    return this.file ? this.file.remove() : Promise.resolve();
  }

  /** For a channel that never got a pipe (spawn failed after open). */
  close(): Promise<void> {
    return this.opened && !this.attached ? this.opened.close() : Promise.resolve();
  }
}

/** The loglevel=debug copy into the main log, or null (no tap, no cost) above debug. */
export function mainLogCopyTap(log: MainLog, name: string, channel: OutputChannel): OutputTap | null {
  if (!log.isEnabledFor(LevelsByName.DEBG)) return null;
  return (chunk) => log.debug(formatOutputCopy(name, channel, chunk));
}

/** *_syslog: each line of each chunk as `<name> <line>` (SyslogHandler splits per read, not per line). */
export function syslogTap(target: SyslogTarget, name: string): OutputTap {
  return (chunk) => {
    for (const line of syslogLines(chunk.toString('utf8'))) target.send(`${name} ${line}`);
  };
}
