// The orphan reaper inside this test process, made a subreaper for the occasion: orphans
// are reaped and reported with supervisor's wording, and the children that Node spawned
// keep their own exit statuses.
import { spawn } from 'node:child_process';
import * as assert from 'uvu/assert';
import { libc } from '../../src/runtime/native.ts';
import { describeWaitStatus, startReaper } from '../../src/runtime/reaper.ts';
import { waitFor } from '../daemon/helpers.ts';
import { start } from './helpers.ts';
import { suite } from '../harness.ts';

const test = suite('runtime/reaper', {}, 30_000);

test("describeWaitStatus words a wait status as supervisor's decode_wait_status", () => {
  assert.is(describeWaitStatus(0), 'exit status 0');
  assert.is(describeWaitStatus(3 << 8), 'exit status 3');
  assert.is(describeWaitStatus(15), 'terminated by SIGTERM');
  assert.is(describeWaitStatus(9 | 0x80), 'terminated by SIGKILL (core dumped)');
  assert.is(describeWaitStatus(0x137f), 'unknown termination cause 0x137f');
});

const native = libc();
if (native instanceof Error) console.warn(`SKIPPED runtime/reaper subreaper test: koffi cannot load here: ${native.message}`);

(native instanceof Error ? test.skip : test)('as a subreaper: 20 orphans reaped, 20 children of our own exit with their own statuses', async () => {
  const reaped: string[] = [];
  const warnings: string[] = [];
  const reaper = startReaper({ subreaper: true, info: (m) => reaped.push(m), warn: (m) => warnings.push(m) });
  assert.ok(reaper, warnings.join('\n'));
  try {
    const codes = await Promise.all(Array.from({ length: 20 }, (_, i) => new Promise<number | null>((resolve) => {
      // the orphan outlives its parent, then exits 9
      spawn('sh', ['-c', `(sleep 0.2; exit 9) & exit ${i}`], { stdio: 'ignore' }).once('exit', (code) => resolve(code));
    })));
    assert.equal(codes, Array.from({ length: 20 }, (_, i) => i));
    await waitFor('20 orphans reaped', () => reaped.length >= 20, 20_000, () => `\n${reaped.join('\n')}`);
    assert.is(reaped.length, 20);
    for (const line of reaped) assert.match(line, /^reaped unknown pid \d+ \(exit status 9\)$/);
    assert.equal(warnings, []);
  } finally {
    reaper!.stop();
  }
});

(native instanceof Error ? test.skip : test)('as a subreaper: our posix_spawned children are never taken for orphans, and keep their statuses', async () => {
  const reaped: string[] = [];
  const warnings: string[] = [];
  const reaper = startReaper({ subreaper: true, info: (m) => reaped.push(m), warn: (m) => warnings.push(m) });
  assert.ok(reaper, warnings.join('\n'));
  try {
    // each leaves an orphan that exits 9 after its parent, which exits i
    const ours = Array.from({ length: 10 }, (_, i) => start(`/bin/sh -c '(sleep 0.2; exit 9) & exit ${i}'`));
    const exits = await Promise.all(ours.map((h) => h.exited));
    assert.equal(exits.map((e) => e.code), Array.from({ length: 10 }, (_, i) => i));
    await waitFor('10 orphans reaped', () => reaped.length >= 10, 20_000, () => `\n${reaped.join('\n')}`);
    const pids = new Set(ours.map((h) => h.pid));
    for (const line of reaped) {
      assert.match(line, /^reaped unknown pid \d+ \(exit status 9\)$/);
      assert.not.ok(pids.has(Number(/pid (\d+)/.exec(line)![1])), line);
    }
    for (const h of ours) h.close();
    assert.equal(warnings, []);
  } finally {
    reaper!.stop();
  }
});

test.run();
