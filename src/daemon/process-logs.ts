// Each process's stdout/stderr log files: AUTO names made once per process config (as
// supervisor's create_autochildlogs at group creation), and a ChildOutput pipeline per
// spawn, opened before the fork as make_dispatchers opens its loggers.
import type { GroupConfig, ProcessConfig, SupervisordConfig } from '../config/types.ts';
import { createAutoChildLogSync, type Channel } from '../logs/autoname.ts';
import { ChildOutput, mainLogCopyTap } from '../logs/child-output.ts';
import type { MainLog } from '../logs/main-log.ts';
import type { Attach, ChildIO } from '../runtime/child-actor.ts';

const CHANNELS: Channel[] = ['stdout', 'stderr'];
const key = (group: string, name: string) => `${group}:${name}`;

export class ProcessLogs implements ChildIO {
  private readonly paths = new Map<string, Record<Channel, string | null>>();
  private readonly outputs = new Map<string, Partial<Record<Channel, ChildOutput>>>();

  constructor(
    private readonly supervisord: Pick<SupervisordConfig, 'childlogdir' | 'identifier' | 'strip_ansi'>,
    private readonly mainLog: MainLog,
  ) {}

  /** AUTO becomes a fresh file in childlogdir, once for the life of the group. */
  register(group: GroupConfig): void {
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
    for (const p of group.processes) {
      this.paths.delete(key(group.name, p.name));
      this.outputs.delete(key(group.name, p.name));
    }
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
    try {
      for (const channel of CHANNELS) {
        opened[channel] = ChildOutput.openSync({
          channel,
          logfile: paths[channel],
          maxBytes: channel === 'stdout' ? config.stdout_logfile_maxbytes : config.stderr_logfile_maxbytes,
          backups: channel === 'stdout' ? config.stdout_logfile_backups : config.stderr_logfile_backups,
          stripAnsi: this.supervisord.strip_ansi,
          taps: [mainLogCopyTap(this.mainLog, config.name, channel)],
        });
      }
    } catch (e) {
      for (const o of Object.values(opened)) void o.close();
      throw e;
    }
    this.outputs.set(key(group, config.name), opened);
    return {
      attach: ({ stdout, stderr }) => {
        void opened.stdout!.attach(stdout);
        if (stderr) void opened.stderr!.attach(stderr);
        else void opened.stderr!.close();
      },
      abandon: () => {
        for (const o of Object.values(opened)) void o.close();
      },
    };
  }

  /** SIGUSR2. */
  async reopen(): Promise<void> {
    await Promise.all([...this.outputs.values()].flatMap((o) => Object.values(o).map((c) => c.reopen())));
  }
}
