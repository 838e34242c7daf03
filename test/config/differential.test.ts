// Differential test of the config loader: every .conf of Debian's supervisor test fixtures and of
// test/fixtures/config/ is read by the reference (shared/tools/supervisor-config-oracle, Python
// supervisor 4.2.5) and by our printConfig(), and the two JSON documents must be equal. Rejected
// files must fail with the very same error text, except the few listed in ERROR_TEXT_MAY_DIFFER.
//
// Both sides get the same inputs:
//   * the file as an absolute path (supervisor puts it in error messages and derives %(here)s from it);
//   * the environment TEST_ENV and nothing else, so %(ENV_X)s, the "Available names: ..." list of
//     expansion errors, `~` (HOME) and the default childlogdir (TMPDIR) do not depend on the machine;
//   * the working directory FIXTURES, against which relative paths are checked and resolved
//     (supervisord-relative-paths.conf, error-pidfile-directory-missing.conf, unix-http-server.conf).
// Files named part-* are include targets only and are not read on their own.
//
// Where the oracle or Debian's supervisor module is missing, every case is registered as skipped and
// a warning says so: the suite never passes without having compared anything.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { printConfig } from '../../src/config/print.ts';
import { suite } from '../harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/config');
const SUPERVISOR_FIXTURES = '/usr/lib/python3/dist-packages/supervisor/tests/fixtures';
const BATCHES = 2;
const ORACLE_TIMEOUT_MS = 60_000;

/** The whole environment of both sides (see the header). */
const TEST_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/tmp',
  TMPDIR: '/tmp',
  // A UTF-8 locale for Python's file decoding. Without LC_ALL/LANG, Python 3.7+ coerces the C locale
  // and *adds* LC_CTYPE=C.UTF-8 to its own os.environ (PEP 538), which would add an ENV_LC_CTYPE
  // expansion on the oracle's side only.
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  STATEVISOR_TEST_VAR: 'from-the-environment',
  STATEVISOR_TEST_NUMBER: '7',
  STATEVISOR_TEST_COLON: 'a:b',
};

/**
 * Fixtures whose error text cannot be reproduced, each with the reason. For these only, both sides
 * must reject the file, with any message.
 */
const ERROR_TEXT_MAY_DIFFER: Record<string, string> = {
  'error-rpcinterface-malformed-factory.conf':
    "the text comes from Python's pkg_resources.EntryPoint.parse (a tuple repr of its own format message): Python-only import machinery",
};

/**
 * Signal numbers by name, from Python's `signal` module on Linux (every attribute starting with SIG).
 * The oracle's header promises numbers, but it deviates from its own header: a stopsignal given by
 * name comes out as the name of Python's Signals/Handlers/Sigmasks enum ("SIGTERM", "SIGABRT" for
 * IOT, "SIG_DFL" for _dfl), and only a stopsignal given as a number comes out as a number. We
 * normalise the oracle's side with this table; our side must print numbers.
 */
const PYTHON_SIGNAL_NUMBERS: Record<string, number> = {
  SIGABRT: 6, SIGALRM: 14, SIGBUS: 7, SIGCHLD: 17, SIGCLD: 17, SIGCONT: 18, SIGFPE: 8, SIGHUP: 1,
  SIGILL: 4, SIGINT: 2, SIGIO: 29, SIGIOT: 6, SIGKILL: 9, SIGPIPE: 13, SIGPOLL: 29, SIGPROF: 27,
  SIGPWR: 30, SIGQUIT: 3, SIGRTMAX: 64, SIGRTMIN: 34, SIGSEGV: 11, SIGSTKFLT: 16, SIGSTOP: 19,
  SIGSYS: 31, SIGTERM: 15, SIGTRAP: 5, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGUSR1: 10,
  SIGUSR2: 12, SIGVTALRM: 26, SIGWINCH: 28, SIGXCPU: 24, SIGXFSZ: 25,
  SIG_BLOCK: 0, SIG_DFL: 0, SIG_IGN: 1, SIG_SETMASK: 2, SIG_UNBLOCK: 1,
};

interface Case {
  /** Test title: the path under test/fixtures/config, or `supervisor:<path>` for Debian's fixtures. */
  name: string;
  file: string;
  /** Whether the file is ours, so that its name says whether the reference must accept it. */
  ours: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Outcome = { ok: true; [key: string]: Json } | { ok: false; error: string };

function confFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...confFiles(path));
    else if (entry.endsWith('.conf') && !entry.startsWith('part-')) out.push(path);
  }
  return out;
}

/**
 * The oracle this project was given (shared/tools/supervisor-config-oracle), kept beside
 * this test so a fresh clone compares without it; STATEVISOR_ORACLE points at another.
 */
function findOracle(): string {
  return process.env.STATEVISOR_ORACLE ?? join(ROOT, 'test/config/supervisor-config-oracle.py');
}

/** Why the oracle cannot run here, or null when it answers correctly on a trivial file. */
function oracleProblem(oracle: string): string | null {
  try {
    accessSync(oracle, constants.X_OK);
  } catch {
    return `the oracle ${oracle} is missing or not executable (set STATEVISOR_ORACLE to its path)`;
  }
  const probe = spawnSync(oracle, [join(FIXTURES, 'minimal.conf')], { cwd: FIXTURES, env: TEST_ENV, encoding: 'utf8', timeout: ORACLE_TIMEOUT_MS });
  if (probe.status !== 0) {
    const why = (probe.stderr || String(probe.error ?? '')).trim();
    return `the oracle ${oracle} does not run (exit ${probe.status}): ${why || 'no message'} (it needs Debian's supervisor package: apt-get install -y supervisor)`;
  }
  try {
    if ((JSON.parse(probe.stdout) as Outcome).ok !== true) return `the oracle ${oracle} rejects minimal.conf: ${probe.stdout.trim()}`;
  } catch {
    return `the oracle ${oracle} prints no JSON: ${probe.stdout.slice(0, 200)}`;
  }
  return null;
}

/** The oracle's answers for many files at once, through test/config/oracle-batch.py. */
function runOracleBatch(oracle: string, files: string[]): Promise<Map<string, Outcome | Error>> {
  return new Promise((resolvePromise, reject) => {
    const batch = join(ROOT, 'test/config/oracle-batch.py');
    const child = spawn('/usr/bin/python3', [batch, oracle, ...files], { cwd: FIXTURES, env: TEST_ENV, stdio: ['ignore', 'pipe', 'pipe'], timeout: ORACLE_TIMEOUT_MS });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const lines = out.split('\n').filter(Boolean);
      if (code !== 0 || lines.length !== files.length) {
        return reject(new Error(`oracle batch exited ${code ?? signal} after ${lines.length} of ${files.length} files: ${err.trim()}`));
      }
      const results = new Map<string, Outcome | Error>();
      files.forEach((file, i) => {
        const answer = JSON.parse(lines[i]) as Outcome | { oracle_failed: string };
        results.set(file, 'oracle_failed' in answer ? new Error(`the oracle failed on ${file}: ${answer.oracle_failed}`) : normaliseOracle(answer));
      });
      resolvePromise(results);
    });
  });
}

/** The oracle's output with stopsignal names turned into numbers (see PYTHON_SIGNAL_NUMBERS). */
function normaliseOracle(outcome: Outcome): Outcome {
  if (!outcome.ok || !Array.isArray(outcome.groups)) return outcome;
  for (const group of outcome.groups) {
    const processes = (group as { processes?: Json }).processes;
    if (!Array.isArray(processes)) continue;
    for (const proc of processes as { stopsignal?: Json }[]) {
      const sig = proc.stopsignal;
      if (typeof sig === 'string' && sig in PYTHON_SIGNAL_NUMBERS) proc.stopsignal = PYTHON_SIGNAL_NUMBERS[sig];
    }
  }
  return outcome;
}

// ---- the cases ----

const cases: Case[] = confFiles(FIXTURES).map((file) => ({ name: relative(FIXTURES, file), file, ours: true }));
const problems: string[] = [];
if (existsSync(SUPERVISOR_FIXTURES)) {
  cases.push(...confFiles(SUPERVISOR_FIXTURES).map((file) => ({ name: `supervisor:${relative(SUPERVISOR_FIXTURES, file)}`, file, ours: false })));
} else {
  problems.push(`Debian's supervisor test fixtures are not installed at ${SUPERVISOR_FIXTURES} (apt-get install -y supervisor)`);
}
const oracle = findOracle();
const oracleIssue = oracleProblem(oracle);
if (oracleIssue) problems.push(oracleIssue);

for (const name of Object.keys(ERROR_TEXT_MAY_DIFFER)) {
  if (!cases.some((c) => c.name === name)) throw new Error(`ERROR_TEXT_MAY_DIFFER names ${name}, which is not a fixture`);
}

/** The oracle's answer per file, or why there is none; filled in by the before hook. */
const expected = new Map<string, Promise<Outcome | Error>>();
const test = suite('config: printConfig agrees with supervisor 4.2.5', {}, 120_000);

if (problems.length) {
  for (const p of problems) console.warn(`\n  !!! CONFIG DIFFERENTIAL TEST SKIPPED: ${p}\n`);
  if (!existsSync(SUPERVISOR_FIXTURES)) test.skip('supervisor: its own fixtures (not installed)', () => {});
  for (const c of cases) test.skip(c.name, () => {});
} else {
  // One Python process per batch, BATCHES batches side by side; each test awaits its own answer.
  test.before(() => {
    const size = Math.ceil(cases.length / BATCHES);
    for (let i = 0; i < cases.length; i += size) {
      const files = cases.slice(i, i + size).map((c) => c.file);
      const answers = runOracleBatch(oracle, files);
      for (const file of files) expected.set(file, answers.then((m) => m.get(file) ?? new Error(`no answer for ${file}`), (e: Error) => e));
    }
  });

  for (const c of cases) {
    test(c.name, async () => {
      const want = await expected.get(c.file);
      if (want === undefined) throw new Error(`no oracle result for ${c.file}`);
      if (want instanceof Error) throw want;
      if (c.ours) {
        // The corpus itself: a fixture's name says whether supervisor must reject it.
        const shouldFail = /^error-/.test(c.name.split('/').pop()!);
        assert.is(want.ok, !shouldFail, `the reference ${want.ok ? 'accepts' : 'rejects'} ${c.name}${want.ok ? '' : `: ${want.error}`}`);
      }
      const got = JSON.parse(printConfig(c.file, { env: { ...TEST_ENV }, cwd: FIXTURES })) as Outcome;
      const lenient = ERROR_TEXT_MAY_DIFFER[c.name];
      if (lenient !== undefined && !want.ok) {
        assert.is(got.ok, false, `supervisor rejects ${c.name}, so must we (the text may differ: ${lenient})`);
        return;
      }
      if (!want.ok && !got.ok) return assert.is(got.error, want.error);
      // statevisor's own keys stand apart, where supervisor's schema has none.
      const { statevisor, ...supervisors } = got as Outcome & { statevisor?: unknown };
      assert.ok(!got.ok || typeof statevisor === 'object', 'the statevisor key is there');
      assert.equal(supervisors, want);
    });
  }
}

test.run();
