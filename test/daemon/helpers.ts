// The daemon integration tests' harness: start the real `bin/statevisord` on a generated
// config in a temp dir and watch it only from outside: its main log (polled), its
// pidfile, its children's log files and /proc. Every daemon started here carries a tag in
// its environment, which its children and grandchildren inherit, so cleanup finds and
// kills whatever it left behind even if a test failed halfway.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statevisordArgs } from '../../scripts/statevisord-command.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROGRAMS = join(ROOT, 'test/fixtures/programs/');
const TAG_VAR = 'STATEVISOR_DAEMON_TEST_TAG';

/** A fixture program's command line: `program('exit-after.sh', 3, 100)`. */
export const program = (name: string, ...args: (string | number)[]): string => [PROGRAMS + name, ...args].join(' ');

export type Options = Record<string, string | number | boolean>;

/** One config section: `section('program:a', { command: …, startsecs: 0 })`. */
export function section(name: string, options: Options): string {
  return `[${name}]\n${Object.entries(options).map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/** A `[program:x]` section with test-friendly defaults (startsecs=0, stopwaitsecs=2). */
export const prog = (name: string, command: string, options: Options = {}): string =>
  section(`program:${name}`, { command, startsecs: 0, stopwaitsecs: 2, ...options });

// ---------------------------------------------------------------------------------------
// The main log.

export const LEVELS = ['CRIT', 'ERRO', 'WARN', 'INFO', 'DEBG', 'TRAC', 'BLAT'] as const;
export const LINE_FORMAT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) (.*)$/;

export interface LogLine {
  /** Position in the log (0-based, continuation lines folded into their record). */
  index: number;
  /** The record's whole text, first line as written. */
  text: string;
  /** Local time of the asctime, in ms since the epoch. */
  time: number;
  level: string;
  message: string;
}

/** Records of a main log; a line without a timestamp continues the one before it. */
export function parseLog(text: string): LogLine[] {
  const out: LogLine[] = [];
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  for (const row of rows) {
    const m = LINE_FORMAT.exec(row);
    if (m) {
      const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number);
      out.push({ index: out.length, text: row, time: new Date(y, mo - 1, d, h, mi, s, ms).getTime(), level: m[8], message: m[9] });
    } else if (out.length) {
      out[out.length - 1].message += `\n${row}`;
    } else {
      out.push({ index: 0, text: row, time: NaN, level: '', message: row });
    }
  }
  return out;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value (not undefined/null/false); fails after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000, detail: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail()}`);
    await pause(15);
  }
}

// ---------------------------------------------------------------------------------------
// Processes, seen through /proc.

/** True while pid runs (a zombie counts as gone: it can do nothing more). */
export function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The process group of a live pid, or null. */
export function pgidOf(pid: number): number | null {
  try {
    // Fields after the comm: state ppid pgrp …
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[2]);
  } catch {
    return null;
  }
}

export async function waitUntilGone(pid: number, timeoutMs = 5000): Promise<void> {
  await waitFor(`pid ${pid} to end`, () => !alive(pid), timeoutMs);
}

/** Live pids whose environment holds `tag`: everything a test daemon started, at any depth. */
export function pidsTagged(tag: string): number[] {
  const needle = `${TAG_VAR}=${tag}\0`;
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle) && alive(pid)) out.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

const killQuietly = (pid: number, sig: NodeJS.Signals = 'SIGKILL') => {
  try { process.kill(pid, sig); } catch { /* already gone */ }
};

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------
// The daemon.

export interface Exit { code: number | null; signal: NodeJS.Signals | null }

export interface StartOptions {
  /** [supervisord] options over the defaults (nodaemon, logfile, pidfile, childlogdir in the temp dir). */
  supervisord?: Options;
  /** Wait for `supervisord started with pid` (default true). */
  waitStarted?: boolean;
  /** More command-line arguments after `-c <conf>`. */
  args?: string[];
  /** The daemon's command before `-c <conf>`: statevisord by default, `[REFERENCE]` for supervisord. */
  command?: string[];
}

const live = new Set<Daemon>();

let counter = 0;

export class Daemon {
  readonly dir: string;
  readonly conf: string;
  readonly logfile: string;
  readonly pidfile: string;
  readonly tag: string;
  private child: ChildProcess | null = null;
  private exitInfo: Exit | null = null;
  private closed: Promise<Exit> = Promise.resolve({ code: null, signal: null });
  /** The daemon's own stdout and stderr (the tail of it), for failure messages. */
  private output = '';

  constructor(private body: string, private sd: Options = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'statevisor-daemon-'));
    this.conf = join(this.dir, 'supervisord.conf');
    this.logfile = join(this.dir, 'supervisord.log');
    this.pidfile = join(this.dir, 'supervisord.pid');
    this.tag = `${process.pid}-${Date.now()}-${++counter}`;
    this.writeConfig(body, sd);
  }

  /** The config file: [supervisord] with the test defaults, then `body`. */
  configText(body = this.body, sd = this.sd): string {
    const opts: Options = {
      nodaemon: true, logfile: this.logfile, pidfile: this.pidfile, childlogdir: this.dir, loglevel: 'info', ...sd,
    };
    return `${section('supervisord', opts)}\n${body}`;
  }

  writeConfig(body: string, sd: Options = this.sd): void {
    this.body = body;
    this.sd = sd;
    writeFileSync(this.conf, this.configText(body, sd));
  }

  /** Writes raw text as the config file (for broken configs). */
  writeRawConfig(text: string): void {
    writeFileSync(this.conf, text);
  }

  /** A path in the temp dir. */
  path(name: string): string {
    return join(this.dir, name);
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  get exited(): Exit | null {
    return this.exitInfo;
  }

  /** The last 20,000 characters the daemon wrote to its stdout and stderr. */
  get outputText(): string {
    return this.output;
  }

  /**
   * `stdoutFile`: the daemon's stdout is that file instead of a pipe to the test (a socket,
   * which a child cannot open as /dev/stdout: ENXIO); outputText then has only stderr.
   * `command`: what runs before `-c <conf>` (statevisord; `[REFERENCE]` for supervisord).
   */
  async start(waitStarted = true, args: string[] = [], stdoutFile?: string, command = [process.execPath, ...statevisordArgs()]): Promise<this> {
    live.add(this);
    const stdout = stdoutFile === undefined ? 'pipe' : openSync(stdoutFile, 'a');
    const child = spawn(command[0], [...command.slice(1), '-c', this.conf, ...args], {
      cwd: this.dir,
      detached: true,
      stdio: ['ignore', stdout, 'pipe'],
      env: { ...process.env, [TAG_VAR]: this.tag },
    });
    if (typeof stdout === 'number') closeSync(stdout);
    this.child = child;
    const keep = (d: Buffer) => { this.output = (this.output + d.toString('utf8')).slice(-20_000); };
    child.stdout?.on('data', keep);
    child.stderr!.on('data', keep);
    this.closed = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    if (waitStarted) await this.waitForLine(new RegExp(`^supervisord started with pid ${child.pid}$`));
    return this;
  }

  /** Every record of the main log so far. */
  lines(): LogLine[] {
    try {
      return parseLog(readFileSync(this.logfile, 'utf8'));
    } catch {
      return [];
    }
  }

  /** How many records the log has: pass it as `from` to wait only for later ones. */
  mark(): number {
    return this.lines().length;
  }

  /** Records whose message matches, from index `from` on. */
  matching(re: RegExp, from = 0): LogLine[] {
    return this.lines().filter((l) => l.index >= from && re.test(l.message));
  }

  describe(): string {
    const tail = this.lines().slice(-40).map((l) => `    ${l.text}${l.message.includes('\n') ? ' …' : ''}`).join('\n');
    const exit = this.exitInfo ? `\n  daemon exited: ${JSON.stringify(this.exitInfo)}` : '';
    const out = this.output.trim() && !this.output.includes('supervisord started') ? `\n  daemon output:\n${this.output.slice(-2000)}` : '';
    return `\n  main log (last 40 records):\n${tail}${exit}${out}`;
  }

  /** The first record (from `from` on) whose message matches `re`. */
  async waitForLine(re: RegExp, timeoutMs = 10_000, from = 0): Promise<LogLine> {
    return this.waitForLines(re, 1, timeoutMs, from).then((l) => l[0]);
  }

  /** The first `count` records (from `from` on) whose messages match `re`. */
  async waitForLines(re: RegExp, count: number, timeoutMs = 10_000, from = 0): Promise<LogLine[]> {
    return waitFor(`${count} × ${re} in the main log`, () => {
      const found = this.matching(re, from);
      if (found.length >= count) return found.slice(0, count);
      if (this.exitInfo) throw new Error(`the daemon exited while waiting for ${count} × ${re}${this.describe()}`);
      return undefined;
    }, timeoutMs, () => this.describe());
  }

  /** The pids of `spawned: 'name' with pid N`, in order. */
  spawnedPids(name: string, from = 0): number[] {
    const re = new RegExp(`^spawned: '${name}' with pid (\\d+)$`);
    return this.matching(re, from).map((l) => Number(re.exec(l.message)![1]));
  }

  /** The pid the n-th (0-based) `spawned: 'name'` line reports, waiting for it. */
  async spawned(name: string, n = 0, timeoutMs = 10_000, from = 0): Promise<number> {
    const lines = await this.waitForLines(new RegExp(`^spawned: '${name}' with pid \\d+$`), n + 1, timeoutMs, from);
    return Number(/pid (\d+)$/.exec(lines[n].message)![1]);
  }

  signal(sig: NodeJS.Signals): void {
    if (this.child?.pid && !this.exitInfo) process.kill(this.child.pid, sig);
  }

  /** Waits for the daemon to exit; on timeout kills its process group and fails. */
  async waitExit(timeoutMs = 15_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const detail = this.describe();
        this.killAll();
        reject(new Error(`the daemon did not exit within ${timeoutMs} ms${detail}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.closed, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `sig` (SIGTERM by default) and waits for the daemon to exit. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<Exit> {
    this.signal(sig);
    return this.waitExit(timeoutMs);
  }

  /** Live processes this daemon started, at any depth (the daemon itself left out). */
  leftovers(): number[] {
    return pidsTagged(this.tag).filter((p) => p !== this.pid);
  }

  private killAll(): void {
    if (this.child?.pid && !this.exitInfo) killQuietly(-this.child.pid);
    for (const pid of pidsTagged(this.tag)) {
      killQuietly(-pid);
      killQuietly(pid);
    }
  }

  /** Kills the daemon and everything it started, waits for them, removes the temp dir. */
  async cleanup(): Promise<void> {
    live.delete(this);
    try {
      this.killAll();
      if (this.child) await this.waitExit(5000);
      await waitFor(`the processes of daemon ${this.tag} to end`, () => {
        const left = pidsTagged(this.tag);
        for (const pid of left) killQuietly(pid);
        return left.length === 0;
      }, 5000);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** Writes the config and starts the daemon on it, waiting for `supervisord started`. */
export async function startDaemon(body: string, options: StartOptions = {}): Promise<Daemon> {
  const d = new Daemon(body, options.supervisord);
  try {
    return await d.start(options.waitStarted ?? true, options.args, undefined, options.command);
  } catch (e) {
    await d.cleanup();
    throw e;
  }
}

/** For `test.after.each`: clean up every daemon a test left running. */
export async function cleanupAll(): Promise<void> {
  for (const d of [...live]) await d.cleanup();
}

/** A file's text, or '' while it does not exist. */
export function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Waits until `path` holds a first line and returns it. */
export async function firstLineOf(path: string, timeoutMs = 10_000): Promise<string> {
  return waitFor(`a line in ${path}`, () => {
    const text = readText(path);
    const nl = text.indexOf('\n');
    return nl >= 0 ? text.slice(0, nl) : undefined;
  }, timeoutMs);
}

/** Milliseconds between two records, from their timestamps. */
export const gap = (a: LogLine, b: LogLine): number => b.time - a.time;
