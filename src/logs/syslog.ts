// Lines to syslog, as supervisor's SyslogHandler sends them with Python's syslog.syslog():
// facility user, priority info, ident = basename of the program, no pid.
//
// Node has no unix datagram sockets, and /dev/log is one. Rather than a native addon we
// keep one `logger` (util-linux) child per relay and write one message per stdin line;
// logger speaks the local syslog protocol and, like glibc's syslog(), drops messages
// silently when no syslog daemon listens. Without a `logger` binary this is the
// unsupported path: lines are dropped and the caller's warn() is told once.
import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';

/** Something that takes whole syslog messages (no newline inside). */
export interface SyslogTarget {
  send(message: string): void;
}

export interface SyslogRelayOptions {
  /** syslog ident; Python uses basename(sys.argv[0]), so do we. */
  ident?: string;
  /** The relay program and its arguments before ours; tests point it elsewhere. */
  command?: string;
  extraArgs?: string[];
  /** Messages queued for the relay beyond this many bytes are dropped (syslog is lossy). */
  maxQueuedBytes?: number;
  /** Told once when syslog cannot be reached or starts dropping. */
  warn?: (message: string) => void;
}

const defaultIdent = (): string => basename(process.argv[1] ?? 'statevisord') || 'statevisord';

/** SyslogHandler.emit: one syslog message per line of `message`, trailing newlines dropped. */
export const syslogLines = (message: string): string[] => message.replace(/\n+$/, '').split('\n');

// A relay that dies sooner than this after starting is broken, not unlucky: no respawn.
const MIN_LIFETIME_MS = 1000;

export class SyslogRelay implements SyslogTarget {
  private readonly ident: string;
  private readonly command: string;
  private readonly extraArgs: string[];
  private readonly maxQueued: number;
  private readonly warn: (message: string) => void;
  private child: ChildProcess | null = null;
  private startedAt = 0;
  private unavailable = false;
  private dropping = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(options: SyslogRelayOptions = {}) {
    this.ident = options.ident ?? defaultIdent();
    this.command = options.command ?? 'logger';
    this.extraArgs = options.extraArgs ?? [];
    this.maxQueued = options.maxQueuedBytes ?? 1024 * 1024;
    this.warn = options.warn ?? ((m) => process.stderr.write(`statevisord: ${m}\n`));
  }

  send(message: string): void {
    const child = this.relay();
    const stdin = child?.stdin;
    if (!stdin || !stdin.writable) return;
    if (stdin.writableLength > this.maxQueued) {
      if (!this.dropping) this.warn('syslog relay is not keeping up; dropping syslog lines');
      this.dropping = true;
      return;
    }
    this.dropping = false;
    // logger takes one message per line; a stray CR or NUL would only garble that line.
    stdin.write(`${message.replace(/\n/g, ' ')}\n`);
  }

  /** Let the relay flush and exit. */
  close(): Promise<void> {
    this.unavailable = true;
    const child = this.child;
    this.child = null;
    child?.stdin?.end();
    return this.exited;
  }

  private relay(): ChildProcess | null {
    if (this.child || this.unavailable) return this.child;
    const args = [...this.extraArgs, '--tag', this.ident, '--priority', 'user.info', '--size', '65536'];
    // Its own session: a Ctrl-C aimed at a foreground daemon must not kill the relay first.
    const child = spawn(this.command, args, { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    this.child = child;
    this.startedAt = Date.now();
    child.stdin?.on('error', () => undefined); // EPIPE after a crash: 'exit' tells the story
    this.exited = new Promise((resolve) => {
      child.once('error', (e) => {
        this.giveUp(`syslog is unsupported here (cannot run ${this.command}: ${e.message}); syslog lines are dropped`);
        resolve();
      });
      child.once('exit', () => {
        if (this.child === child) {
          this.child = null;
          if (Date.now() - this.startedAt < MIN_LIFETIME_MS) this.giveUp(`syslog relay ${this.command} exited at once; syslog lines are dropped`);
        }
        resolve();
      });
    });
    return child;
  }

  private giveUp(message: string): void {
    if (this.unavailable) return;
    this.unavailable = true;
    this.child = null;
    this.warn(message);
  }
}
