// Each process's stdout/stderr log files: AUTO names made once per process config (as
// supervisor's create_autochildlogs at group creation), and a ChildOutput pipeline per
// spawn, opened before the fork as make_dispatchers opens its loggers.
import type { Writable } from 'node:stream';
import type { GroupConfig, ProcessConfig, SupervisordConfig } from '../config/types.ts';
import { pyRepr } from '../config/pyrepr.ts';
import { processCommunicationEvent, processLogEvent, type BusEvent } from '../events/event.ts';
import { createAutoChildLogSync, type Channel } from '../logs/autoname.ts';
import { ChildOutput, mainLogCopyTap, type ChildOutputOptions, type OutputTap } from '../logs/child-output.ts';
import { LevelsByName } from '../logs/levels.ts';
import { lineFormat } from '../logs/line-format.ts';
import type { MainLog } from '../logs/main-log.ts';
import { formatListenerOutputCopy } from '../logs/output-copy.ts';
import type { Attach, ChildIO } from '../runtime/child-actor.ts';
import type { ReadySignals } from '../runtime/checks/signals.ts';

/** Where output becomes events: PROCESS_LOG_*, PROCESS_COMMUNICATION_*, and listeners' protocol. */
export interface OutputEvents {
  publish(e: BusEvent): void;
  /** An event listener was spawned: where its stdout goes (its protocol channel). */
  attachListener(group: string, name: string, pid: number, stdin: Writable): ((chunk: Uint8Array) => void) | null;
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
const key = (group: string, name: string) => `${group}:${name}`;

export class ProcessLogs implements ChildIO {
  private readonly paths = new Map<string, Record<Channel, string | null>>();
  private readonly outputs = new Map<string, Partial<Record<Channel, ChildOutput>>>();
  /** The [eventlistener:x] groups: their stdout is a protocol channel. */
  private readonly pools = new Map<string, GroupConfig>();

  constructor(
    private readonly supervisord: Pick<SupervisordConfig, 'childlogdir' | 'identifier' | 'strip_ansi'>,
    private readonly mainLog: MainLog,
    private readonly events: OutputEvents | null = null,
    private readonly ready: ReadySignals | null = null,
  ) {}

  /** AUTO becomes a fresh file in childlogdir, once for the life of the group. */
  register(group: GroupConfig): void {
    if (group.kind === 'eventlistener') this.pools.set(group.name, group);
    for (const p of group.processes) {
      const resolve = (channel: Channel): string | null => {
        const value = channel === 'stdout' ? p.stdout_logfile : p.stderr_logfile;
        return value === 'AUTO' ? createAutoChildLogSync(this.supervisord.childlogdir, p.name, this.supervisord.identifier, channel) : value;
      };
      this.paths.set(key(group.name, p.name), { stdout: resolve('stdout'), stderr: resolve('stderr') });
    }
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
    const paths = this.paths.get(key(group, config.name)) ?? { stdout: null, stderr: null };
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
        if (listener) spawn.protocol = this.events?.attachListener(group, config.name, pid, pipes.stdin) ?? null;
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
