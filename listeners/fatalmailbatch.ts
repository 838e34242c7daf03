// fatalmailbatch, as superlance's: collects a line for each PROCESS_STATE_FATAL and, once
// TICK events add up to the interval, mails them all in one message over SMTP.
import { asctime, HELP, parseFlags, requireSupervisor, usageFailure, type Command } from './cli.ts';
import { sendMail, type SmtpSettings } from './mail.ts';
import { listen, log, type EventOf } from './protocol.ts';

const USAGE = `fatalmailbatch --toEmail=a@example.com[,b@example.com] --fromEmail=sup@example.com
               [--interval=minutes] [--subject=text] [--smtpHost=host[:port]]
               [--userName=name --password=secret] [--tls] [--tickEvent=TICK_60]

Subscribe it to PROCESS_STATE and the tick event it counts:

  [eventlistener:fatalmailbatch]
  command=fatalmailbatch --toEmail=ops@example.com --fromEmail=sup@example.com
  events=PROCESS_STATE,TICK_60

Options:
  -t, --toEmail     destination address(es), comma separated (required)
  -f, --fromEmail   source address (required)
  -i, --interval    batch interval in minutes (default 1)
  -s, --subject     mail subject (default "Fatal start alert from supervisord")
  -H, --smtpHost    SMTP server, host or host:port (default localhost)
  -u, --userName    SMTP user name; login only with a password too
  -p, --password    SMTP password
      --tls         STARTTLS before login
  -e, --tickEvent   the TICK event that measures the interval (default TICK_60)
  -h, --help        this text
`;

const cmd: Command = { name: 'fatalmailbatch', usage: USAGE, usageExit: 2 };

/** ProcessStateMonitor's batching: messages pile up until ticks add up to the interval. */
export class Batch {
  private messages: string[] = [];
  private minutes = 0;

  constructor(private readonly interval: number, private readonly tickMinutes: number) {}

  add(message: string): void {
    this.messages.push(message);
  }

  /** A tick: the messages to send now (possibly none), and the count starts again. */
  tick(): string[] | null {
    this.minutes += this.tickMinutes;
    if (this.minutes < this.interval) return null;
    const out = this.messages;
    this.messages = [];
    this.minutes = 0;
    return out;
  }
}

export function fatalMessage(e: EventOf<'PROCESS_STATE_FATAL'>, now = new Date()): string {
  return `${asctime(now)} -- Process ${e.groupname}:${e.processname} failed to start too many times`;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseFlags(cmd, argv, {
    ...HELP,
    interval: { type: 'string', short: 'i', default: '1.0' },
    toEmail: { type: 'string', short: 't' },
    fromEmail: { type: 'string', short: 'f' },
    subject: { type: 'string', short: 's', default: 'Fatal start alert from supervisord' },
    smtpHost: { type: 'string', short: 'H', default: 'localhost' },
    tickEvent: { type: 'string', short: 'e', default: 'TICK_60' },
    userName: { type: 'string', short: 'u' },
    password: { type: 'string', short: 'p' },
    tls: { type: 'boolean' },
  });
  if (!values.toEmail || !values.fromEmail) usageFailure({ ...cmd, usageExit: 1 }, '--toEmail and --fromEmail are required');
  const interval = Number(values.interval);
  if (!Number.isFinite(interval)) usageFailure(cmd, `option -i: invalid floating-point value: '${values.interval}'`);
  const tick = /^TICK_(\d+)$/.exec(values.tickEvent);
  if (!tick) usageFailure(cmd, `Invalid TICK event name: ${values.tickEvent}`);
  requireSupervisor(cmd);

  const to = values.toEmail.split(',').map((a) => a.trim());
  const smtp: SmtpSettings = { host: values.smtpHost, from: values.fromEmail, user: values.userName, password: values.password, tls: values.tls };
  const batch = new Batch(interval, Number(tick[1]) / 60);

  const listener = listen();
  for await (const event of listener) {
    if (event.eventname === 'PROCESS_STATE_FATAL') {
      const message = fatalMessage(event);
      log(message);
      batch.add(message);
    } else if (event.eventname === values.tickEvent) {
      const messages = batch.tick();
      if (messages?.length) {
        const body = messages.join('\n');
        log(`Sending notification email:\nTo: ${to.join(', ')}\nFrom: ${values.fromEmail}\nSubject: ${values.subject}\nBody:\n${body.length > 76 ? `${body.slice(0, 76)}...` : body}`);
        try {
          await sendMail({ smtp }, { to, subject: values.subject, body });
        } catch (e) {
          log(`Error sending email: ${(e as Error).message}`);
        }
      }
    }
    listener.ok();
  }
}
