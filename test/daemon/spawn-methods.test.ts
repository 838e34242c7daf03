// The daemon on each way of starting children: posix_spawn with pipe2 (the default) and
// the fallback, Node's child_process with FIFOs (STATEVISOR_SPAWN=node, what runs where
// libc cannot be loaded). The same programs tell the same story in the main log; only the
// kind of pipe the child holds, and what Node cannot know of a wait status, differ.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { cleanupAll, prog, readText, startDaemon, waitFor } from './helpers.ts';

const test = suite('daemon/spawn-methods', {}, 60_000);
test.after.each(cleanupAll);

const PROGRAMS = [
  prog('pipes', `/bin/sh -c 'readlink /proc/self/fd/1; exec sleep 1000'`, { startsecs: 0, stdout_logfile: '%(here)s/pipes.log' }),
  prog('three', `/bin/sh -c 'exit 3'`, { startsecs: 0, autorestart: false }),
  prog('nowhere', '/bin/true', { directory: '/nonexistent/dir', startsecs: 0, autorestart: false, redirect_stderr: true, stdout_logfile: '%(here)s/nowhere.log' }),
  prog('realtime', `/bin/sh -c 'kill -35 $$'`, { startsecs: 0, autorestart: false }),
].join('\n');

/** One daemon run on PROGRAMS: its main log's story (no pids) and what `pipes` saw as its stdout. */
async function run(method: 'native' | 'node') {
  const saved = process.env.STATEVISOR_SPAWN;
  process.env.STATEVISOR_SPAWN = method;
  try {
    const d = await startDaemon(PROGRAMS);
    await d.waitForLines(/^exited: /, 3, 20_000);
    const stdout = await waitFor('the pipes program to print', () => readText(d.path('pipes.log')) || undefined);
    const story = d.lines().map((l) => `${l.level} ${l.message.replace(/pid \d+/, 'pid N')}`).filter((l) => /spawned|exited|success/.test(l)).sort();
    const nowhere = readText(d.path('nowhere.log'));
    assert.equal(await d.stop(), { code: 0, signal: null });
    return { story, stdout, nowhere };
  } finally {
    if (saved === undefined) delete process.env.STATEVISOR_SPAWN;
    else process.env.STATEVISOR_SPAWN = saved;
  }
}

test('the same main log either way, but for the realtime signal that Node reports as exit 0', async () => {
  const [native, node] = [await run('native'), await run('node')];
  assert.match(native.stdout, /^pipe:\[\d+\]\n$/);
  assert.match(node.stdout, /^\/.*statevisor-pipes-.* \(deleted\)\n$/);
  const expected = (realtime: string) => [
    ...(realtime.startsWith('INFO') ? [realtime] : []),
    "INFO spawned: 'nowhere' with pid N", "INFO spawned: 'pipes' with pid N", "INFO spawned: 'realtime' with pid N", "INFO spawned: 'three' with pid N",
    'INFO success: nowhere entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
    'INFO success: pipes entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
    'INFO success: realtime entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
    'INFO success: three entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
    'WARN exited: nowhere (exit status 127; not expected)',
    ...(realtime.startsWith('WARN') ? [realtime] : []),
    'WARN exited: three (exit status 3; not expected)',
  ];
  assert.equal(native.story, expected('WARN exited: realtime (terminated by signal 35; not expected)'));
  // exit 0 is in exitcodes: Node's misreading even makes it expected
  assert.equal(node.story, expected('INFO exited: realtime (exit status 0; expected)'));
  const standIn = "supervisor: couldn't chdir to /nonexistent/dir: ENOENT\nsupervisor: child process was not spawned\n";
  assert.is(native.nowhere, standIn);
  assert.is(node.nowhere, standIn);
});

test.run();
