// RotatingFile when the file system says no: full disks, vanished directories, renames
// that fail, and files that are not files. The stream must keep going in every case.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RotatingFile, type LogFileFault } from '../../src/logs/rotating-file.ts';
import { tempDirs, written } from './tmp.ts';

const tmp = tempDirs();
const test = suite('rotating-file-faults');
test.after(() => tmp.removeAll());

test('ENOSPC (/dev/full) is reported once and the stream keeps accepting data', async () => {
  const faults: LogFileFault[] = [];
  const f = await RotatingFile.open({ path: '/dev/full', maxBytes: 5, backups: 1, onFault: (x) => faults.push(x) });
  for (let i = 0; i < 10; i++) await written(f, 'data that goes nowhere');
  assert.ok(f.writable);
  await f.close();
  assert.is(faults.length, 1);
  assert.is(faults[0].op, 'write');
  assert.is(faults[0].error.code, 'ENOSPC');
  assert.ok(existsSync('/dev/full') && !existsSync('/dev/full.1'));
});

test('writeText (the main log): ENOSPC is reported once per episode and later lines still go', async () => {
  const faults: LogFileFault[] = [];
  const f = RotatingFile.openSync({ path: '/dev/full', maxBytes: 0, backups: 0, sync: true, onFault: (x) => faults.push(x) });
  for (let i = 0; i < 5; i++) f.writeText('a line that goes nowhere\n');
  assert.ok(f.writable);
  await f.close();
  assert.equal(faults.map((x) => `${x.op}:${x.error.code}`), ['write:ENOSPC']);
});

test('a failed reopen rejects; writes are dropped with one fault, then recover', async () => {
  const dir = tmp.make();
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  const path = join(sub, 'x.log');
  const faults: LogFileFault[] = [];
  const f = await RotatingFile.open({ path, maxBytes: 0, backups: 0, onFault: (x) => faults.push(x) });
  rmSync(sub, { recursive: true });
  await f.reopen().then(
    () => assert.unreachable('reopen should fail'),
    (e: NodeJS.ErrnoException) => assert.is(e.code, 'ENOENT'),
  );
  await written(f, 'lost 1');
  await written(f, 'lost 2');
  assert.equal(faults.map((x) => `${x.op}:${x.error.code}`), ['open:ENOENT']);
  mkdirSync(sub);
  await written(f, 'kept');
  await f.close();
  assert.is(readFileSync(path, 'utf8'), 'kept');
});

test('a rotation that fails keeps writing to the base file and reports once', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  mkdirSync(`${path}.1`);
  writeFileSync(join(`${path}.1`, 'in-the-way'), ''); // unlink(x.log.1) fails with EISDIR
  const faults: LogFileFault[] = [];
  const f = await RotatingFile.open({ path, maxBytes: 4, backups: 1, onFault: (x) => faults.push(x) });
  for (const c of ['aaaa', 'bbbb', 'cccc']) await written(f, c);
  await f.close();
  assert.is(readFileSync(path, 'utf8'), 'aaaabbbbcccc');
  assert.equal(faults.map((x) => `${x.op}:${x.error.code}`), ['rotate:EISDIR']);
});

test('a FIFO is written but never rotated', async () => {
  const dir = tmp.make();
  const fifo = join(dir, 'pipe');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo: nothing to show
  const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
  let got = '';
  reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
  const closed = new Promise((resolve) => reader.on('close', resolve));
  try {
    const f = await RotatingFile.open({ path: fifo, maxBytes: 5, backups: 2 });
    for (let i = 0; i < 5; i++) await written(f, `line ${i}\n`);
    await f.close();
    await closed;
  } finally {
    if (reader.exitCode === null) reader.kill();
  }
  assert.is(got, 'line 0\nline 1\nline 2\nline 3\nline 4\n');
  assert.equal(readdirSync(dir), ['pipe']);
});

test.run();
