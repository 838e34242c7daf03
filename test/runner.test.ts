import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { suite } from './harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function runRunner(fixture: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test.ts', '--no-typecheck', '--dir', `test/fixtures/runner/${fixture}`, '--pattern', '\\.suite\\.ts$', '--file-timeout', '20000'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, STATEVISOR_EXIT_GRACE_MS: '500' },
  });
  const lines = r.stdout.trimEnd().split('\n');
  return { code: r.status, last: lines[lines.length - 1], out: r.stdout };
}

const runner = suite('test runner', {}, 30_000);

runner('a passing suite exits 0 and counts its tests', () => {
  const r = runRunner('passing');
  assert.is(r.last, '2 passed, 0 failed, 0 skipped');
  assert.is(r.code, 0);
});

runner('a failing test fails the run', () => {
  const r = runRunner('failing');
  assert.is(r.last, '1 passed, 1 failed, 0 skipped');
  assert.is(r.code, 1);
});

runner('a throwing hook fails the run although uvu exits 0', () => {
  const r = runRunner('hook-throws');
  assert.is(r.last, '0 passed, 2 failed, 0 skipped');
  assert.is(r.code, 1);
});

runner('a test past its timeout fails, and so does the handle it leaves open', () => {
  const r = runRunner('hanging');
  assert.match(r.out, 'test "hangs" timed out after 500 ms');
  assert.match(r.out, 'OPEN HANDLES');
  assert.is(r.last, '1 passed, 1 failed, 0 skipped');
  assert.is(r.code, 1);
});

runner('no test at all fails the run', () => {
  const r = runRunner('empty');
  assert.match(r.out, 'no test ran');
  assert.is(r.last, '0 passed, 0 failed, 0 skipped');
  assert.is(r.code, 1);
});

runner.run();
