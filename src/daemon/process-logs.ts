// Each process's stdout/stderr log files: AUTO names made once per process config (as
// supervisor's create_autochildlogs at group creation), and a ChildOutput pipeline per
// spawn, opened before the fork as make_dispatchers opens its loggers.
import type { GroupConfig, ProcessConfig, SupervisordConfig } from '../config/types.ts';
import { pyRepr } from '../config/pyrepr.ts';
import { processCommunicationEvent, processLogEvent, type BusEvent } from '../events/event.ts';
import { ListenerChannel } from '../events/listener-channel.ts';
import { AutoLogMaker, autoChildLogNames, createAutoChildLogSync, type Channel } from '../logs/autoname.ts';
import { ChildOutput, mainLogCopyTap, type ChildOutputOptions, type OutputTap } from '../logs/child-output.ts';
import { LevelsByName } from '../logs/levels.ts';
import { lineFormat } from '../logs/line-format.ts';
import type { MainLog } from '../logs/main-log.ts';
import { formatListenerOutputCopy } from '../logs/output-copy.ts';
import type { Attach, ChildIO, ChildPipes } from '../runtime/child-actor.ts';
import type { ReadySignals } from '../runtime/checks/signals.ts';
import { holdPipe } from './held-pipe.ts';

/** Where output becomes events: PROCESS_LOG_*, PROCESS_COMMUNICATION_*, and listeners' protocol. */
export interface OutputEvents {
  publish(e: BusEvent): void;
  /** An event listener was spawned: where its stdout goes (its protocol channel). */
  attachListener(group: string, name: string, pid: number, stdin: ListenerChannel): ((chunk: Uint8Array) => void) | null;
}

/** What a spawn's taps learn only once the child exists. */
interface SpawnRef {
  pid: number;
  protocol: ((chunk: Uint8Array) => void) | null;
}

const CHANNELS: Channel[] = ['stdout', 'stderr'];
/**
 * A listener replies to each event with a write of its own (`RESULT 2\nOKREADY\n`); its
 * stdout log gets them in one file write per this many ms instead of one per event.
 */
const LISTENER_LOG_COALESCE_MS = 5;
/**
 * AUTO files a start makes itself before anything runs: about what starting the maker
 * process costs (some 40 ms; a file takes 0.5 ms in a busy temp dir, bench/launch-floor.ts).
 */
const SYNC_AUTO_FILES = 64;
const key = (group: string, name: string) => `${group}:${name}`;

type Paths = Record<Channel, string | null>;

export class ProcessLogs implements ChildIO {
  private readonly paths = new Map<string, Paths>();
  private readonly outputs = new Map<string, Partial<Record<Channel, ChildOutput>>>();
  /** The [eventlistener:x] groups: their stdout is a protocol channel. */
  private readonly pools = new Map<string, GroupConfig>();
  /** Processes whose AUTO files are still being created (start-up): their output waits for them. */
  private readonly creating = new Map<string, Promise<void>>();
  private readonly maker = new AutoLogMaker();

  constructor(
    private readonly supervisord: Pick<SupervisordConfig, 'childlogdir' | 'identifier' | 'strip_ansi'>,
    private readonly mainLog: MainLog,
    private readonly events: OutputEvents | null = null,
    private readonly ready: ReadySignals | null = null,
  ) {}

  /** AUTO becomes a fresh file in childlogdir, once for the life of the group (addProcessGroup). */
  register(group: GroupConfig): void {
    this.add([group], (p, channel) => createAutoChildLogSync(this.supervisord.childlogdir, p.name, this.supervisord.identifier, channel));
  }

  /**
   * The start's groups, as register() would, except that only the first SYNC_AUTO_FILES
   * AUTO files are made before this returns (an unusable childlogdir fails the start there,
   * as create_autochildlogs fails supervisord's, and a small configuration has all its files
   * before anything runs). The others are made in the background, in order, under names
   * drawn now (getProcessInfo shows them at once); a spawn does not wait for them, its
   * output does (open). `failed` hears of a file that could not be made.
   */
  registerAtStart(groups: GroupConfig[], failed: (e: Error) => void): void {
    let files = 0;
    this.add(groups, (p, channel, k, paths) => {
      const { childlogdir, identifier } = this.supervisord;
      if (files++ < SYNC_AUTO_FILES) return createAutoChildLogSync(childlogdir, p.name, identifier, channel);
      const next = autoChildLogNames(childlogdir, p.name, identifier, channel);
      const drawn = next();
      const made = this.maker.create(drawn, next).then((path) => {
        if (path instanceof Error) return failed(path);
        // mkstemp drew again after an EEXIST (the group may be gone by then)
        paths[channel] = path;
      });
      const before = this.creating.get(k);
      const all: Promise<void> = (before ? Promise.all([before, made]) : made).then(() => {
        if (this.creating.get(k) === all) this.creating.delete(k);
      });
      this.creating.set(k, all);
      return drawn;
    });
    this.maker.start();
  }

  private add(groups: GroupConfig[], auto: (p: ProcessConfig, channel: Channel, k: string, paths: Paths) => string): void {
    for (const group of groups) {
      if (group.kind === 'eventlistener') this.pools.set(group.name, group);
      for (const p of group.processes) {
        const k = key(group.name, p.name);
        const paths: Paths = { stdout: null, stderr: null };
        for (const channel of CHANNELS) {
          const value = channel === 'stdout' ? p.stdout_logfile : p.stderr_logfile;
          paths[channel] = value === 'AUTO' ? auto(p, channel, k, paths) : value;
        }
        this.paths.set(k, paths);
      }
    }
  }

  /** The run is over: the start's AUTO files not made yet never are. */
  close(): void {
    this.maker.close();
  }

  /** removeProcessGroup: the group's files stay on disk, its entries go. */
  forget(group: GroupConfig): void {
    this.pools.delete(group.name);
    for (const p of group.processes) {
      this.paths.delete(key(group.name, p.name));
      this.outputs.delete(key(group.name, p.name));
    }
  }

  /** The configuration of a registered [eventlistener:x] group. */
  pool(name: string): GroupConfig | undefined {
    return this.pools.get(name);
  }

  /** The file a channel is logged to, or null (NONE). */
  logfile(group: string, name: string, channel: Channel): string | null {
    return this.paths.get(key(group, name))?.[channel] ?? null;
  }

  /** The live log file of a channel, for tails and clearing. */
  output(group: string, name: string, channel: Channel): ChildOutput | undefined {
    return this.outputs.get(key(group, name))?.[channel];
  }

  open(group: string, config: ProcessConfig): Attach {
    const creating = this.creating.get(key(group, config.name));
    if (!creating) return this.openNow(group, config, true);
    // Spawned before its AUTO files exist (start-up): its output is read once they do.
    let created = false;
    void creating.then(() => (created = true));
    const attachNow = (pipes: ChildPipes): Promise<void> => {
      let sinks: Attach;
      try {
        sinks = this.openNow(group, config, true);
      } catch (e) {
        // Too late for a spawnerr: the child runs. Its output is still read, to no file.
        this.mainLog.critical(`could not open the log files of ${config.name}: ${String(e)}`);
        sinks = this.openNow(group, config, false);
      }
      return sinks.attach(pipes);
    };
    return {
      attach: (pipes) => {
        if (created) return attachNow(pipes);
        // A child may be reaped before its files exist: what it wrote is kept, and goes
        // to the file after. stdin stays unmade until read, as the spawn's pipes have it.
        const held: ChildPipes = {
          pid: pipes.pid,
          get stdin() { return pipes.stdin; },
          get stdinFd() { return pipes.stdinFd; },
          exited: pipes.exited,
          stdout: holdPipe(pipes.stdout, this.readsDirect(group, config, 'stdout')),
          stderr: pipes.stderr && holdPipe(pipes.stderr, this.readsDirect(group, config, 'stderr')),
        };
        return creating.then(() => attachNow(held));
      },
      abandon: () => {},
    };
  }

  /** The channels' ChildOutputs, opened now (to their files, or with `files` false to none). */
  private openNow(group: string, config: ProcessConfig, files: boolean): Attach {
    const paths = (files && this.paths.get(key(group, config.name))) || { stdout: null, stderr: null };
    const opened: Partial<Record<Channel, ChildOutput>> = {};
    const spawn: SpawnRef = { pid: 0, protocol: null };
    const listener = this.pools.has(group);
    try {
      for (const channel of CHANNELS) {
        opened[channel] = ChildOutput.openSync({
          channel,
          logfile: paths[channel],
          maxBytes: channel === 'stdout' ? config.stdout_logfile_maxbytes : config.stderr_logfile_maxbytes,
          backups: channel === 'stdout' ? config.stdout_logfile_backups : config.stderr_logfile_backups,
          stripAnsi: this.supervisord.strip_ansi,
          lineFormat: lineFormat(config.statevisor.log_format, group, config.name, channel),
          ...(listener && channel === 'stdout' ? this.protocolChannel(config.name, spawn) : this.outputChannel(group, config, channel, spawn)),
        });
      }
    } catch (e) {
      for (const o of Object.values(opened)) void o.close();
      throw e;
    }
    const k = key(group, config.name);
    this.outputs.set(k, opened);
    return {
      // A promise chain, not an async function: a suspended one per child costs heap.
      attach: (pipes) => {
        const { pid, stdout, stderr } = pipes;
        spawn.pid = pid;
        // pipes.stdin is made when first read: only a listener's is needed now
        if (listener) spawn.protocol = this.events?.attachListener(group, config.name, pid, new ListenerChannel(pipes)) ?? null;
        return Promise.all([opened.stdout!.attach(stdout), stderr ? opened.stderr!.attach(stderr) : opened.stderr!.close()]).then(() => {
          // The spawn is over and its files are closed: nothing may hold them (USR2, clearLog).
          if (this.outputs.get(k) === opened) this.outputs.delete(k);
        });
      },
      abandon: () => {
        for (const o of Object.values(opened)) void o.close();
      },
    };
  }

  /** Whether the channel's ChildOutput will read its pipe in place (see openNow's options). */
  private readsDirect(group: string, config: ProcessConfig, channel: Channel): boolean {
    const protocol = this.pools.has(group) && channel === 'stdout';
    const maxBytes = channel === 'stdout' ? config.stdout_capture_maxbytes : config.stderr_capture_maxbytes;
    return ChildOutput.readsDirect({
      capture: !protocol && maxBytes > 0 ? { maxBytes, communicate: () => {} } : undefined,
      stripAnsi: this.supervisord.strip_ansi,
      logfile: this.logfile(group, config.name, channel),
      lineFormat: lineFormat(config.statevisor.log_format, group, config.name, channel),
    });
  }

  /**
   * A program's channel (and a listener's stderr), as POutputDispatcher: the main-log copy,
   * PROCESS_LOG_* when *_events_enabled, capture mode when *_capture_maxbytes > 0.
   */
  private outputChannel(group: string, config: ProcessConfig, channel: Channel, spawn: SpawnRef): Partial<ChildOutputOptions> {
    const events = this.events;
    const who = () => ({ name: config.name, group, pid: spawn.pid });
    const enabled = channel === 'stdout' ? config.stdout_events_enabled : config.stderr_events_enabled;
    const maxBytes = channel === 'stdout' ? config.stdout_capture_maxbytes : config.stderr_capture_maxbytes;
    const eventTap: OutputTap | null = events && enabled ? (chunk) => events.publish(processLogEvent(who(), channel, chunk)) : null;
    const communicate = (data: Buffer) => {
      events?.publish(processCommunicationEvent(who(), channel, data));
      this.mainLog.debug(`${pyRepr(config.name)} ${channel} emitted a comm event`);
    };
    const check = config.statevisor.ready_check;
    const readyTap = check?.kind === 'log' ? this.ready?.lineTap(group, config.name, check.pattern) ?? null : null;
    return {
      taps: [mainLogCopyTap(this.mainLog, config.name, channel), eventTap, readyTap],
      capture: maxBytes > 0 ? { maxBytes, communicate } : undefined,
    };
  }

  /**
   * A listener's stdout, as PEventListenerDispatcher: the protocol channel, copied raw to
   * the main log at debug and to stdout_logfile; no capture mode, no events, no syslog.
   */
  private protocolChannel(name: string, spawn: SpawnRef): Partial<ChildOutputOptions> {
    const copy: OutputTap | null = this.mainLog.isEnabledFor(LevelsByName.DEBG) ? (chunk) => this.mainLog.debug(formatListenerOutputCopy(name, 'stdout', chunk)) : null;
    const protocol: OutputTap = (chunk) => spawn.protocol?.(chunk);
    return { rawTaps: copy ? [copy, protocol] : [protocol], coalesceMs: LISTENER_LOG_COALESCE_MS };
  }

  /** SIGUSR2. */
  async reopen(): Promise<void> {
    await Promise.all([...this.outputs.values()].flatMap((o) => Object.values(o).map((c) => c.reopen())));
  }
}
