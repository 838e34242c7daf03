// One daemon, supervisord or statevisord, serving XML-RPC from a config of its own in a
// temp dir, for the tests that talk to a running daemon over its sockets. Cleanup kills
// the daemon and every descendant found through /proc (the children lead process groups
// of their own, and the main log that names them may have been cleared by a test).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statevisordArgs } from '../../scripts/statevisord-command.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SUPERVISORD = '/usr/bin/supervisord';
export const PYTHON = '/usr/bin/python3';

export type Kind = 'supervisord' | 'statevisord';

/** Why the reference cannot run here, or null. */
export const referenceMissing = (): string | null =>
  existsSync(SUPERVISORD) && existsSync(PYTHON) ? null : `${SUPERVISORD} is not installed (apt-get install supervisor)`;


/**
 * A config: the servers' sections, then [supervisord] (logs in the daemon's dir, and
 * `supervisord` lines more) and the RPC interface, then the programs.
 */
export const configText = (servers: string, programs: string, supervisord = ''): string => `${servers.trim()}

[supervisord]${supervisord ? `\n${supervisord.trim()}` : ''}
logfile=%(here)s/main.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s
nodaemon=true

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

${programs.trim()}
`;

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The pid's parent, or null once it is gone. */
function parentOf(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
  } catch {
    return null;
  }
}

/** Every live descendant of pid. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const ppid = parentOf(Number(e));
    if (ppid !== null) children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** A count from /proc/PID/status (VmRSS in kB), or the number of open fds. */
export const vmRssKb = (pid: number): number => Number(/^VmRSS:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
export const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

export class RpcDaemon {
  readonly dir: string;
  readonly conf: string;
  private child: ChildProcess | null = null;
  private exit: Promise<number | string | null> = Promise.resolve(null);
  private done = false;
  private stderr = '';

  /** `config` may use `%(here)s` for the daemon's own dir; `files` are made in it first. */
  constructor(readonly kind: Kind, config: string, files: Record<string, { content: string; mode?: number }> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), `rpc-${kind}-`));
    this.conf = join(this.dir, 'supervisord.conf');
    for (const [name, f] of Object.entries(files)) writeFileSync(join(this.dir, name), f.content, { mode: f.mode ?? 0o644 });
    writeFileSync(this.conf, config);
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  get exited(): boolean {
    return this.done;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  mainLog(): string {
    try {
      return readFileSync(this.path('main.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Starts the daemon and waits for `supervisord started with pid` in main.log. */
  async start(timeoutMs = 20_000): Promise<this> {
    const [cmd, args] = this.kind === 'supervisord' ? [SUPERVISORD, ['-c', this.conf]] : [process.execPath, [...statevisordArgs(), '-c', this.conf]];
    const child = spawn(cmd, args, { cwd: this.dir, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.done = true;
        resolve(code ?? signal);
      });
    });
    const deadline = Date.now() + timeoutMs;
    while (!/supervisord started with pid/.test(this.mainLog())) {
      if (this.done) throw new Error(`${this.kind} exited (${await this.exit}) before it started: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`${this.kind} did not start within ${timeoutMs} ms: ${this.stderr}`);
      await pause(30);
    }
    return this;
  }

  /** Waits for the daemon to exit by itself; null if it is still running after timeoutMs. */
  async waitExit(timeoutMs: number): Promise<number | string | null | 'running'> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'running'>((r) => (timer = setTimeout(() => r('running'), timeoutMs)));
    return Promise.race([this.exit, late]).finally(() => clearTimeout(timer));
  }

  get diagnostics(): string {
    return `${this.kind} stderr:\n${this.stderr}\nmain log (tail):\n${this.mainLog().slice(-3000)}`;
  }

  /** Kills the daemon and all it started, removes its dir. */
  async cleanup(): Promise<void> {
    if (this.child && !this.done) {
      for (const pid of descendants(this.child.pid!)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      try { process.kill(-this.child.pid!, 'SIGKILL'); } catch { /* gone */ }
      await this.exit;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
