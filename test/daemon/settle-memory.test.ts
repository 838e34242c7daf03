// MemorySettler alone: one compacting GC (and a malloc_trim) once no process has been STARTING for a quiet
// while, never while one is, never twice, never after close(). A second settler fed a
// single change is the clock: timers of the same delay fire in the order they were set.
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { STATEVISORD_FLAGS, statevisordArgs } from '../../scripts/statevisord-command.ts';
import { compactingGc, MemorySettler } from '../../src/daemon/settle-memory.ts';
import type { ProcessStateName } from '../../src/states.ts';
import { suite } from '../harness.ts';
import { pyCalls } from '../rpc/helpers.ts';
import { cleanupAll, freePort, prog, program, startDaemon, waitFor } from './helpers.ts';
import { servers } from './http-probe.ts';

const test = suite('daemon/settle-memory', {}, 60_000);
test.after.each(cleanupAll);
const QUIET = 30;

function settler() {
  let calls = 0;
  const s = new MemorySettler(() => calls++, QUIET);
  const change = (from: ProcessStateName, to: ProcessStateName) => s.stateChanged({ from, to });
  return { s, change, calls: () => calls };
}

/** Resolves once a settler that saw one change just now has fired: later than any timer set before it. */
const clock = () => new Promise<void>((resolve) => new MemorySettler(resolve, QUIET).stateChanged({ from: 'STOPPED', to: 'RUNNING' }));

test('one GC once the last process has left STARTING and things are quiet; a later start-up does not repeat it', async () => {
  const { change, calls } = settler();
  change('STOPPED', 'STARTING');
  change('STOPPED', 'STARTING');
  change('STARTING', 'RUNNING');
  await clock();
  assert.is(calls(), 0, 'one process still STARTING');
  change('STARTING', 'BACKOFF');
  await clock();
  assert.is(calls(), 1);
  change('BACKOFF', 'STARTING');
  change('STARTING', 'RUNNING');
  await clock();
  assert.is(calls(), 1, 'once per run');
});

test('a change during the quiet while puts it off; close() cancels it', async () => {
  const { s, change, calls } = settler();
  change('STOPPED', 'STARTING');
  change('STARTING', 'RUNNING');
  const early = clock();
  change('RUNNING', 'STOPPING');
  await early;
  assert.is(calls(), 0, 'the timer restarted with the last change');
  await clock();
  assert.is(calls(), 1);
  const other = settler();
  other.change('STOPPED', 'STARTING');
  other.change('STARTING', 'RUNNING');
  other.s.close();
  await clock();
  assert.is(other.calls(), 0);
  s.close();
});

test('programs that never go quiet: it settles at the latest deadline all the same, once; close() cancels that too', async () => {
  const LATEST = 50;
  let calls = 0;
  let s: MemorySettler | undefined;
  await new Promise<void>((resolve) => {
    s = new MemorySettler(() => { calls++; resolve(); }, QUIET, LATEST);
    s.stateChanged({ from: 'STOPPED', to: 'STARTING' });
  });
  s?.stateChanged({ from: 'STARTING', to: 'RUNNING' });
  let closedCalls = 0;
  const closed = new MemorySettler(() => closedCalls++, QUIET, LATEST);
  closed.close();
  // a settler made after it with the same deadline fires after it would have
  await new Promise<void>((resolve) => new MemorySettler(resolve, QUIET, LATEST));
  await clock();
  assert.is(calls, 1);
  assert.is(closedCalls, 0);
});

// In a node with --expose-gc (as bin/statevisord runs): old-space pages left one-sixteenth
// full, which a plain full GC keeps, are given back.
const FRAGMENTED = `
import { getHeapStatistics } from 'node:v8';
import { compactingGc } from ${JSON.stringify(new URL('../../src/daemon/settle-memory.ts', import.meta.url).pathname)};
let all = [];
for (let i = 0; i < 400000; i++) all.push({ i, s: 'x' + i });
gc();
const keep = all.filter((_, i) => i % 16 === 0);
all = [];
gc();
const plain = getHeapStatistics().total_heap_size;
compactingGc();
console.log(JSON.stringify({ plain, compacted: getHeapStatistics().total_heap_size, kept: keep.length }));
`;

test('the compacting GC gives back the pages a plain full GC keeps', () => {
  assert.is(compactingGc, null, 'the test runner has no --expose-gc: nothing to call');
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', '--input-type=module', '-e', FRAGMENTED], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  const { plain, compacted } = JSON.parse(r.stdout) as { plain: number; compacted: number };
  assert.ok(compacted < plain / 2, `heap ${plain} after a plain full GC, ${compacted} compacted`);
});

// The daemon runs under its #! line's flags, as a user's does, and --trace-gc shows the GC
// it asks for (V8 names the reason of a gc() call "testing").
const REQUESTED_GC = /Mark-Compact .* testing; GC in old space requested/;
const requestedGcs = (output: string) => output.split('\n').filter((l) => REQUESTED_GC.test(l)).length;

test('statevisord under its #! flags: one compacting GC after every program left STARTING, and the daemon serves and spawns on', async () => {
  assert.ok(STATEVISORD_FLAGS.includes('--expose-gc'), `the #! line gives gc(): ${STATEVISORD_FLAGS.join(' ')}`);
  const port = await freePort();
  const body = [servers(port), ...Array.from({ length: 5 }, (_, i) => prog(`s${i}`, program('sleep-forever.sh'), { startsecs: 1 }))].join('\n');
  const d = await startDaemon(body, { command: [process.execPath, ...statevisordArgs(['--trace-gc'])] });
  await waitFor('the requested GC in --trace-gc output', () => requestedGcs(d.outputText) > 0, 30_000, () => d.describe());
  assert.is(d.matching(/^success: s\d entered RUNNING/).length, 5, 'every program was RUNNING before it');
  const url = `http://127.0.0.1:${port}`;
  const [info] = await pyCalls(url, [['supervisor.getAllProcessInfo', []]]);
  assert.equal(((info as { ok: { statename: string }[] }).ok).map((p) => p.statename), Array(5).fill('RUNNING'));
  // after the GC and the malloc_trim, a stop and a spawn work as before
  assert.equal(await pyCalls(url, [['supervisor.stopProcess', ['s0']], ['supervisor.startProcess', ['s0']]]), [{ ok: true }, { ok: true }]);
  assert.is(requestedGcs(d.outputText), 1, 'one GC');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test.run();
