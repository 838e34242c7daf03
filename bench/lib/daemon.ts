// One daemon under test, statevisord or supervisord, run in the foreground (nodaemon) on a
// config of its own in a temp dir. Its main log arrives on its stdout; each line is kept
// with the time it arrived (performance.now(), ms) and the time it carries (its asctime).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { statevisordArgs } from '../../scripts/statevisord-command.ts';
import { killAll, TAG_VAR } from './proc.ts';

export type Kind = 'statevisord' | 'supervisord';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUPERVISORD = '/usr/bin/supervisord';
const PROBE = join(ROOT, 'bench', 'lib', 'probe.mjs');

const PROBE_VAR = 'STATEVISOR_BENCH_PROBE';

/** One line of probe.mjs's output. */
export interface ProbeSample {
  label: string;
  rssKb: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, { size: number; used: number; committed: number }>;
}

export interface Line {
  /** performance.now() when the line was read. */
  t: number;
  /** Its asctime as epoch ms (local time, as both daemons write it). */
  stamp: number;
  level: string;
  text: string;
}

export interface StartOptions {
  kind: Kind;
  /** The config body after [supervisord]'s own lines (nodaemon, logfile, … are added). */
  programs: string;
  /** Node flags for statevisord, after bin/statevisord's own (STATEVISORD_FLAGS); ignored for supervisord. */
  nodeFlags?: string[];
  minfds?: number;
  minprocs?: number;
  /** statevisord only: preload probe.mjs, which reports memory on SIGWINCH (see probe()). */
  probe?: boolean;
  /** false: keep no lines (a long run), only wake waiters and count `tally`'s matches. */
  keepLines?: boolean;
  /** Lines to count in `tally`. */
  tally?: RegExp;
}

interface Waiter { test: (l: Line) => boolean; left: number; resolve: (l: Line) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

const LINE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) (\w+) (.*)$/;

let serial = 0;

export class Daemon {
  readonly lines: Line[] = [];
  /** How many lines matched StartOptions.tally. */
  tally = 0;
  readonly dir: string;
  readonly tag: string;
  readonly t0: number;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: string | null; t: number }>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<Waiter>();
  private stderr = '';
  private closed = false;

  constructor(readonly o: StartOptions) {
    this.dir = mkdtempSync(join(tmpdir(), `bench-${o.kind}-`));
    this.tag = `${process.pid}-${++serial}-${o.kind}`;
    const conf = join(this.dir, 'supervisord.conf');
    writeFileSync(conf, [
      '[supervisord]',
      'nodaemon = true',
      `logfile = ${this.dir}/main.log`,
      `pidfile = ${this.dir}/supervisord.pid`,
      `childlogdir = ${this.dir}`,
      ...(o.minfds === undefined ? [] : [`minfds = ${o.minfds}`]),
      ...(o.minprocs === undefined ? [] : [`minprocs = ${o.minprocs}`]),
      '',
      o.programs,
    ].join('\n'));
    const probe = o.kind === 'statevisord' && o.probe ? ['--import', PROBE] : [];
    const [file, args] = o.kind === 'statevisord'
      ? [process.execPath, [...statevisordArgs([...(o.nodeFlags ?? []), ...probe]), '-c', conf]]
      : [SUPERVISORD, ['-c', conf]];
    this.t0 = performance.now();
    this.child = spawn(file, args, {
      cwd: this.dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [TAG_VAR]: this.tag, ...(probe.length ? { [PROBE_VAR]: this.probeFile } : {}) },
    });
    if (this.child.pid === undefined) throw new Error(`could not start ${file}`);
    this.pid = this.child.pid;
    let partial = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const t = performance.now();
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const raw of parts) this.take(raw, t);
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        const t = performance.now();
        for (const w of this.waiters) { clearTimeout(w.timer); w.reject(new Error(`${o.kind} exited (${code ?? signal}) while waiting\n${this.tail()}`)); }
        this.waiters.clear();
        resolve({ code, signal, t });
      });
    });
  }

  private take(raw: string, t: number): void {
    const m = LINE.exec(raw);
    if (!m) return;
    const [, y, mo, d, h, mi, s, ms, level, text] = m;
    const line = { t, stamp: new Date(+y, +mo - 1, +d, +h, +mi, +s, +ms).getTime(), level, text };
    if (this.o.keepLines !== false) this.lines.push(line);
    if (this.o.tally?.test(text)) this.tally++;
    for (const w of this.waiters) {
      if (w.test(line) && --w.left === 0) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(line);
      }
    }
  }

  /** Resolves with the count-th line (counting lines already read) that passes test. */
  waitFor(test: RegExp | ((l: Line) => boolean), count: number, timeoutMs: number): Promise<Line> {
    const pass = typeof test === 'function' ? test : (l: Line) => test.test(l.text);
    const seen = this.lines.filter(pass);
    if (seen.length >= count) return Promise.resolve(seen[count - 1]);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        test: pass, left: count - seen.length, resolve, reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          reject(new Error(`${this.o.kind}: timed out after ${timeoutMs} ms waiting for ${count} × ${String(test)} (saw ${count - w.left})\n${this.tail()}`));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  count(test: RegExp): number {
    return this.lines.filter((l) => test.test(l.text)).length;
  }

  get probeFile(): string {
    return join(this.dir, 'probe.jsonl');
  }

  /** statevisord started with probe: its memory now, then after a full GC. */
  async probe(timeoutMs = 10000): Promise<{ idle: ProbeSample; gc: ProbeSample }> {
    const before = existsSync(this.probeFile) ? readFileSync(this.probeFile, 'utf8').split('\n').filter(Boolean).length : 0;
    this.signal('SIGWINCH');
    for (const until = performance.now() + timeoutMs; performance.now() < until;) {
      await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(this.probeFile)) continue;
      const lines = readFileSync(this.probeFile, 'utf8').split('\n').filter(Boolean);
      if (lines.length >= before + 2) {
        const [idle, gc] = lines.slice(before, before + 2).map((l) => JSON.parse(l) as ProbeSample);
        return { idle, gc };
      }
    }
    throw new Error(`${this.o.kind}: no probe output in ${timeoutMs} ms`);
  }

  signal(sig: NodeJS.Signals): void {
    process.kill(this.pid, sig);
  }

  tail(): string {
    const last = this.lines.slice(-5).map((l) => `  | ${l.level} ${l.text}`);
    const err = this.stderr.trim().split('\n').slice(-5).map((l) => `  ! ${l}`);
    return [...last, ...err].join('\n');
  }

  /** Kill the daemon and everything it started; remove its dir. Safe to call twice. */
  close(keepDir = false): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters) clearTimeout(w.timer);
    killAll(this.tag, this.pid);
    // A SIGKILLed statevisord leaves its FIFO directory (runtime/pipes.ts) behind.
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith(`statevisor-pipes-${this.pid}-`)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

const live = new Set<Daemon>();

/** Start a daemon that is killed, with all it started, when the bench exits in any way. */
export function start(o: StartOptions): Daemon {
  const d = new Daemon(o);
  live.add(d);
  return d;
}

export function closeAll(): void {
  for (const d of live) d.close();
  live.clear();
}

let armed = false;
export function armCleanup(): void {
  if (armed) return;
  armed = true;
  process.on('exit', closeAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      closeAll();
      process.exit(130);
    });
  }
}

/** Run fn with a fresh daemon; kill it and its children afterwards whatever happens. */
export async function withDaemon<T>(o: StartOptions, fn: (d: Daemon) => Promise<T>): Promise<T> {
  const d = start(o);
  try {
    return await fn(d);
  } finally {
    d.close();
    live.delete(d);
  }
}
