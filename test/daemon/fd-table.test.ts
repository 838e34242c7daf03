// growFdTable (daemon/fd-table.ts): the fd table holds every fd an autostart of N programs
// reaches, in one growth, within RLIMIT_NOFILE, and no fd is left open by it.
import { readdirSync, readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { growFdTable } from '../../src/daemon/fd-table.ts';
import { current } from '../../src/daemon/limits.ts';
import { libc } from '../../src/runtime/native.ts';
import { suite } from '../harness.ts';

const test = suite('daemon/fd-table', {}, 20_000);
const c = libc();
if (c instanceof Error) console.warn(`SKIPPED daemon/fd-table: libc is out of reach through koffi here: ${c.message}`);
const t = c instanceof Error ? test.skip : test;

/** The kernel's size of our fd table (fs/proc/array.c: FDSize). */
const fdSize = (): number => Number(/^FDSize:\s+(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
const openFds = (): number => readdirSync('/proc/self/fd').length;

t('1,000 programs: the table takes the highest fd their start reaches, and nothing is left open', () => {
  const [soft] = current('Max open files');
  // 256 of the daemon's own, 5 per program, 3 more per spawn under way (128 at most)
  const highest = Math.min(256 + 1000 * 5 + 128 * 3, soft === -1 ? Infinity : soft - 1);
  assert.ok(fdSize() <= highest, `the test's fd table is already ${fdSize()} long: nothing to see`);
  const before = openFds();
  growFdTable(1000);
  assert.ok(fdSize() > highest, `FDSize ${fdSize()} after growFdTable(1000), want above ${highest}`);
  assert.is(openFds(), before);
});

test.run();
