// A daemon killed hard (SIGKILL, the OOM killer) cannot stop its children. Without
// death_signal they outlive it, as supervisord's do (run beside it here); with
// death_signal=TERM the kernel sends each child SIGTERM as the daemon dies
// (PR_SET_PDEATHSIG), and none is left.
import * as assert from 'uvu/assert';
import { REFERENCE, referenceMissing } from '../compat/daemons.ts';
import { alive, cleanupAll, prog, program, startDaemon, waitFor, type Daemon } from '../daemon/helpers.ts';
import { suite } from '../harness.ts';

const test = suite('faults: the daemon dies by SIGKILL', {}, 90_000);
test.after.each(cleanupAll);

const NAMES = ['p1', 'p2', 'p3', 'p4', 'p5'];
const FIVE = NAMES.map((n) => prog(n, program('sleep-forever.sh'))).join('\n');

/** Waits until all five run, SIGKILLs the daemon (itself only), waits for its end; the children's pids. */
async function killHard(d: Daemon): Promise<number[]> {
  await d.waitForLines(/^success: /, NAMES.length, 20_000);
  const pids = NAMES.map((n) => d.spawnedPids(n)[0]);
  assert.ok(pids.every(alive), 'all five run before the kill');
  d.signal('SIGKILL');
  assert.equal(await d.waitExit(), { code: null, signal: 'SIGKILL' });
  return pids;
}

const missing = referenceMissing();

test('without death_signal all five outlive statevisord, as all five outlive supervisord; with death_signal=TERM none does', async () => {
  if (missing && process.env.CI !== 'true') {
    console.warn(`\n*** SKIPPED the supervisord side of faults/daemon-sigkill: ${missing} ***\n`);
  } else if (missing) {
    throw new Error(`CI=true and the reference is missing: ${missing}`);
  }
  const [reference, plain, dying] = await Promise.all([
    missing ? null : startDaemon(FIVE, { command: [REFERENCE] }),
    startDaemon(FIVE),
    startDaemon(FIVE, { supervisord: { death_signal: 'TERM' } }),
  ]);
  const [theirs, ours, ourDying] = await Promise.all([reference ? killHard(reference) : [], killHard(plain), killHard(dying)]);
  // The kernel signals the children as the daemon exits, before its parent can reap it.
  for (const pid of ourDying) await waitFor(`child ${pid} of the daemon with death_signal=TERM to end`, () => !alive(pid), 10_000);
  // The others have had at least that long to die, and have not.
  assert.equal(ours.filter(alive), ours, 'without death_signal every child of statevisord lives on');
  if (reference) assert.equal(theirs.filter(alive), theirs, 'every child of supervisord lives on');
  assert.equal(dying.leftovers(), [], 'nothing of the death_signal daemon is left');
  assert.equal(plain.leftovers().sort(), [...ours].sort(), 'the survivors are exactly the five programs');
});

test('a program\'s own death_signal=none keeps that one alive under a [supervisord] default', async () => {
  const body = NAMES.map((n) => prog(n, program('sleep-forever.sh'), n === 'p3' ? { death_signal: 'none' } : {})).join('\n');
  const d = await startDaemon(body, { supervisord: { death_signal: 'KILL' } });
  const pids = await killHard(d);
  const kept = pids[NAMES.indexOf('p3')];
  for (const pid of pids.filter((p) => p !== kept)) await waitFor(`child ${pid} to end`, () => !alive(pid), 10_000);
  assert.ok(alive(kept), 'p3 (death_signal=none) lives on');
  assert.equal(d.leftovers(), [kept]);
});

test.run();
