// The death signal's race: setpriv sets PR_SET_PDEATHSIG in the child after the fork, so a
// daemon that dies in between has orphaned the child already and the kernel sends nothing.
// The launch then has the child check its parent and signal itself. Here the launch runs
// under a shell instead of the daemon, as an orphan would be re-parented: the program
// must never run, and the child ends by the death signal.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { planLaunch, SETPRIV } from '../../src/runtime/launch.ts';
import { suite } from '../harness.ts';
import { program } from './helpers.ts';

const test = suite('runtime/death-signal race');
let dir = '';
test.before.each(() => { dir = mkdtempSync(join(tmpdir(), 'pdeathsig-')); });
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

/** The launch of create-file.sh <dir>/ran, run by `runner` (argv before the launch's own). */
function launch(runner: string[], deathSignal: NodeJS.Signals | null) {
  const marker = join(dir, 'ran');
  const l = planLaunch({
    filename: program('create-file.sh'), argv: ['create-file.sh', marker], directory: null, user: null, deathSignal, ignorePipeSignals: true,
  });
  const r = spawnSync(runner[0], [...runner.slice(1), l.file, ...l.args], { encoding: 'utf8', timeout: 10_000 });
  // The runner's last line of stderr is the launch's exit status (a shell may say `Terminated` first).
  return { ran: existsSync(marker), status: r.status, stderr: r.stderr, exit: r.stderr.trim().split('\n').at(-1) };
}

// `sh -c '"$@" & wait $!; echo $?'`: the launch's parent is that shell, not this process.
const UNDER_ANOTHER_PARENT = ['/bin/sh', '-c', '"$@" & wait $!; echo $? >&2', 'sh'];

if (SETPRIV === null) {
  console.warn('\n*** SKIPPED runtime/death-signal race: setpriv is not installed ***\n');
  test.skip('setpriv', () => {});
} else {
  test('a child whose parent is no longer the daemon signals itself before the program runs', () => {
    const r = launch(UNDER_ANOTHER_PARENT, 'SIGTERM');
    assert.is(r.ran, false, 'the program did not run');
    assert.is(r.exit, String(128 + 15), 'the child ended by SIGTERM');
  });

  test('with the daemon as its parent the program runs', () => {
    const r = launch(['/usr/bin/env'], 'SIGTERM');
    assert.is(r.status, 0, r.stderr);
    assert.is(r.ran, true);
  });

  test('without a death signal no check runs: the program runs under any parent', () => {
    const r = launch(UNDER_ANOTHER_PARENT, null);
    assert.is(r.ran, true);
    assert.is(r.exit, '0');
  });
}

test.run();
