// The FIFO directories of pipes.ts: a new daemon removes those its dead predecessors left,
// but only in its own pid namespace, where their pids mean something. A daemon in a
// container (or `unshare --pid`) sharing /tmp must not take a running daemon's FIFOs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { PREFIX } from '../../src/runtime/pipes.ts';
import { suite } from '../harness.ts';

const test = suite('runtime/pipes', {}, 30_000);

/** A pid no process has: above the kernel's pid_max. */
const DEAD = 4_194_304 + 1;
const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))![1];

test("a new process sweeps the FIFO directory of a dead pid of its own namespace, not another namespace's", () => {
  const ours = join(tmpdir(), `${PREFIX}${DEAD}-${ns}-test`);
  const theirs = join(tmpdir(), `${PREFIX}${DEAD}-1${ns}-test`);
  for (const d of [ours, theirs]) mkdirSync(d, { recursive: true });
  try {
    const script = "import { makePipe } from './src/runtime/pipes.ts'; makePipe(null);";
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '../..') });
    assert.not.ok(existsSync(ours), 'the dead daemon of this namespace left nothing behind');
    assert.ok(existsSync(theirs), "another namespace's directory is left alone");
  } finally {
    for (const d of [ours, theirs]) rmSync(d, { recursive: true, force: true });
  }
});

test.run();
