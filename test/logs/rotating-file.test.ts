// RotatingFile against supervisor 4.2.5's RotatingFileHandler. The expected file sets
// were produced by emitting the same chunks through loggers.RotatingFileHandler
// (maxBytes=12) with /usr/bin/python3 and listing the directory afterwards.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RotatingFile } from '../../src/logs/rotating-file.ts';
import { snapshot, tempDirs, written } from './tmp.ts';

const tmp = tempDirs();
const test = suite('rotating-file');
test.after(() => tmp.removeAll());

const CHUNKS = [...'abcdefghijklmn'].map((c, i) => c.repeat(((i * 7) % 9) + 2));
const PYTHON_RESULT: Record<number, Record<string, string>> = {
  0: { 'x.log': 'nnn' },
  1: { 'x.log': 'nnn', 'x.log.1': 'lllllllmmmmm' },
  3: { 'x.log': 'nnn', 'x.log.1': 'lllllllmmmmm', 'x.log.2': 'iiiijjkkkkkkkkk', 'x.log.3': 'gggggggghhhhhh' },
};

for (const backups of [0, 1, 3]) {
  test(`backups=${backups}: one write at a time matches RotatingFileHandler`, async () => {
    const dir = tmp.make();
    const f = await RotatingFile.open({ path: join(dir, 'x.log'), maxBytes: 12, backups });
    for (const c of CHUNKS) await written(f, c);
    await f.close();
    assert.equal(snapshot(dir), PYTHON_RESULT[backups]);
  });

  test(`backups=${backups}: a burst batched by _writev rotates at the same points`, async () => {
    const dir = tmp.make();
    const f = await RotatingFile.open({ path: join(dir, 'x.log'), maxBytes: 12, backups });
    for (const c of CHUNKS) f.write(c);
    await f.close();
    assert.equal(snapshot(dir), PYTHON_RESULT[backups]);
  });

  test(`backups=${backups}: with coalesceMs, writes held and joined rotate at the same points`, async () => {
    const dir = tmp.make();
    const f = await RotatingFile.open({ path: join(dir, 'x.log'), maxBytes: 12, backups, coalesceMs: 5 });
    // half while the first write is held, half one at a time
    for (const c of CHUNKS.slice(0, 7)) f.write(c);
    for (const c of CHUNKS.slice(7)) await written(f, c);
    await f.close();
    assert.equal(snapshot(dir), PYTHON_RESULT[backups]);
  });

  test(`backups=${backups}: writeText (the main log's lines, multi-byte text too) rotates at the same points`, async () => {
    const dir = tmp.make();
    const f = RotatingFile.openSync({ path: join(dir, 'x.log'), maxBytes: 12, backups, sync: true });
    for (const c of CHUNKS) {
      f.writeText(c);
      // (unless that write rotated the file: then x.log is the new, empty one)
      if (f.size > 0) assert.is(readFileSync(join(dir, 'x.log'), 'utf8').endsWith(c), true, 'on disk when writeText returns');
    }
    await f.close();
    assert.equal(snapshot(dir), PYTHON_RESULT[backups]);
    // é is two bytes: 5 × 2 = 10, then 2 more reach maxBytes=12 and rotate
    const dir2 = tmp.make();
    const g = RotatingFile.openSync({ path: join(dir2, 'x.log'), maxBytes: 12, backups: 1, sync: true });
    for (const c of ['ééééé', 'é', 'z']) g.writeText(c);
    await g.close();
    assert.equal(snapshot(dir2), { 'x.log': 'z', 'x.log.1': Buffer.from('éééééé').toString('latin1') });
  });

  test(`backups=${backups}: sync mode matches too`, async () => {
    const dir = tmp.make();
    const f = RotatingFile.openSync({ path: join(dir, 'x.log'), maxBytes: 12, backups, sync: true });
    for (const c of CHUNKS) f.write(c);
    await f.close();
    assert.equal(snapshot(dir), PYTHON_RESULT[backups]);
  });
}

test('test_emit_does_rollover: maxBytes=10 backups=2, seven 4-byte writes', async () => {
  const dir = tmp.make();
  const path = join(dir, 'thelog');
  const f = await RotatingFile.open({ path, maxBytes: 10, backups: 2 });
  const seen: boolean[][] = [];
  for (let i = 0; i < 7; i++) {
    await written(f, 'aaaa');
    seen.push([existsSync(`${path}.1`), existsSync(`${path}.2`)]);
  }
  await f.close();
  assert.equal(seen.map(([a, b]) => `${+a}${+b}`).join(' '), '00 00 10 10 10 11 11');
  assert.equal(snapshot(dir), { thelog: 'a'.repeat(4), 'thelog.1': 'a'.repeat(12), 'thelog.2': 'a'.repeat(12) });
});

test('maxBytes=0 never rotates and appends to what is there', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  writeFileSync(path, 'old\n');
  const f = await RotatingFile.open({ path, maxBytes: 0, backups: 3 });
  assert.is(f.size, 4);
  for (let i = 0; i < 100; i++) f.write('0123456789');
  await f.close();
  assert.equal(Object.keys(snapshot(dir)), ['x.log']);
  assert.is(readFileSync(path, 'utf8'), `old\n${'0123456789'.repeat(100)}`);
});

test('an existing file already past maxBytes rotates on the first write', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  writeFileSync(path, 'x'.repeat(20));
  const f = await RotatingFile.open({ path, maxBytes: 10, backups: 1 });
  await written(f, 'y');
  await written(f, 'z');
  await f.close();
  assert.equal(snapshot(dir), { 'x.log': 'z', 'x.log.1': `${'x'.repeat(20)}y` });
});

test('test_current_logfile_removed: rollover of a deleted active file', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const f = await RotatingFile.open({ path, maxBytes: 6, backups: 1 });
  await written(f, 'aaaa');
  unlinkSync(path);
  await written(f, 'aaaa'); // 8 bytes: rollover, the rename finds no source
  await f.close();
  assert.equal(snapshot(dir), { 'x.log': '' });
});

test('size counts what was written and restarts after a rotation', async () => {
  const dir = tmp.make();
  const f = await RotatingFile.open({ path: join(dir, 'x.log'), maxBytes: 10, backups: 1 });
  assert.is(f.size, 0);
  await written(f, '12345');
  assert.is(f.size, 5);
  await written(f, '123456');
  assert.is(f.size, 0);
  await written(f, 'ab');
  assert.is(f.size, 2);
  await f.close();
});

test('reopen() after the file was moved away starts a new file at the same path', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const f = await RotatingFile.open({ path, maxBytes: 0, backups: 0 });
  await written(f, 'one ');
  renameSync(path, `${path}.moved`);
  await written(f, 'two ');
  await f.reopen();
  await written(f, 'three');
  await f.close();
  assert.equal(snapshot(dir), { 'x.log': 'three', 'x.log.moved': 'one two ' });
});

test('reopen() queued behind a burst does not cut a write in half', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const f = await RotatingFile.open({ path, maxBytes: 0, backups: 0 });
  const line = `${'x'.repeat(99)}\n`;
  for (let i = 0; i < 2000; i++) f.write(line);
  const reopened = f.reopen();
  for (let i = 0; i < 2000; i++) f.write(line);
  await reopened;
  await f.close();
  const all = readFileSync(path, 'utf8');
  assert.is(all.length, 4000 * 100);
  assert.ok(all.split('\n').slice(0, -1).every((l) => l.length === 99));
});

test('remove() deletes the file and starts an empty one; backups stay', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const f = await RotatingFile.open({ path, maxBytes: 5, backups: 1 });
  await written(f, 'first');
  await written(f, 'abc');
  await f.remove();
  assert.is(f.size, 0);
  assert.equal(snapshot(dir), { 'x.log': '', 'x.log.1': 'first' });
  await written(f, 'new');
  await f.close();
  assert.equal(snapshot(dir), { 'x.log': 'new', 'x.log.1': 'first' });
});

test('remove() of a file someone already deleted is not an error', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const f = await RotatingFile.open({ path, maxBytes: 0, backups: 0 });
  unlinkSync(path);
  await f.remove();
  await written(f, 'ok');
  await f.close();
  assert.is(readFileSync(path, 'utf8'), 'ok');
});

test('open failure throws (spawnerr), like FileHandler', async () => {
  const dir = tmp.make();
  try {
    await RotatingFile.open({ path: join(dir, 'missing', 'x.log'), maxBytes: 0, backups: 0 });
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.is((e as NodeJS.ErrnoException).code, 'ENOENT');
  }
});

test('sync mode: the bytes are in the file when write() returns', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const f = RotatingFile.openSync({ path, maxBytes: 0, backups: 0, sync: true });
  f.write('now\n');
  assert.is(readFileSync(path, 'utf8'), 'now\n');
  await f.close();
});

test('back-pressure: write() returns false past highWaterMark and drains', async () => {
  const dir = tmp.make();
  const f = await RotatingFile.open({ path: join(dir, 'x.log'), maxBytes: 0, backups: 0, highWaterMark: 1024 });
  assert.is(f.write(Buffer.alloc(2048)), false);
  await new Promise((resolve) => f.once('drain', resolve));
  await f.close();
  assert.is(f.size, 2048); // the last size stays readable after close
});

test.run();
