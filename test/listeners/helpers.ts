// The listeners' integration harness: a daemon (supervisord, or statevisord once it sends
// events) with an XML-RPC socket and the listener under test in its config, an SMTP server
// on 127.0.0.1 that records what it receives, and cleanup that kills everything.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Side, type SideName } from '../compat/daemons.ts';

export { PROGRAMS } from '../compat/daemons.ts';

/**
 * The daemons every listener integration test runs under. statevisord joins once its
 * event side (issue 5, daemon part) has landed: add 'statevisord' here.
 */
export const DAEMONS: readonly SideName[] = ['supervisord'];

export const LISTENERS = fileURLToPath(new URL('../../listeners/bin/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/listeners/', import.meta.url));

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it gives a value; fails after timeoutMs, with `detail()` in the message. */
export async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs: number, detail: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms${detail()}`);
    await delay(50);
  }
}

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** An SMTP server on 127.0.0.1 that keeps every message; no TLS, no auth required. */
export class SmtpSink {
  readonly messages: Received[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        this.messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });

  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A header of a raw message (unfolded), or undefined. */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

/** The text of a raw message: CRLFs as LFs, quoted-printable decoded, no final newline. */
export function body(raw: string): string {
  const text = raw.replace(/\r\n/g, '\n').split('\n\n').slice(1).join('\n\n');
  const qp = /quoted-printable/i.test(header(raw, 'Content-Transfer-Encoding') ?? '');
  const decoded = qp
    ? Buffer.from(text.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
    : text;
  return decoded.replace(/\n$/, '');
}

/** One daemon running `sections` in a temp dir, with its RPC socket and a supervisorctl section. */
export class Run {
  readonly side: Side;
  readonly dir: string;
  private readonly base: string;

  constructor(readonly daemon: SideName, sections: string) {
    this.base = mkdtempSync(join(tmpdir(), 'statevisor-listeners-'));
    this.dir = join(this.base, daemon);
    mkdirSync(this.dir);
    const conf = join(this.dir, 'supervisord.conf');
    writeFileSync(conf, `[supervisord]
nodaemon=true
logfile=%(here)s/main.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s
loglevel=info

[unix_http_server]
file=%(here)s/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(here)s/supervisor.sock

${sections.trim()}
`);
    this.side = new Side(daemon, this.dir, conf);
  }

  /** A file in the run's dir ('' when missing): a listener's stderr log, say. */
  file(name: string): string {
    try {
      return readFileSync(join(this.dir, name), 'utf8');
    } catch {
      return '';
    }
  }

  /** What to show when a wait fails: the main log and the listener's stderr. */
  detail(listenerLog: string): () => string {
    return () => `\n--- main log\n${this.side.text()}\n--- ${listenerLog}\n${this.file(listenerLog)}\n--- daemon stderr\n${this.side.diagnostics}`;
  }

  /** The pids of `name`'s spawns, in order, from the main log. */
  spawns(name: string): number[] {
    return [...this.side.text().matchAll(new RegExp(`spawned: '${name}' with pid (\\d+)`, 'g'))].map((m) => Number(m[1]));
  }

  private stopped = false;

  /** Shuts the daemon down (its ending is in side.ending), kills what is left, removes the dir; once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await this.side.shutdown();
    } finally {
      await this.side.kill();
      rmSync(this.base, { recursive: true, force: true });
    }
  }
}

/** An `[eventlistener:x]` section running a ready-made listener, its stderr in `<x>.err`. */
export function listenerSection(name: string, args: string, events: string, extra = ''): string {
  return `[eventlistener:${name}]
command=${LISTENERS}${name} ${args}
events=${events}
startsecs=0
stderr_logfile=%(here)s/${name}.err
${extra}`;
}
