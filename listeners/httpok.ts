// httpok, as superlance's: on each TICK event, GETs a URL; when it fails, times out, answers
// a status not asked for or a body without the expected text, restarts the RUNNING
// processes named by -p (or all with -a), optionally dumping a core of each first, and
// mails what it did (if -m).
import { spawn } from 'node:child_process';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { ProcessStates } from '../src/states.ts';
import { makeNamespec } from '../src/client/namespec.ts';
import { HELP, named, onEachTick, parseFlags, requireSupervisor, usageFailure, type Command } from './cli.ts';
import { routeFrom, sendMail, SMTP_FLAGS, type MailRoute } from './mail.ts';
import { log, rpcFromEnv, type ProcessInfo, type ProcessControl } from './protocol.ts';

const USAGE = `httpok [-p processname] [-a] [-t timeout] [-c status_code] [-b inbody]
       [-m mail_address] [-s sendmail] [-g gcore_program] [-d coredir]
       [-e | -E] [-w delay_seconds]
       [--smtpHost host[:port] [--fromEmail address] [--userName name --password secret] [--tls]]
       URL

Subscribe it to a TICK event:

  [eventlistener:httpok]
  command=httpok -p web -t 5 http://localhost:8080/health
  events=TICK_60

Options:

-p -- a process name (or group:name) to restart, if RUNNING, when the URL
      fails. May be given more than once.
-a -- restart every RUNNING process instead.
-t -- seconds to wait for the answer (default 10). A refused connection is
      tried again every 10 seconds within that time.
-c -- the expected HTTP status (default 200). May be given more than once.
-b -- a string the body must contain.
-s -- the sendmail command; default "/usr/sbin/sendmail -t -i".
-m -- the address to mail when httpok restarts processes; no mail without it.
-g -- the gcore program (default "/usr/bin/gcore -o"), given a file name and a pid.
-d -- a directory: dump a core of each hung process there before restarting it.
-e -- eager (the default): check the URL even when no watched process is RUNNING.
-E -- not eager: check it only while one is.
-w -- do not restart a process that has been RUNNING fewer seconds than this.
--smtpHost host[:port], --fromEmail, --userName, --password, --tls -- send the
      mail over SMTP instead of sendmail.
-h, --help -- this text.
URL -- the http:// or https:// URL to GET.
`;

const cmd: Command = { name: 'httpok', usage: USAGE, usageExit: 255 };

const RETRY_MS = 10_000;

export interface Settings {
  url: URL;
  programs: string[];
  any: boolean;
  timeoutMs: number;
  codes: string[];
  inbody: string | undefined;
  email: string | undefined;
  route: MailRoute;
  gcore: string;
  coredir: string | undefined;
  eager: boolean;
  delay: number;
}

export function parseHttpOk(argv: string[]): Settings {
  const { values, positionals } = parseFlags(cmd, argv, {
    ...HELP,
    program: { type: 'string', short: 'p', multiple: true },
    any: { type: 'boolean', short: 'a' },
    timeout: { type: 'string', short: 't', default: '10' },
    code: { type: 'string', short: 'c', multiple: true },
    body: { type: 'string', short: 'b' },
    sendmail_program: { type: 'string', short: 's' },
    email: { type: 'string', short: 'm' },
    gcore: { type: 'string', short: 'g', default: '/usr/bin/gcore -o' },
    coredir: { type: 'string', short: 'd' },
    eager: { type: 'boolean', short: 'e' },
    'not-eager': { type: 'boolean', short: 'E' },
    delay: { type: 'string', short: 'w', default: '0' },
    ...SMTP_FLAGS,
  }, true);
  if (positionals.length !== 1) usageFailure(cmd, 'exactly one URL is needed');
  let url: URL;
  try {
    url = new URL(positionals[0]);
  } catch {
    return usageFailure(cmd, `not a URL: ${positionals[0]}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') usageFailure(cmd, `Bad scheme ${url.protocol.slice(0, -1)}`);
  const timeout = Number(values.timeout);
  const delay = Number(values.delay);
  if (!Number.isInteger(timeout) || timeout <= 0) usageFailure(cmd, `not a number of seconds: -t ${values.timeout}`);
  if (!Number.isInteger(delay) || delay < 0) usageFailure(cmd, `not a number of seconds: -w ${values.delay}`);
  return {
    url,
    programs: values.program ?? [],
    any: Boolean(values.any),
    timeoutMs: timeout * 1000,
    codes: values.code ?? ['200'],
    inbody: values.body,
    email: values.email,
    route: routeFrom(values, values.sendmail_program),
    gcore: values.gcore,
    coredir: values.coredir,
    // -e is the default already; given with -E, -E wins.
    eager: !values['not-eager'],
    delay,
  };
}

interface Answer {
  status: number;
  reason: string;
  body: string;
}

function getOnce(url: URL, timeoutMs: number): Promise<Answer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { 'User-Agent': 'httpok' }, agent: false, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** A refused connection is tried again every 10 s while the timeout allows another try. */
async function get(url: URL, timeoutMs: number): Promise<Answer> {
  for (let tries = Math.max(1, Math.floor(timeoutMs / RETRY_MS)); ; tries--) {
    try {
      return await getOnce(url, timeoutMs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || tries <= 1) throw e;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

function shell(command: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', (e) => resolve(e.message));
    child.on('close', () => resolve(out));
  });
}

export class HttpOk {
  constructor(
    private readonly s: Settings,
    private readonly rpc: ProcessControl,
    private readonly say: (line: string) => void = log,
  ) {}

  private watched(info: ProcessInfo): boolean {
    return this.s.any || named(this.s.programs, info.group, info.name);
  }

  async check(): Promise<void> {
    const running = (await this.rpc.getAllProcessInfo()).filter((i) => this.watched(i) && i.state === ProcessStates.RUNNING);
    if (!this.s.eager && running.length === 0) return;
    const url = this.s.url.href;
    let answer: Answer | null = null;
    let msg: string;
    try {
      answer = await get(this.s.url, this.s.timeoutMs);
      msg = `status contacting ${url}: ${answer.status} ${answer.reason}`;
    } catch (e) {
      msg = `error contacting ${url}:\n\n ${(e as Error).message}`;
    }
    if (!answer || !this.s.codes.includes(String(answer.status))) await this.act(`httpok for ${url}: bad status returned`, msg);
    else if (this.s.inbody !== undefined && !answer.body.includes(this.s.inbody)) await this.act(`httpok for ${url}: bad body returned`, msg);
  }

  private async act(subject: string, msg: string): Promise<void> {
    const messages: string[] = [];
    const write = (line: string) => {
      this.say(line);
      messages.push(line);
    };
    write(msg);
    let infos: ProcessInfo[];
    try {
      infos = await this.rpc.getAllProcessInfo();
    } catch (e) {
      write(`Exception retrieving process info ${(e as Error).message}, not acting`);
      return;
    }
    const waiting = new Set(this.s.programs);
    write(this.s.any ? 'Restarting all running processes' : `Restarting selected processes ${this.s.programs.join(', ')}`);
    for (const info of infos.filter((i) => this.watched(i))) {
      waiting.delete(info.name);
      waiting.delete(makeNamespec(info.group, info.name));
      waiting.delete(`${info.group}:${info.name}`);
      await this.restart(info, write);
    }
    if (waiting.size) write(`Programs not restarted because they did not exist: ${[...waiting].join(', ')}`);
    if (this.s.email) {
      const body = messages.join('\n');
      try {
        await sendMail(this.s.route, { to: [this.s.email], subject, body });
        this.say(`Mailed:\n\nTo: ${this.s.email}\nSubject: ${subject}\n\n${body}`);
      } catch (e) {
        this.say(`Error sending mail: ${(e as Error).message}`);
      }
    }
  }

  private async restart(info: ProcessInfo, write: (line: string) => void): Promise<void> {
    const spec = makeNamespec(info.group, info.name);
    if (info.state !== ProcessStates.RUNNING) {
      write(`${spec} not in RUNNING state, NOT restarting`);
      return;
    }
    const up = info.now - info.start;
    if (this.s.delay && up < this.s.delay) {
      write(`${spec} is in RUNNING state ${up} seconds (<${this.s.delay}), delay restarting`);
      return;
    }
    if (this.s.coredir && this.s.gcore) {
      write(`gcore output for ${spec}:\n\n ${await shell(`${this.s.gcore} "${join(this.s.coredir, spec)}" ${info.pid}`)}`);
    }
    write(`${spec} is in RUNNING state, restarting`);
    try {
      await this.rpc.stopProcess(spec);
    } catch (e) {
      write(`Failed to stop process ${spec}: ${(e as Error).message}`);
    }
    try {
      await this.rpc.startProcess(spec);
      write(`${spec} restarted`);
    } catch (e) {
      write(`Failed to start process ${spec}: ${(e as Error).message}`);
    }
  }
}

export async function main(argv: string[]): Promise<void> {
  const settings = parseHttpOk(argv);
  requireSupervisor(cmd);
  const httpok = new HttpOk(settings, rpcFromEnv());
  await onEachTick(() => httpok.check());
}
