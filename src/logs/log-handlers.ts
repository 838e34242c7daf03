// The main log's handlers, after loggers.py: a rotating file, a stream (stdout echo when
// nodaemon), and syslog for logfile=syslog. Each formats the shared record itself, as
// supervisor's handlers apply their own format string to LogRecord.asdict().
import type { Writable } from 'node:stream';
import { formatMainLogLine, type LogRecord, type MainLogLineFormat } from './log-format.ts';
import { RotatingFile, type LogFileFault } from './rotating-file.ts';
import { syslogLines, type SyslogTarget } from './syslog.ts';

export interface LogHandler {
  /** handle_*() give every handler the logger's level when it is added. */
  readonly level: number;
  emit(record: LogRecord): void;
  /** SIGUSR2 / clearLog. Streams and syslog have nothing to reopen (a no-op, as in supervisor). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export class FileLogHandler implements LogHandler {
  readonly file: RotatingFile;

  constructor(
    readonly level: number,
    options: { path: string; maxBytes: number; backups: number; onFault?: (f: LogFileFault) => void },
    private readonly format: MainLogLineFormat = formatMainLogLine,
  ) {
    // Synchronous: each line is on disk before log() returns, like supervisor's flush per
    // record, so nothing logged right before an exit or a crash is lost. Main-log volume
    // is small except at loglevel=debug, where supervisor blocks on the same writes.
    this.file = RotatingFile.openSync({ ...options, sync: true });
  }

  emit(record: LogRecord): void {
    // Straight to the file when nothing is queued (Writable's bookkeeping per line costs more than the write).
    this.file.writeText(this.format(record));
  }

  reopen(): Promise<void> {
    return this.file.reopen();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

/** What the stdout echo needs: process.stdout, or a test's sink. */
export type EchoStream = Pick<Writable, 'write' | 'on'>;

/**
 * The nodaemon echo. Its lines go out together once the event loop has run the callbacks
 * at hand (setImmediate): stdout is a pipe or a terminal, written synchronously by Node, and a
 * burst (a stop of 1,000 programs logs 2,000 lines) would otherwise cost a write, and a wait
 * for the reader, per line. The file handler keeps its write per line.
 */
export class StreamLogHandler implements LogHandler {
  private broken = false;
  private pending: string[] = [];
  private readonly flushHeld = (): void => this.flush();

  constructor(
    readonly level: number,
    private readonly stream: EchoStream,
    private readonly format: MainLogLineFormat = formatMainLogLine,
  ) {
    // supervisor ignores EPIPE on its stdout (a closed pager, a dead `| tee`); an unheard
    // 'error' on process.stdout would instead kill the daemon. Lines logged before it still go.
    stream.on('error', () => {
      this.flush();
      this.broken = true;
    });
    // An exit that skips close() (a crash before the main log is handed the daemon's errors) still writes what is held.
    process.on('exit', this.flushHeld);
  }

  emit(record: LogRecord): void {
    if (this.broken) return;
    if (this.pending.length === 0) setImmediate(this.flushHeld);
    this.pending.push(this.format(record));
  }

  private flush(): void {
    if (this.pending.length === 0 || this.broken) return;
    const text = this.pending.join('');
    this.pending = [];
    this.stream.write(text);
  }

  reopen(): Promise<void> {
    return Promise.resolve();
  }

  /** Never closes the stream: supervisor leaves fds 0-2 alone. */
  close(): Promise<void> {
    this.flush();
    process.off('exit', this.flushHeld);
    return Promise.resolve();
  }
}

export class SyslogLogHandler implements LogHandler {
  constructor(
    readonly level: number,
    private readonly target: SyslogTarget,
    private readonly format: (record: LogRecord, line: string) => string,
  ) {}

  emit(record: LogRecord): void {
    for (const line of syslogLines(record.message)) this.target.send(this.format(record, line));
  }

  reopen(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The main log's format per syslog line; its trailing '\n' ends the relay's line. */
export const mainLogSyslogFormat = (record: LogRecord, line: string): string =>
  formatMainLogLine({ ...record, message: line }).slice(0, -1);
