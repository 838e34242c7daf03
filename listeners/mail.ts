// How the ready-made listeners send mail: through a sendmail command, as superlance's
// crashmail, memmon and httpok do (`To:` and `Subject:` headers, a blank line, the body,
// piped to `sh -c <command>`), or over SMTP with nodemailer, as its *mailbatch monitors do
// (smtplib: `host[:port]`, login only with both a user name and a password).
import { spawn } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import nodemailer from 'nodemailer';

export interface Mail {
  to: string[];
  subject: string;
  body: string;
}

export interface SmtpSettings {
  /** `host` or `host:port` (port 25 by default), as Python's smtplib.SMTP(host) reads it. */
  host: string;
  from?: string;
  user?: string;
  password?: string;
  /** STARTTLS before login; without it the session stays plain, as smtplib's does. */
  tls?: boolean;
}

export type MailRoute = { sendmail: string } | { smtp: SmtpSettings };

export const DEFAULT_SENDMAIL = '/usr/sbin/sendmail -t -i';

/** The long options every listener that mails takes to use SMTP instead of sendmail. */
export const SMTP_FLAGS = {
  smtpHost: { type: 'string' },
  fromEmail: { type: 'string' },
  userName: { type: 'string' },
  password: { type: 'string' },
  tls: { type: 'boolean' },
} as const;

export interface SmtpFlagValues {
  smtpHost?: string;
  fromEmail?: string;
  userName?: string;
  password?: string;
  tls?: boolean;
}

/** SMTP when --smtpHost is given, the sendmail command otherwise. */
export function routeFrom(values: SmtpFlagValues, sendmail = DEFAULT_SENDMAIL): MailRoute {
  if (!values.smtpHost) return { sendmail };
  return { smtp: { host: values.smtpHost, from: values.fromEmail, user: values.userName, password: values.password, tls: values.tls } };
}

function pipeToSendmail(command: string, mail: Mail): Promise<void> {
  const text = `To: ${mail.to.join(', ')}\nSubject: ${mail.subject}\n\n${mail.body}`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code ?? signal}`))));
    // An EPIPE from a command that does not read its input is reported by its exit.
    child.stdin.on('error', () => {});
    child.stdin.end(text);
  });
}

function splitHost(host: string): { host: string; port: number } {
  const colon = host.indexOf(':');
  if (colon < 0 || colon !== host.lastIndexOf(':')) return { host, port: 25 };
  return { host: host.slice(0, colon), port: Number(host.slice(colon + 1)) };
}

async function sendSmtp(s: SmtpSettings, mail: Mail): Promise<void> {
  const transport = nodemailer.createTransport({
    ...splitHost(s.host),
    secure: false,
    ignoreTLS: !s.tls,
    requireTLS: Boolean(s.tls),
    auth: s.user && s.password ? { user: s.user, pass: s.password } : undefined,
    connectionTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: s.from ?? `${userInfo().username}@${hostname()}`,
      to: mail.to,
      subject: mail.subject,
      text: mail.body,
    });
  } finally {
    transport.close();
  }
}

export function sendMail(route: MailRoute, mail: Mail): Promise<void> {
  return 'sendmail' in route ? pipeToSendmail(route.sendmail, mail) : sendSmtp(route.smtp, mail);
}
