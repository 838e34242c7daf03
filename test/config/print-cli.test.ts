// `statevisord --print-config -c FILE` and statevisord's handling of a bad configuration, run as the
// user runs them: `node bin/statevisord`, which executes the compiled dist/ (the test command builds
// it before running the suites).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { printConfig } from '../../src/config/print.ts';
import { suite } from '../harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/config');
const GOOD = join(FIXTURES, 'program-defaults.conf');
const BAD = join(FIXTURES, 'error-bad-loglevel.conf');
const BAD_MESSAGE = "bad logging level name 'warning'";

function statevisord(...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist/src/daemon.js')), 'dist/ is not built: run `npm run build` (the test command builds it)');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/statevisord'), ...args], { cwd: FIXTURES, encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function parsed(stdout: string): { ok: boolean; error?: string } {
  try {
    return JSON.parse(stdout) as { ok: boolean; error?: string };
  } catch {
    throw new assert.Assertion({ message: `stdout is not JSON: ${JSON.stringify(stdout.slice(0, 300))}`, operator: 'JSON.parse', actual: stdout, expects: 'JSON' });
  }
}

const test = suite('config: statevisord --print-config', {}, 30_000);

test('--print-config prints an accepted file as JSON with ok true and exits 0', () => {
  const r = statevisord('--print-config', '-c', GOOD);
  assert.is(r.code, 0, r.stderr);
  const json = parsed(r.stdout);
  assert.is(json.ok, true);
  assert.equal(json, JSON.parse(printConfig(GOOD, { env: process.env, cwd: FIXTURES })), 'the CLI prints what printConfig returns');
});

test('--print-config prints a rejected file as JSON with ok false and the error, and still exits 0', () => {
  const r = statevisord('--print-config', '-c', BAD);
  assert.is(r.code, 0, r.stderr);
  assert.equal(parsed(r.stdout), { ok: false, error: BAD_MESSAGE });
});

test('without --print-config a rejected file is a usage error: two lines on stderr and exit 2', () => {
  // supervisor's Options.usage(): "Error: <msg>\nFor help, use <argv[0]> -h\n" and exit(2). The real
  // supervisord names itself by argv[0] ("/usr/bin/supervisord"); statevisord by its plain name.
  const r = statevisord('-c', BAD);
  assert.is(r.code, 2);
  assert.is(r.stderr, `Error: ${BAD_MESSAGE}\nFor help, use statevisord -h\n`);
  assert.is(r.stdout, '');
});

test.run();
