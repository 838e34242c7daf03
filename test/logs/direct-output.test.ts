// The daemon's hot path: a real pipe read by PipeReader straight into the log file (no
// stages), a log file that is opened only once output comes, and inline writes that must
// never overtake what is queued on libuv's pool.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildOutput, type ChildOutputOptions } from '../../src/logs/child-output.ts';
import { RotatingFile } from '../../src/logs/rotating-file.ts';
import { libc } from '../../src/runtime/native.ts';
import { makePipe } from '../../src/runtime/pipes.ts';
import { PipeReader } from '../../src/runtime/pipe-reader.ts';
import { makeBurst } from '../fixtures/logs/burst.mjs';
import { tempDirs, written } from './tmp.ts';

/** The daemon's way to make a pipe: pipe2(2) through libc where it loads, else FIFOs. */
const nativeOrNull = () => {
  const c = libc();
  return c instanceof Error ? null : c;
};

const tmp = tempDirs();
const test = suite('direct-output', {}, 60_000);
test.after(() => tmp.removeAll());

const CHATTY = fileURLToPath(new URL('../fixtures/logs/chatty.mjs', import.meta.url));

const options = (logfile: string | null, maxBytes = 0, backups = 0): ChildOutputOptions => ({ channel: 'stdout', logfile, maxBytes, backups, stripAnsi: false });

/** How many of our fds point at `path`. */
const fdsOn = (path: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // the fd readdir itself used, closed by now
    }
  }).length;

/** A real child writing `total` bytes of numbered lines into a real pipe, as the daemon spawns it. */
async function throughPipe(out: ChildOutput, total: number): Promise<void> {
  const pipe = makePipe(nativeOrNull());
  const child = spawn(process.execPath, [CHATTY, String(total), '65536'], { stdio: ['ignore', pipe.write, 'inherit'] });
  closeSync(pipe.write);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await out.attach(new PipeReader(pipe.read));
    assert.is(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

test('a real pipe straight into the file: every byte in order, rotated where supervisor rotates', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const total = 8 * 1024 * 1024;
  const maxBytes = 256 * 1024;
  const out = ChildOutput.openSync(options(path, maxBytes, 100));
  await throughPipe(out, total);
  const backups = readdirSync(dir).filter((n) => n !== 'x.log').map((n) => Number(n.slice('x.log.'.length))).sort((a, b) => b - a);
  assert.ok(backups.length >= total / (maxBytes + 65536) - 1, `${backups.length} backups`);
  for (const n of backups) {
    const size = statSync(`${path}.${n}`).size;
    assert.ok(size >= maxBytes && size < maxBytes + 65536, `x.log.${n}: ${size}`);
  }
  const all = Buffer.concat([...backups.map((n) => readFileSync(`${path}.${n}`)), readFileSync(path)]);
  assert.ok(all.equals(makeBurst(total)), 'the concatenated logs differ from what the child wrote');
  assert.is(fdsOn(path), 0);
});

test('a sink that says false is not called again until readMore(), and loses nothing', async () => {
  const total = 2 * 1024 * 1024;
  const pipe = makePipe(nativeOrNull());
  const child = spawn(process.execPath, [CHATTY, String(total), '65536'], { stdio: ['ignore', pipe.write, 'inherit'] });
  closeSync(pipe.write);
  const reader = new PipeReader(pipe.read);
  const got: Buffer[] = [];
  let waiting = false;
  let pauses = 0;
  await new Promise<void>((resolve) => {
    reader.sinkTo({
      write: (chunk) => {
        assert.not.ok(waiting, 'a read arrived while the sink had said false');
        got.push(Buffer.from(chunk));
        waiting = true;
        pauses++;
        setTimeout(() => {
          waiting = false;
          reader.readMore();
        }, 1);
        return false;
      },
      end: resolve,
      error: (e) => { throw e; },
    });
  });
  assert.is(await new Promise((resolve) => (child.exitCode === null ? child.on('exit', resolve) : resolve(child.exitCode))), 0);
  assert.ok(pauses > 1, `${pauses} pauses`);
  assert.ok(Buffer.concat(got).equals(makeBurst(total)));
});

test('NONE through a real pipe: drained to the end, nothing written', async () => {
  const out = ChildOutput.openSync(options(null));
  await throughPipe(out, 1024 * 1024);
  assert.is(out.file, null);
});

test('a regular log file is created at spawn and held open only once output comes', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  writeFileSync(path, 'before\n');
  const out = ChildOutput.openSync(options(path));
  assert.is(fdsOn(path), 0);
  const fresh = join(dir, 'fresh.log');
  ChildOutput.openSync(options(fresh));
  assert.ok(existsSync(fresh), 'the file is created before the fork, as supervisor does');
  assert.throws(() => ChildOutput.openSync(options(join(dir, 'no', 'such.log'))), /ENOENT/);
  await throughPipe(out, 1000);
  assert.is(readFileSync(path, 'latin1'), `before\n${makeBurst(1000).toString('latin1')}`);
  assert.is(fdsOn(path), 0);
});

test('SIGUSR2 and clearLog on a file not written yet: recreated, and emptied', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const out = ChildOutput.openSync(options(path));
  renameSync(path, `${path}.moved`);
  await out.reopen();
  assert.ok(existsSync(path), 'SIGUSR2 creates the file again, as a reopen does');
  writeFileSync(path, 'old\n');
  await out.remove();
  assert.is(readFileSync(path, 'utf8'), '');
  await throughPipe(out, 5000);
  assert.ok(readFileSync(path).equals(makeBurst(5000)));
  assert.is(fdsOn(path), 0, 'the file the reopen held is closed with the pipe');
});

test('an inline write never overtakes a reopen queued on the pool', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const f = await RotatingFile.open({ path, maxBytes: 0, backups: 0, inline: true });
  await written(f, 'one\n');
  renameSync(path, `${path}.1`);
  const reopened = f.reopen();
  assert.is(f.writeNow(Buffer.from('two\n')), true);
  await reopened;
  await f.close();
  assert.is(readFileSync(`${path}.1`, 'utf8'), 'one\n');
  assert.is(readFileSync(path, 'utf8'), 'two\n');
});

test.run();
