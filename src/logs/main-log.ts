// supervisord's main (activity) log: loggers.Logger plus ServerOptions.make_logger, its
// reopenlogs (SIGUSR2) and the handler loop of the clearLog RPC.
//
// No in-memory BoundIO buffer: in 4.2.5 make_logger no longer replays a buffer; messages
// from before the logger exists are kept as lists (criticals, warnings, infos) and logged
// by level group, not in the order they arose — replayParseMessages does just that.
import { unlink } from 'node:fs/promises';
import type { DaemonExtensions } from '../config/extensions.ts';
import type { SupervisordConfig } from '../config/types.ts';
import { LevelsByName, type LevelName } from './levels.ts';
import { formatMainLogJson, formatMainLogLine, makeRecord } from './log-format.ts';
import {
  FileLogHandler,
  StreamLogHandler,
  SyslogLogHandler,
  mainLogSyslogFormat,
  type EchoStream,
  type LogHandler,
} from './log-handlers.ts';
import type { LogFileFault } from './rotating-file.ts';
import { SyslogRelay, type SyslogTarget } from './syslog.ts';

export class MainLog {
  private readonly handlers: LogHandler[] = [];
  private readonly owned: SyslogRelay[] = [];
  /** Runs before each line is written (the daemon hands over its held events first: daemon/emit-gate.ts). */
  beforeLog: (() => void) | null = null;

  constructor(
    readonly level: number,
    private readonly now: () => number = Date.now,
  ) {}

  addHandler(handler: LogHandler): void {
    this.handlers.push(handler);
  }

  /** Own a relay made for this log, so close() ends it. */
  adopt(relay: SyslogRelay): void {
    this.owned.push(relay);
  }

  /** Whether a message at `level` would be written: test this before building costly text. */
  isEnabledFor(level: number): boolean {
    return level >= this.level;
  }

  /** `at`: when it happened (ms), if that was before now. */
  log(level: number | LevelName, message: string, at?: number): void {
    const n = typeof level === 'number' ? level : LevelsByName[level];
    if (n < this.level) return;
    this.beforeLog?.();
    const record = makeRecord(n, message, at ?? this.now());
    for (const h of this.handlers) if (n >= h.level) h.emit(record);
  }

  critical(message: string): void {
    this.log(LevelsByName.CRIT, message);
  }
  error(message: string): void {
    this.log(LevelsByName.ERRO, message);
  }
  warn(message: string): void {
    this.log(LevelsByName.WARN, message);
  }
  info(message: string): void {
    this.log(LevelsByName.INFO, message);
  }
  debug(message: string): void {
    this.log(LevelsByName.DEBG, message);
  }
  trace(message: string): void {
    this.log(LevelsByName.TRAC, message);
  }
  blather(message: string): void {
    this.log(LevelsByName.BLAT, message);
  }

  /** options.reopenlogs (SIGUSR2): the INFO line goes to the old file, then every handler reopens. */
  async reopen(): Promise<void> {
    this.info('supervisord logreopen');
    for (const h of this.handlers) await h.reopen();
  }

  /**
   * The clearLog RPC after its NO_FILE check: unlink the file (a failure rejects, the RPC
   * answers FAILED), then for every handler log 'reopening log file' and reopen it. So the
   * line lands in the unlinked file, the new file starts empty, and a nodaemon stdout echo
   * shows the line once per handler.
   */
  async clear(logfile: string): Promise<void> {
    await unlink(logfile);
    for (const h of this.handlers) {
      this.info('reopening log file');
      await h.reopen();
    }
  }

  async close(): Promise<void> {
    for (const h of this.handlers) await h.close();
    await Promise.all(this.owned.map((r) => r.close()));
  }
}

export type MainLogConfig = Pick<
  SupervisordConfig,
  'logfile' | 'logfile_maxbytes' | 'logfile_backups' | 'loglevel' | 'nodaemon' | 'silent'
> & { statevisor?: Pick<DaemonExtensions, 'logformat'> };

export interface MainLogDeps {
  now?: () => number;
  /** The echo target when nodaemon and not silent; process.stdout by default. */
  stdout?: EchoStream;
  /** For logfile=syslog; a relay is made (and owned) when absent. */
  syslog?: SyslogTarget;
  onFault?: (fault: LogFileFault) => void;
}

/** make_logger: stdout echo first (nodaemon, not silent), then the file or syslog. Throws if the file cannot be opened. */
export function makeMainLog(config: MainLogConfig, deps: MainLogDeps = {}): MainLog {
  const log = new MainLog(config.loglevel, deps.now);
  // logformat applies to the file and the echo; syslog keeps its own format.
  const format = config.statevisor?.logformat === 'json' ? formatMainLogJson : formatMainLogLine;
  if (config.nodaemon && !config.silent) log.addHandler(new StreamLogHandler(config.loglevel, deps.stdout ?? process.stdout, format));
  if (config.logfile === 'syslog') {
    let target = deps.syslog;
    if (!target) {
      const relay = new SyslogRelay();
      log.adopt(relay);
      target = relay;
    }
    log.addHandler(new SyslogLogHandler(config.loglevel, target, mainLogSyslogFormat));
  } else {
    log.addHandler(
      new FileLogHandler(config.loglevel, {
        path: config.logfile,
        maxBytes: config.logfile_maxbytes,
        backups: config.logfile_backups,
        onFault: deps.onFault,
      }, format),
    );
  }
  return log;
}

export interface PendingMessages {
  criticals?: readonly string[];
  warnings: readonly string[];
  infos: readonly string[];
}

/** The tail of make_logger: queued parse messages, all criticals, then warnings, then infos. */
export function replayParseMessages(log: MainLog, messages: PendingMessages): void {
  for (const m of messages.criticals ?? []) log.critical(m);
  for (const m of messages.warnings) log.warn(m);
  for (const m of messages.infos) log.info(m);
}
