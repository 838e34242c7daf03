// The pure parts of the daemon's supervisor.* (src/daemon/api-util.ts) against what
// supervisor 4.2.5's split_namespec, _interpretProcessInfo, readFile and tailFile give.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { splitNamespec } from '../../src/client/namespec.ts';
import type { ProcessInfo } from '../../src/client/wire.ts';
import { interpretProcessInfo, Memo, readFile, tailFile, timedelta } from '../../src/daemon/api-util.ts';
import { isRpcFault } from '../../src/faults.ts';
import { suite } from '../harness.ts';

const test = suite('daemon api helpers');
const dir = mkdtempSync(join(tmpdir(), 'api-util-'));
const file = join(dir, 'log');
writeFileSync(file, '0123456789');

const faultOf = async (f: () => Promise<unknown>): Promise<string> => {
  try {
    await f();
  } catch (e) {
    if (isRpcFault(e)) return e.faultString;
    throw e;
  }
  throw new Error('no fault');
};

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('split_namespec', () => {
  assert.equal(splitNamespec('foo'), ['foo', 'foo']);
  assert.equal(splitNamespec('g:foo'), ['g', 'foo']);
  assert.equal(splitNamespec('g:*'), ['g', null]);
  assert.equal(splitNamespec('g:'), ['g', null]);
  assert.equal(splitNamespec('g:a:b'), ['g', 'a:b']);
});

test('timedelta as str(datetime.timedelta)', () => {
  assert.is(timedelta(5), '0:00:05');
  assert.is(timedelta(3725), '1:02:05');
  assert.is(timedelta(86400 + 61), '1 day, 0:01:01');
  assert.is(timedelta(2 * 86400), '2 days, 0:00:00');
});

test('_interpretProcessInfo', () => {
  const base: Omit<ProcessInfo, 'description'> = { name: 'x', group: 'x', start: 100, stop: 0, now: 105, state: 20, statename: 'RUNNING', spawnerr: '', exitstatus: 0, logfile: '', stdout_logfile: '', stderr_logfile: '', pid: 42 };
  assert.is(interpretProcessInfo(base), 'pid 42, uptime 0:00:05');
  assert.is(interpretProcessInfo({ ...base, now: 90 }), 'pid 42, uptime 0:00:00');
  assert.is(interpretProcessInfo({ ...base, state: 200, spawnerr: 'boom' }), 'boom');
  assert.is(interpretProcessInfo({ ...base, state: 30 }), 'unknown error (try "tail x")');
  assert.is(interpretProcessInfo({ ...base, state: 0, start: 0 }), 'Not started');
  assert.match(interpretProcessInfo({ ...base, state: 100, stop: 1_700_000_000 }), /^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/);
  assert.is(interpretProcessInfo({ ...base, state: 40 }), '');
});

test('readFile', async () => {
  assert.is(await readFile(file, 0, 0), '0123456789');
  assert.is(await readFile(file, 2, 3), '234');
  assert.is(await readFile(file, -4, 0), '6789');
  assert.is(await readFile(file, -40, 0), '0123456789');
  assert.is(await readFile(file, 20, 0), '');
  assert.is(await faultOf(() => readFile(file, -4, 2)), 'BAD_ARGUMENTS');
  assert.is(await faultOf(() => readFile(file, 0, -2)), 'BAD_ARGUMENTS');
  assert.is(await faultOf(() => readFile(join(dir, 'nope'), 0, 0)), 'FAILED');
});

test('readFile and tailFile of 2 GiB of a 10-byte file: what exists, nothing allocated for the rest', async () => {
  const before = process.memoryUsage().arrayBuffers;
  assert.is(await readFile(file, 3, 2 ** 31 - 1), '3456789');
  assert.is(await readFile(file, -(2 ** 31 - 1), 0), '0123456789');
  assert.equal(await tailFile(file, 0, 2 ** 31 - 1), ['0123456789', 10, false]);
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024, 'no buffer of the asked length');
});

test('readFile across read chunks: every byte, in order', async () => {
  const big = join(dir, 'big');
  const text = Array.from({ length: 300_000 }, (_, i) => `${i}\n`).join('');
  writeFileSync(big, text);
  assert.is(await readFile(big, 0, 0), text);
  assert.is(await readFile(big, 5, text.length), text.slice(5));
  assert.is(await readFile(big, -1_500_000, 0), text.slice(-1_500_000));
});

test('tailFile', async () => {
  assert.equal(await tailFile(file, 0, 100), ['0123456789', 10, false]);
  assert.equal(await tailFile(file, 0, 4), ['6789', 10, true]);
  assert.equal(await tailFile(file, 10, 4), ['', 10, false]);
  assert.equal(await tailFile(file, 8, 4), ['6789', 10, false]);
  assert.equal(await tailFile(join(dir, 'nope'), 3, 4), ['', 3, false]);
});

test('Memo: the value computed last while every part is the same object, a new one as soon as one differs', () => {
  const m = new Memo<object>();
  const a = {};
  const b = {};
  let computed = 0;
  const make = () => ({ n: ++computed });
  const first = m.get([1, a, b], make);
  assert.ok(m.get([1, a, b], make) === first);
  assert.not.ok(m.get([1, a, {}], make) === first);
  assert.not.ok(m.get([2, a, b], make) === first);
  assert.not.ok(m.get([2, a], make) === m.get([2, a, b], make));
  assert.is(computed, 5);
});

test('Memo.get2: the same as get([a, b]), each of the two parts compared', () => {
  const m = new Memo<object>();
  const a = {};
  const b = {};
  let computed = 0;
  const make = (x: object, y: object) => ({ n: ++computed, x, y });
  const first = m.get2(a, b, make);
  assert.ok(m.get2(a, b, make) === first);
  assert.is(computed, 1);
  const other = m.get2(a, {}, make);
  assert.not.ok(other === first);
  assert.not.ok(m.get2(b, a, make) === other, 'the parts in another order');
  assert.is(computed, 3);
});

test('Memo over a list read item by item: kept while the list has the same parts in the same order', () => {
  const m = new Memo<object>();
  const x = { snap: {} };
  const y = { snap: {} };
  let computed = 0;
  const make = () => ({ n: ++computed });
  const snap = (i: { snap: object }) => i.snap;
  const first = m.get(['k'], make, [x, y], snap);
  assert.ok(m.get(['k'], make, [x, y], snap) === first);
  y.snap = {};
  const second = m.get(['k'], make, [x, y], snap);
  assert.not.ok(second === first, 'one item changed');
  assert.ok(m.get(['k'], make, [x, y], snap) === second);
  assert.not.ok(m.get(['k'], make, [y, x], snap) === second, 'another order');
  assert.not.ok(m.get(['k'], make, [y], snap) === second, 'fewer items');
  assert.is(computed, 4);
});

test.run();
