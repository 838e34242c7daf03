// crashmail, as superlance's: mails when a process exits unexpectedly (PROCESS_STATE_EXITED
// with expected:0). Unlike superlance's code, which ignores them, -p and -a select the
// processes as its documentation says; without either, every process is watched, and
// without -m nothing is mailed (superlance would mail `To: None`).
import { asctime, HELP, named, parseFlags, requireSupervisor, type Command } from './cli.ts';
import { routeFrom, sendMail, SMTP_FLAGS } from './mail.ts';
import { listen, log, type EventOf } from './protocol.ts';

const USAGE = `crashmail [-p processname] [-a] [-o string] [-m mail_address] [-s sendmail]
          [--smtpHost host[:port] [--fromEmail address] [--userName name --password secret] [--tls]]

Subscribe it to PROCESS_STATE_EXITED (or PROCESS_STATE) events:

  [eventlistener:crashmail]
  command=crashmail -a -m ops@example.com
  events=PROCESS_STATE_EXITED

Options:

-p -- a supervisor process name (or group:name) to watch for unexpected exits.
      May be given more than once.
-a -- watch every process (the default when no -p is given).
-o -- a prefix for the mail subject: "<prefix>: <name> crashed at <time>".
-m -- the address to mail. Without it, crashes are only logged on stderr.
-s -- the sendmail command the mail is piped to; default "/usr/sbin/sendmail -t -i".
--smtpHost host[:port] -- send over SMTP instead of sendmail (port 25 by default).
--fromEmail -- the sender for SMTP; default user@hostname.
--userName, --password -- SMTP login, when both are given.
--tls -- STARTTLS before sending.
-h, --help -- this text.
`;

const cmd: Command = { name: 'crashmail', usage: USAGE, usageExit: 255 };

/** superlance's subject and body, word for word. */
export function crashMessage(e: EventOf<'PROCESS_STATE_EXITED'>, prefix: string | undefined, now = new Date()): { subject: string; body: string } {
  const subject = ` ${e.processname} crashed at ${asctime(now)}`;
  return {
    subject: prefix ? `${prefix}:${subject}` : subject.trimStart(),
    body: `Process ${e.processname} in group ${e.groupname} exited unexpectedly (pid ${e.pid}) from state ${e.from_state}`,
  };
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseFlags(cmd, argv, {
    ...HELP,
    program: { type: 'string', short: 'p', multiple: true },
    any: { type: 'boolean', short: 'a' },
    optionalheader: { type: 'string', short: 'o' },
    sendmail_program: { type: 'string', short: 's' },
    email: { type: 'string', short: 'm' },
    ...SMTP_FLAGS,
  });
  requireSupervisor(cmd);
  const programs = values.any ? [] : (values.program ?? []);
  const route = routeFrom(values, values.sendmail_program);

  const listener = listen();
  for await (const event of listener) {
    if (event.eventname === 'PROCESS_STATE_EXITED' && !event.expected && (programs.length === 0 || named(programs, event.groupname, event.processname))) {
      const { subject, body } = crashMessage(event, values.optionalheader);
      if (!values.email) {
        log(`unexpected exit, not mailing (no -m): ${body}`);
      } else {
        log('unexpected exit, mailing');
        try {
          await sendMail(route, { to: [values.email], subject, body });
          log(`Mailed:\n\nTo: ${values.email}\nSubject: ${subject}\n\n${body}`);
        } catch (e) {
          log(`Error sending mail: ${(e as Error).message}`);
        }
      }
    }
    listener.ok();
  }
}
