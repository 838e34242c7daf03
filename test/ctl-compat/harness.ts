// The control-plane compatibility harness: one configuration served by supervisord and by
// statevisord (each twice, in its own dir), every step of a script run through
// supervisorctl against one of each and statevisorctl against the other of each, over a
// unix socket (the [supervisorctl] section) or over TCP with basic auth (-s -u -p). The
// four transcripts, normalised, must be the same: supervisorctl on supervisord is the
// reference for the other three.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../daemon/helpers.ts';
import { call } from '../../src/ctl/rpc-client.ts';
import { referenceMissing, Side, type SideName } from '../compat/daemons.ts';
import { suite } from '../harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PROGRAMS = fileURLToPath(new URL('../fixtures/programs/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/ctl/', import.meta.url));
export const SUPERVISORCTL = '/usr/bin/supervisorctl';
export const STATEVISORCTL = join(ROOT, 'bin/statevisorctl');
export type ClientName = 'supervisorctl' | 'statevisorctl';
export type Transport = 'unix' | 'tcp';

export const USER = 'chris';
export const PASSWORD = 's3cr3t:x';

/** Why the reference cannot run here, or null. */
export function missing(): string | null {
  if (!existsSync(SUPERVISORCTL)) return `${SUPERVISORCTL} is not installed (apt-get install supervisor)`;
  return referenceMissing();
}


export interface Result { stdout: string; stderr: string; code: number | null }

/** A client process under way: its output so far, waits on it, Ctrl-C, its end. */
export class ClientRun {
  stdout = '';
  stderr = '';
  readonly child: ChildProcess;
  readonly done: Promise<Result>;

  constructor(client: ClientName, args: string[], cwd: string, stdin: 'pipe' | 'ignore' = 'ignore') {
    const [cmd, argv] = client === 'supervisorctl' ? [SUPERVISORCTL, args] : [process.execPath, [STATEVISORCTL, ...args]];
    this.child = spawn(cmd, argv, { cwd, stdio: [stdin, 'pipe', 'pipe'], env: { ...process.env, LANG: 'C.UTF-8' } });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.done = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve({ stdout: this.stdout, stderr: this.stderr, code: code ?? (signal ? -1 : null) }));
    });
  }

  /** Waits until stdout matches `re`; fails with what came instead. */
  async waitFor(re: RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!re.test(this.stdout)) {
      if (this.child.exitCode !== null) throw new Error(`client exited before ${re}: ${JSON.stringify(this.stdout + this.stderr)}`);
      if (Date.now() > deadline) throw new Error(`no ${re} within ${timeoutMs} ms: ${JSON.stringify(this.stdout + this.stderr)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Ctrl-C as a terminal sends it (to a client without a tty: SIGINT). */
  interrupt(): void {
    this.child.kill('SIGINT');
  }

  // supervisord answers clearAllProcessLogs one process per turn of its 1-s loop.
  async finish(timeoutMs = 60_000): Promise<Result> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Result>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve({ stdout: this.stdout, stderr: `${this.stderr}\n[killed after ${timeoutMs} ms]`, code: null });
      }, timeoutMs);
    });
    return Promise.race([this.done, late]).finally(() => clearTimeout(timer));
  }
}

/** One daemon with one client: a column of the comparison. */
export class Combo {
  side: Side | null = null;
  readonly dir: string;
  readonly port: Promise<number>;

  constructor(readonly daemon: SideName, readonly client: ClientName, base: string, private readonly configText: (c: Combo, port: number) => string) {
    this.dir = join(base, `${daemon}-${client}`);
    mkdirSync(this.dir);
    this.port = freePort();
  }

  get label(): string {
    return `${this.client} → ${this.daemon}`;
  }

  get conf(): string {
    return join(this.dir, 'supervisord.conf');
  }

  get socket(): string {
    return join(this.dir, 'sv.sock');
  }

  /** Writes the configuration (the text the scenario makes for this dir). */
  async writeConfig(text?: string): Promise<void> {
    writeFileSync(this.conf, text ?? this.configText(this, await this.port));
  }

  async start(): Promise<void> {
    await this.writeConfig();
    this.side = new Side(this.daemon, this.dir, this.conf);
    await this.settled();
  }

  /** The daemon answers and no process is STARTING, BACKOFF or STOPPING. */
  async settled(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const endpoint = { serverurl: `unix://${this.socket}`, username: null, password: null };
    for (;;) {
      try {
        const infos = (await call(endpoint, 'supervisor.getAllProcessInfo')) as { statename: string }[];
        if (!infos.some((i) => ['STARTING', 'BACKOFF', 'STOPPING'].includes(i.statename))) return;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) throw new Error(`${this.daemon} in ${this.dir} did not settle: ${this.side?.diagnostics}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The client's arguments that pick a transport. */
  async via(transport: Transport): Promise<string[]> {
    return transport === 'unix'
      ? ['-c', this.conf]
      : ['-s', `http://127.0.0.1:${await this.port}`, '-u', USER, '-p', PASSWORD];
  }

  run(args: string[], stdin: 'pipe' | 'ignore' = 'ignore'): ClientRun {
    return new ClientRun(this.client, args, this.dir, stdin);
  }

  async stop(): Promise<void> {
    await this.side?.kill();
  }
}

/**
 * Commands whose results supervisord lists in the order its deferred per-process calls
 * finish (make_allfunc), which is timing, not a contract: their lines are compared sorted.
 */
const UNORDERED = /^(start|stop|restart) /;

/** Pids, uptimes, stop times, the combo's dir and the program's name made equal. */
export function normalise(text: string, c: Combo): string {
  return text
    .split(c.dir).join('<dir>')
    .replace(/pid \d+, uptime \d+:\d\d:\d\d/g, 'pid N, uptime U')
    .replace(/\bpid \d+/g, 'pid N')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/\b[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M\b/g, 'TIME')
    .replace(/^((?:supervisor> )*)\d+$/gm, '$1N')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}/g, 'STAMP')
    .replace(/\/usr\/bin\/supervisorctl|statevisorctl/g, 'CTL');
}

export interface Transcript { label: string; steps: { step: string; result: Result }[] }

/** The four combos of one scenario, in one temp dir; `stop` kills all and removes it. */
export class Quad {
  readonly base = mkdtempSync(join(tmpdir(), 'ctl-compat-'));
  readonly combos: Combo[];

  constructor(configText: (c: Combo, port: number) => string) {
    this.combos = (['supervisord', 'statevisord'] as const).flatMap((d) =>
      (['supervisorctl', 'statevisorctl'] as const).map((cl) => new Combo(d, cl, this.base, configText)));
  }

  start(): Promise<void[]> {
    return Promise.all(this.combos.map((c) => c.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.combos.map((c) => c.stop()));
    if (process.env.STATEVISOR_COMPAT_KEEP) console.log(`ctl-compat: kept ${this.base}`);
    else rmSync(this.base, { recursive: true, force: true });
  }

  /** Runs `drive` on all four at once; each returns its transcript of normalised results. */
  async each(drive: (c: Combo, record: (step: string, r: Result) => void) => Promise<void>): Promise<Transcript[]> {
    return Promise.all(this.combos.map(async (c) => {
      const steps: Transcript['steps'] = [];
      const record = (step: string, r: Result) => {
        const line = step.replace(/^\[\w+\] /, '');
        const sorted = (t: string) => (UNORDERED.test(line) ? t.split('\n').sort().join('\n') : t);
        // STATEVISOR_CTL_TRACE=1 shows each step as it ends, to see where a scenario stalls.
        if (process.env.STATEVISOR_CTL_TRACE) console.log(`${new Date().toISOString()} ${c.label} ${step} → ${JSON.stringify(r)}`);
        steps.push({ step, result: { stdout: sorted(normalise(r.stdout, c)), stderr: normalise(r.stderr, c), code: r.code } });
      };
      try {
        await drive(c, record);
      } catch (e) {
        record('(driver failed)', { stdout: '', stderr: (e as Error).message, code: null });
      }
      return { label: c.label, steps };
    }));
  }
}

export interface Step {
  transport: Transport;
  line: string;
  /** Input for the shell: the step runs the client without a command, this on its stdin. */
  stdin?: string;
  /** Done to the combo first (a new configuration to read). */
  before?: (c: Combo) => Promise<void>;
}

/**
 * The steps over alternate transports, unix first: each command of a script appears at
 * least twice, so every command runs over both (`uncovered` checks that it does).
 */
export const alternate = (lines: string[]): Step[] => lines.map((line, i) => ({ transport: i % 2 ? 'tcp' : 'unix', line }));

/** Command words of `steps` (shell sessions aside) that did not run over both transports. */
export function uncovered(steps: Step[]): string[] {
  const seen = new Map<string, Set<Transport>>();
  for (const s of steps.filter((x) => x.stdin === undefined)) {
    const word = s.line.split(' ')[0] ?? '';
    if (!seen.has(word)) seen.set(word, new Set());
    seen.get(word)!.add(s.transport);
  }
  return [...seen].filter(([, t]) => t.size < 2).map(([w]) => w);
}

/** Plays `steps` one after the other; a step with stdin runs the shell on that input. */
export async function script(c: Combo, steps: Step[], record: (step: string, r: Result) => void, settle = true): Promise<void> {
  for (const step of steps) {
    await step.before?.(c);
    const run = c.run([...(await c.via(step.transport)), ...step.line.split(' ').filter(Boolean)], step.stdin === undefined ? 'ignore' : 'pipe');
    if (step.stdin !== undefined) run.child.stdin!.end(step.stdin);
    record(`[${step.transport}] ${step.line}${step.stdin === undefined ? '' : ` <<< ${JSON.stringify(step.stdin)}`}`, await run.finish());
    // A command that changes processes leaves them settled before the next one looks.
    if (settle) await c.settled();
  }
}

/** The lines where two texts part, each side's line shown. */
function lineDiff(a: string, b: string): string {
  const [x, y] = [a.split('\n'), b.split('\n')];
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) out.push(`    line ${i + 1}: reference ${JSON.stringify(x[i])}\n            this      ${JSON.stringify(y[i])}`);
  }
  return out.join('\n');
}

/** Every step where a transcript differs from the reference (the first), readably. */
export function differences(transcripts: Transcript[]): string[] {
  const [ref, ...others] = transcripts;
  const out: string[] = [];
  for (const t of others) {
    const n = Math.max(ref!.steps.length, t.steps.length);
    for (let i = 0; i < n; i++) {
      const a = ref!.steps[i];
      const b = t.steps[i];
      if (JSON.stringify(a) === JSON.stringify(b)) continue;
      const [ra, rb] = [a?.result ?? { stdout: '', stderr: '', code: null }, b?.result ?? { stdout: '', stderr: '', code: null }];
      const parts = [`${t.label}, step ${i} ${a?.step ?? b?.step}:`];
      if (ra.code !== rb.code) parts.push(`  exit status: reference ${ra.code}, this ${rb.code}`);
      if (ra.stdout !== rb.stdout) parts.push(`  stdout:\n${lineDiff(ra.stdout, rb.stdout)}`);
      if (ra.stderr !== rb.stderr) parts.push(`  stderr:\n${lineDiff(ra.stderr, rb.stderr)}`);
      out.push(parts.join('\n'));
    }
  }
  return out;
}

/** Fails listing every difference (uvu's diff of a long array is unreadable). */
export function assertSame(transcripts: Transcript[]): void {
  const diffs = differences(transcripts);
  if (diffs.length) throw new Error(`${diffs.length} differences from supervisorctl → supervisord:\n${diffs.join('\n')}`);
}

/** The reference's result of a step (its first or last run), for assertions on what the scenario exercised. */
export function reference(transcripts: Transcript[], step: string, which: 'first' | 'last' = 'first'): Result {
  const runs = transcripts[0]!.steps.filter((s) => s.step === step);
  const found = which === 'first' ? runs[0] : runs.at(-1);
  if (!found) throw new Error(`no step ${step}`);
  return found.result;
}

/**
 * A suite of one test: `drive` on all four combos of `config` at once, the transcripts
 * compared, then `check` on them (what the scenario must have exercised). Skips loudly
 * without the reference.
 */
export function fourWay(name: string, config: (c: Combo, port: number) => string, drive: (c: Combo, record: (step: string, r: Result) => void) => Promise<void>, check: (t: Transcript[]) => void): void {
  const test = suite(`ctl-compat: ${name}`, {}, 420_000);
  const why = missing();
  if (why) {
    console.warn(`\n*** SKIPPED ctl-compat ${name}: ${why} ***\n`);
    test.skip('four transcripts agree', () => {});
  } else {
    test('four transcripts agree, over a unix socket and over TCP with auth', async () => {
      const quad = new Quad(config);
      try {
        await quad.start();
        const transcripts = await quad.each(drive);
        assertSame(transcripts);
        check(transcripts);
      } finally {
        await quad.stop();
      }
    });
  }
  test.run();
}
