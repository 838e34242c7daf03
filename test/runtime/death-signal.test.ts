// deathSignal: a child that dies with the daemon. The "daemon" here is a separate Node
// process running startChild, which the test SIGKILLs as an OOM killer would.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { PREFIX } from '../../src/runtime/pipes.ts';
import { suite } from '../harness.ts';
import { alive, collect, finish, firstLine, killQuietly, program, start, waitUntilGone } from './helpers.ts';

const test = suite('runtime/death-signal');
const CHILD_TS = fileURLToPath(new URL('../../src/runtime/child.ts', import.meta.url));

/** A Node process that starts sleep-forever.sh through startChild and prints its pid. */
function daemon(deathSignal: string | null): ChildProcess {
  const code = `
    import { startChild } from ${JSON.stringify(CHILD_TS)};
    const h = startChild({ name: 'orphan', filename: ${JSON.stringify(program('sleep-forever.sh'))}, argv: ['sleep-forever.sh'],
      env: { PATH: '/usr/bin:/bin' }, deathSignal: ${JSON.stringify(deathSignal)} });
    console.log(h.pid);`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Starts the daemon, reads its child's pid, SIGKILLs the daemon and waits for its end. */
async function orphanAfterKill(deathSignal: string | null): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = daemon(deathSignal);
  const gone = new Promise((resolve) => parent.once('exit', resolve));
  try {
    if (!parent.stdout) throw new Error('no stdout pipe');
    return { pid: Number(await firstLine(parent.stdout)), parent };
  } finally {
    parent.kill('SIGKILL');
    await gone;
    // What the killed daemon could not remove: its FIFO directory.
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith(`${PREFIX}${parent.pid}-`)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

test('with deathSignal: SIGKILL the parent, and its child gets SIGTERM and dies', async () => {
  let pid: number | undefined;
  let parent: ChildProcess | undefined;
  try {
    ({ pid, parent } = await orphanAfterKill('SIGTERM'));
    await waitUntilGone(pid);
  } finally {
    killQuietly(pid);
    parent?.kill('SIGKILL');
  }
});

test('without it (supervisor\'s behaviour) the child outlives the parent', async () => {
  let pid: number | undefined;
  let parent: ChildProcess | undefined;
  try {
    ({ pid, parent } = await orphanAfterKill(null));
    assert.ok(alive(pid), 'the orphan is still running');
  } finally {
    killQuietly(pid);
    parent?.kill('SIGKILL');
  }
});

test('the wrapper keeps pid, pipes and exit reporting intact', async () => {
  const child = start(`${program('exit-after.sh')} 4 0`, { deathSignal: 'SIGTERM' });
  try {
    const [out, exit] = await Promise.all([collect(child.stdout), child.exited]);
    assert.is(out, '');
    assert.is(exit.code, 4);
  } finally {
    await finish(child);
  }
});

test.run();
