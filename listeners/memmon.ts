// memmon, as superlance's: on each TICK event, restarts (stopProcess, then startProcess) a
// process whose RSS is over the limit set for it by name, by group or for any process;
// with -c the RSS counts its descendants too. A mail (if -m) tells of each restart of a
// process that had been up no longer than -u. Where superlance has bugs this does what its
// documentation says: `-p group:name=SIZE` works, and only -n names the memmon in subjects.
import { byteSize, HELP, onEachTick, parseFlags, requireSupervisor, seconds, usageFailure, UsageError, type Command } from './cli.ts';
import { routeFrom, sendMail, SMTP_FLAGS, type MailRoute } from './mail.ts';
import { log, rpcFromEnv, type ProcessControl } from './protocol.ts';
import { childrenByParent, cumulativeRssOf, rssOf } from './rss.ts';

const USAGE = `memmon [-p processname=byte_size] [-g groupname=byte_size] [-a byte_size] [-c]
       [-s sendmail] [-m email_address] [-u uptime] [-n memmon_name]
       [--smtpHost host[:port] [--fromEmail address] [--userName name --password secret] [--tls]]

Subscribe it to a TICK event (TICK_60, or TICK_5 to check more often):

  [eventlistener:memmon]
  command=memmon -a 200MB -m ops@example.com
  events=TICK_60

Options:

-p -- a process_name=byte_size pair: restart the process (name, or group:name)
      when its RSS is over byte_size. May be given more than once.
-g -- a group_name=byte_size pair: restart any process of the group over it.
      May be given more than once.
-a -- a byte_size for any process of the supervisor.
-c -- cumulative: a process's RSS includes all its descendants'.
-s -- the sendmail command; default "/usr/sbin/sendmail -t -i".
-m -- the address to mail when a process is restarted; no mail without it.
-u -- mail only when the process had been up no longer than this (seconds, or
      with a suffix: 90s, 5m, 2h, 1d).
-n -- this memmon's name, shown in mail subjects.
--smtpHost host[:port], --fromEmail, --userName, --password, --tls -- send the
      mail over SMTP instead of sendmail.
-h, --help -- this text.

A byte_size is a number of bytes, or one with a suffix: 200KB, 100MB, 1GB.
`;

const cmd: Command = { name: 'memmon', usage: USAGE, usageExit: 255 };

export interface Limits {
  programs: Map<string, number>;
  groups: Map<string, number>;
  any: number | null;
}

/** The limits that apply to a process, in superlance's order: by name, by group, any. */
export function limitsFor(limits: Limits, group: string, name: string): number[] {
  const out: number[] = [];
  for (const key of [name, `${group}:${name}`]) {
    const size = limits.programs.get(key);
    if (size !== undefined) out.push(size);
  }
  const bygroup = limits.groups.get(group);
  if (bygroup !== undefined) out.push(bygroup);
  if (limits.any !== null) out.push(limits.any);
  return out;
}

function nameSize(option: string, value: string): [string, number] {
  const parts = value.split('=');
  if (parts.length !== 2) throw new UsageError(`Unparseable value '${value}' for '${option}'`);
  return [parts[0], byteSize(parts[1])];
}

export interface Settings {
  limits: Limits;
  cumulative: boolean;
  email: string | undefined;
  route: MailRoute;
  uptimeLimit: number;
  name: string | undefined;
}

export function parseMemmon(argv: string[]): Settings {
  if (argv.length === 0) usageFailure(cmd, 'no limit given');
  const { values } = parseFlags(cmd, argv, {
    ...HELP,
    cumulative: { type: 'boolean', short: 'c' },
    program: { type: 'string', short: 'p', multiple: true },
    group: { type: 'string', short: 'g', multiple: true },
    any: { type: 'string', short: 'a' },
    sendmail_program: { type: 'string', short: 's' },
    email: { type: 'string', short: 'm' },
    uptime: { type: 'string', short: 'u' },
    name: { type: 'string', short: 'n' },
    ...SMTP_FLAGS,
  });
  try {
    return {
      limits: {
        programs: new Map((values.program ?? []).map((v) => nameSize('-p', v))),
        groups: new Map((values.group ?? []).map((v) => nameSize('-g', v))),
        any: values.any === undefined ? null : byteSize(values.any),
      },
      cumulative: Boolean(values.cumulative),
      email: values.email,
      route: routeFrom(values, values.sendmail_program),
      uptimeLimit: values.uptime === undefined ? Infinity : seconds(values.uptime),
      name: values.name,
    };
  } catch (e) {
    return usageFailure(cmd, (e as Error).message);
  }
}

/** Python's time.asctime(): `Fri Nov  7 09:45:07 2026`. */
function pyAsctime(d = new Date()): string {
  const [wd, mon, day, year, time] = d.toString().split(' ');
  return `${wd} ${mon} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
}

export class Memmon {
  private readonly id: string;

  constructor(
    private readonly s: Settings,
    private readonly rpc: ProcessControl,
    private readonly say: (line: string) => void = log,
  ) {
    this.id = s.name ? ` [${s.name}]` : '';
  }

  private async mail(subject: string, body: string): Promise<void> {
    if (!this.s.email) return;
    try {
      await sendMail(this.s.route, { to: [this.s.email], subject, body });
    } catch (e) {
      this.say(`Error sending mail: ${(e as Error).message}`);
    }
  }

  async check(): Promise<void> {
    const { programs, groups, any } = this.s.limits;
    const listing = (m: Map<string, number>) => [...m.keys()].sort().map((k) => `${k}=${m.get(k)}`).join(', ');
    const status: string[] = [];
    if (programs.size) status.push(`Checking programs ${listing(programs)}`);
    if (groups.size) status.push(`Checking groups ${listing(groups)}`);
    if (any !== null) status.push(`Checking any=${any}`);
    this.say(status.join('\n'));

    const infos = await this.rpc.getAllProcessInfo();
    const children = this.s.cumulative ? childrenByParent() : null;
    for (const info of infos) {
      if (!info.pid) continue;
      const limits = limitsFor(this.s.limits, info.group, info.name);
      if (limits.length === 0) continue;
      const rss = children ? cumulativeRssOf(info.pid, children) : rssOf(info.pid);
      if (rss === null) continue;
      const pname = `${info.group}:${info.name}`;
      this.say(`RSS of ${pname} is ${rss}`);
      if (limits.some((limit) => rss > limit)) await this.restart(pname, rss);
    }
  }

  /** superlance gives up (the listener exits, supervisor restarts it) when stop or start fails. */
  private async restart(pname: string, rss: number): Promise<void> {
    const info = await this.rpc.getProcessInfo(pname);
    const uptime = info.now - info.start;
    this.say(`Restarting ${pname}`);
    try {
      await this.rpc.stopProcess(pname);
    } catch (e) {
      const msg = `Failed to stop process ${pname} (RSS ${rss}), exiting: ${(e as Error).message}`;
      this.say(msg);
      await this.mail(`memmon${this.id}: failed to stop process ${pname}, exiting`, msg);
      throw e;
    }
    try {
      await this.rpc.startProcess(pname);
    } catch (e) {
      const msg = `Failed to start process ${pname} after stopping it, exiting: ${(e as Error).message}`;
      this.say(msg);
      await this.mail(`memmon${this.id}: failed to start process ${pname}, exiting`, msg);
      throw e;
    }
    if (uptime <= this.s.uptimeLimit) {
      await this.mail(
        `memmon${this.id}: process ${pname} restarted`,
        `memmon restarted the process named ${pname} at ${pyAsctime()} because it was consuming too much memory (${rss} bytes RSS)`,
      );
    }
  }
}

export async function main(argv: string[]): Promise<void> {
  const settings = parseMemmon(argv);
  requireSupervisor(cmd);
  const memmon = new Memmon(settings, rpcFromEnv());
  await onEachTick(() => memmon.check());
}
