// procStat reads /proc/PID/stat in place: a child whose command name holds spaces and
// parentheses (comm, field 2, is the executable's name) still gives its own RSS and CPU.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { procStat } from '../../src/daemon/proc-stat.ts';
import { suite } from '../harness.ts';
import { waitFor } from './helpers.ts';

const getconf = (name: string): number => Number(spawnSync('getconf', [name], { encoding: 'utf8' }).stdout.trim());
const CLK_TCK = getconf('CLK_TCK');
const PAGE = getconf('PAGESIZE');

const test = suite('daemon/proc-stat', {}, 20_000);

/** RSS and utime+stime (ticks) from a plain split of /proc/PID/stat after its last `)`. */
function reference(pid: number): { rssBytes: number; ticks: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssBytes: Number(f[21]) * PAGE, ticks: Number(f[11]) + Number(f[12]) };
}

test('a comm with spaces and parentheses: its own RSS and CPU seconds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proc-stat-'));
  const exe = join(dir, 'a) b (c');
  copyFileSync('/bin/sh', exe);
  // a busy loop, so that its CPU time is not 0, then a wait on stdin (no exec: comm stays)
  const child = spawn(exe, ['-c', 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo ready; read line'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  try {
    await waitFor('the loop to end', () => out.includes('ready'), 15_000);
    assert.match(readFileSync(`/proc/${child.pid}/stat`, 'latin1'), `(a) b (c) S `);
    const got = procStat(child.pid!)!;
    const want = reference(child.pid!);
    assert.ok(want.rssBytes > 100_000, `a shell's RSS: ${want.rssBytes}`);
    assert.is(got.rssBytes, want.rssBytes);
    assert.ok(want.ticks > 0, 'the loop took some CPU');
    assert.is(Math.round(got.cpuSeconds * CLK_TCK), want.ticks);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pid that is gone: null', () => {
  assert.is(procStat(2 ** 22 + 1), null);
});

test.run();
