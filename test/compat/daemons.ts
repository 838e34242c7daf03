// Runs one configuration under the reference supervisord and under statevisord side by
// side, each in its own temp dir, and turns each main log into per-process sequences of
// messages that can be compared.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statevisordArgs } from '../../scripts/statevisord-command.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/compat/', import.meta.url));
export const PROGRAMS = fileURLToPath(new URL('../fixtures/programs/', import.meta.url));

/** Debian's supervisord 4.2.5 (CI installs it with apt); STATEVISOR_REFERENCE overrides. */
export const REFERENCE = process.env.STATEVISOR_REFERENCE ?? '/usr/bin/supervisord';

/** Why the reference cannot run here, or null when it can. */
export function referenceMissing(): string | null {
  if (!existsSync(REFERENCE)) return `${REFERENCE} is not installed (apt-get install supervisor)`;
  const v = spawnSync(REFERENCE, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (v.status !== 0) return `${REFERENCE} --version failed: ${(v.stderr || v.error?.message || '').trim()}`;
  if (v.stdout.trim() !== '4.2.5') console.warn(`compat: the reference is supervisord ${v.stdout.trim()}, not 4.2.5`);
  return null;
}

export type SideName = 'supervisord' | 'statevisord';

export interface Scenario {
  name: string;
  /** The program sections; `%(here)s` is the side's own temp dir. */
  programs: string;
  loglevel?: 'info' | 'debug';
  /** Extra files made in each side's dir before start: name → content (and mode, default 0644). */
  files?: Record<string, { content: string; mode?: number }>;
  /** Drives one side from outside; runs on both at once. Must end with `side.shutdown()`. */
  drive(side: Side): Promise<void>;
  /** Files of each side's dir to read before the dir goes (null when missing), for checks beyond the main log. */
  read?: string[];
  /** Lines (normalised) whose relative order must be the same across processes too. */
  globalOrder?: RegExp;
  /** Serve XML-RPC on `<dir>/supervisor.sock`, for `side.ctl()` and `side.rpc()`. */
  rpc?: boolean;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One daemon on one copy of the configuration. */
export class Side {
  readonly log: string;
  readonly daemon: ChildProcess;
  private exited: Promise<number | string | null>;
  private stderr = '';
  private done = false;

  constructor(readonly name: SideName, readonly dir: string, conf: string) {
    this.log = join(dir, 'main.log');
    const [cmd, args] = name === 'supervisord' ? [REFERENCE, ['-c', conf]] : [process.execPath, [...statevisordArgs(), '-c', conf]];
    // Own process group, so a failed test can kill the daemon and nothing else; stdout
    // only echoes the main log (nodaemon), so it is dropped.
    this.daemon = spawn(cmd, args, { cwd: dir, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    this.daemon.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => {
      this.daemon.once('exit', (code, signal) => { this.done = true; resolve(code ?? signal); });
      this.daemon.once('error', (e) => { this.done = true; resolve(e.message); });
    });
  }

  text(): string {
    try { return readFileSync(this.log, 'utf8'); } catch { return ''; }
  }

  /** Waits until the main log has `count` lines matching `re` (polled: supervisord writes from its own loop). */
  waitFor(re: RegExp, count = 1, timeoutMs = 25_000): Promise<void> {
    return this.waitUntil(() => records(this.text()).filter((r) => re.test(r)).length >= count, `${count}× ${re}`, timeoutMs);
  }

  /** Polls `ready` (a file the daemon or its children write) until it holds. */
  async waitUntil(ready: () => boolean, what: string, timeoutMs = 25_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (ready()) return;
      if (this.done) throw new Error(`${this.name} exited (${await this.exited}) before ${what}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: no ${what} within ${timeoutMs} ms`);
      await delay(50);
    }
  }

  /**
   * SIGTERM, then waits for the daemon to exit; how it ended is kept in `ending` (the test
   * compares the logs first, then asserts on it): supervisord exits 0.
   */
  async shutdown(timeoutMs = 25_000): Promise<void> {
    if (this.done) {
      this.ending = `exited by itself before SIGTERM (${await this.exited})`;
      return;
    }
    this.daemon.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const outcome = await Promise.race([this.exited, late]).finally(() => clearTimeout(timer));
    this.ending = outcome === 'late' ? `still running ${timeoutMs} ms after SIGTERM` : `exited ${outcome} after SIGTERM`;
  }

  /** The real supervisorctl against this side (the scenario has `rpc: true`). */
  ctl(...args: string[]): Promise<string> {
    return this.python(['/usr/bin/supervisorctl', '-c', join(this.dir, 'compat.conf'), ...args]);
  }

  /** One supervisor.* XML-RPC call through supervisor's own client (childutils.getRPCInterface); prints its result. */
  rpc(method: string, ...args: string[]): Promise<string> {
    const code = 'import sys\nfrom supervisor import childutils\n' +
      "rpc = childutils.getRPCInterface({'SUPERVISOR_SERVER_URL': 'unix://' + sys.argv[1]})\n" +
      'print(getattr(rpc.supervisor, sys.argv[2])(*sys.argv[3:]))\n';
    return this.python(['/usr/bin/python3', '-c', code, join(this.dir, 'supervisor.sock'), method, ...args]);
  }

  private python(argv: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.once('error', reject);
      child.once('close', () => resolve(out));
    });
  }

  /** How the daemon ended: `exited 0 after SIGTERM` when all went well. */
  ending = 'never sent SIGTERM';

  get diagnostics(): string {
    return this.stderr;
  }

  /** Kills whatever is left: the daemon's group, and every child it logged a pid for. */
  async kill(): Promise<void> {
    // The daemon's children now, and those its main log names (a scenario may clear the log).
    const pids = [...childrenOf(this.daemon.pid!), ...[...this.text().matchAll(/spawned: '[^']*' with pid (\d+)/g)].map((m) => Number(m[1]))];
    if (!this.done) {
      try { process.kill(-this.daemon.pid!, 'SIGKILL'); } catch { /* gone */ }
      await this.exited;
    }
    // Both daemons make each child a process-group leader, so a group of that number is what
    // it left: its grandchildren, though the child itself is gone.
    const groups = liveGroups();
    for (const pid of pids) {
      if (groups.has(pid)) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
}

// No [unix_http_server] or [inet_http_server] unless a scenario drives the daemon over
// XML-RPC: supervisord then logs neither `RPC interface 'supervisor' initialized` nor the
// warning about HTTP servers without authentication, lines about servers rather than
// processes, so no rule has to drop them. The CRIT line about running as root comes from
// both or from neither.
function configText(sc: Scenario): string {
  const rpc = sc.rpc ? `
[unix_http_server]
file=%(here)s/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(here)s/supervisor.sock
` : '';
  return `[supervisord]
nodaemon=true
logfile=%(here)s/main.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s
loglevel=${sc.loglevel ?? 'info'}
${rpc}
${sc.programs.trim()}
`;
}

export interface Outcome {
  dirs: Record<SideName, string>;
  logs: Record<SideName, string>;
  /** How each daemon ended, or why driving it failed (a wait that timed out). */
  endings: Record<SideName, string>;
  stderr: Record<SideName, string>;
  files: Record<SideName, Record<string, string | null>>;
}

function readAll(dir: string, names: string[] = []): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of names) {
    try { out[name] = readFileSync(join(dir, name), 'utf8'); } catch { out[name] = null; }
  }
  return out;
}

/** The process groups that have a member now. */
/** A live process's children, from each of its threads' `children` file. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').split(' ').filter(Boolean).map(Number));
      } catch { /* a thread that ended */ }
    }
  } catch { /* the process is gone */ }
  return out;
}

function liveGroups(): Set<number> {
  const groups = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      groups.add(Number(readFileSync(`/proc/${name}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[2]));
    } catch { /* gone */ }
  }
  return groups;
}

/** Runs the scenario on both daemons at once; always kills what is left and removes the dirs. */
export async function runBoth(sc: Scenario): Promise<Outcome> {
  const base = mkdtempSync(join(tmpdir(), `statevisor-compat-${sc.name.replace(/\W+/g, '-')}-`));
  const sides: Side[] = [];
  try {
    for (const name of ['supervisord', 'statevisord'] as const) {
      const dir = join(base, name);
      mkdirSync(dir);
      for (const [file, { content, mode }] of Object.entries(sc.files ?? {})) {
        writeFileSync(join(dir, file), content);
        chmodSync(join(dir, file), mode ?? 0o644);
      }
      // The same text in both dirs: %(here)s points each at its own logs and state files.
      writeFileSync(join(dir, 'compat.conf'), configText(sc));
      sides.push(new Side(name, dir, join(dir, 'compat.conf')));
    }
    // A side that fails to reach the end condition still leaves its log to compare.
    const failures = await Promise.all(sides.map((s) => sc.drive(s).then(() => null, (e: Error) => e.message)));
    const [ref, ours] = sides;
    return {
      dirs: { supervisord: ref.dir, statevisord: ours.dir },
      logs: { supervisord: ref.text(), statevisord: ours.text() },
      endings: { supervisord: failures[0] ?? ref.ending, statevisord: failures[1] ?? ours.ending },
      stderr: { supervisord: ref.diagnostics, statevisord: ours.diagnostics },
      files: { supervisord: readAll(ref.dir, sc.read), statevisord: readAll(ours.dir, sc.read) },
    };
  } finally {
    await Promise.all(sides.map((s) => s.kill()));
    // STATEVISOR_COMPAT_KEEP=1 keeps both dirs (configs, main logs, child logs) to look at.
    if (process.env.STATEVISOR_COMPAT_KEEP) console.log(`compat: kept ${base}`);
    else rmSync(base, { recursive: true, force: true });
  }
}

// ---- normalisation -------------------------------------------------------------------

const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /;

/**
 * The log's records without timestamps, each exactly its message: a record's continuation
 * lines (child output copied at debug) stay in it, and the newline the log format adds
 * after each message is not part of it.
 */
export function records(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  for (const line of lines) {
    if (STAMP.test(line)) out.push(line.replace(STAMP, ''));
    else if (out.length) out[out.length - 1] += `\n${line}`;
  }
  return out;
}

/** Lines that are noise, not behaviour, each with the reason it is dropped. */
const NOISE: { re: RegExp; why: string }[] = [
  // supervisord's handler queues SIGCHLD once per delivery, deduplicated, and handles one
  // signal per loop iteration, so how many of these appear depends on how the kernel
  // coalesced the signals within a 1-s tick; statevisord learns of exits from libuv.
  { re: /^DEBG received SIGCHLD indicating a child quit$/, why: 'signal coalescing' },
  // `fd 6 closed, stopped monitoring <POutputDispatcher at 140397578142288 for <Subprocess
  // at 1403… with name x in state STOPPING> (stdout)>`: a trace of supervisord's own I/O
  // dispatcher objects (Python reprs and id()s), not of the process. Where it lands among
  // the process's lines, and stdout's before or after stderr's, depends on when poll()
  // reports each EOF within a tick: runs of the same scenario put it before or after the
  // SIGKILL line. statevisord has no such objects and does not log it.
  { re: /^DEBG fd \d+ closed, stopped monitoring </, why: 'supervisord internals' },
];

/** A record as compared: no timestamp, pids and the side's dir replaced, noise gone (null). */
export function normalise(record: string, dir: string): string | null {
  if (NOISE.some((n) => n.re.test(record))) return null;
  return record
    .split(dir).join('<dir>')
    .replace(/\bpid \d+/g, 'pid <pid>')
    .replace(/^(WARN killing '[^']*') \(\d+\)/, '$1 (<pid>)');
}

/** The process a message is about, or null for supervisord's own messages. */
export function owner(line: string, commands: Map<string, string>): string | null {
  const msg = line.replace(/^[A-Z]{4} /, '');
  const m =
    /^spawned: '([^']+)'/.exec(msg) ??
    /^(?:success|exited|gave up|stopped): (\S+) /.exec(msg) ??
    /^killing '([^']+)' \(/.exec(msg) ??
    /^killing (\S+) \(pid /.exec(msg) ??
    /^waiting for (\S+) to stop$/.exec(msg) ??
    /^'([^']+)' (?:stdout|stderr) output:\n/.exec(msg);
  if (m) return m[1];
  // spawnerr names the command, not the process: map it back through the config.
  const cmd = /^spawnerr: .*?'([^']+)'/.exec(msg);
  if (cmd) return commands.get(cmd[1]) ?? `spawnerr for ${cmd[1]}`;
  return null;
}

export const SUPERVISOR = '(supervisord)';

/** command's first word → program name, for programs whose command names one process. */
export function commandOwners(programs: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const section of programs.split(/^(?=\[)/m)) {
    const name = /^\[program:([^\]]+)\]/.exec(section)?.[1];
    const cmd = /^command\s*=\s*(\S+)/m.exec(section)?.[1];
    if (name && cmd) map.set(cmd.replace('%(here)s', '<dir>'), name);
  }
  return map;
}

export interface Normalised {
  /** Every kept line in log order. */
  lines: string[];
  /** The lines about each process, and supervisord's own under SUPERVISOR. */
  byProcess: Record<string, string[]>;
}

const OUTPUT = /^DEBG ('[^']+' (?:stdout|stderr) output:\n)/;

export function normaliseLog(text: string, dir: string, commands: Map<string, string>): Normalised {
  const lines = records(text).map((r) => normalise(r, dir)).filter((l): l is string => l !== null);
  const byProcess: Record<string, string[]> = {};
  for (const line of lines) {
    const own = (byProcess[owner(line, commands) ?? SUPERVISOR] ??= []);
    // Child output copied at debug comes in whatever chunks each read() returned, which
    // depends on timing: consecutive chunks of one channel are compared as one.
    const head = OUTPUT.exec(line)?.[0];
    if (head && own.at(-1)?.startsWith(head)) own[own.length - 1] += line.slice(head.length);
    else own.push(line);
  }
  return { lines, byProcess };
}
