// A child's pipe held until its log file exists (src/daemon/held-pipe.ts): real pipes, real
// children, PipeReader as the daemon reads them, ChildOutput as the consumer that comes late.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { holdPipe } from '../../src/daemon/held-pipe.ts';
import { ChildOutput, type ChildOutputOptions } from '../../src/logs/child-output.ts';
import { libc } from '../../src/runtime/native.ts';
import { makePipe } from '../../src/runtime/pipes.ts';
import { PipeReader } from '../../src/runtime/pipe-reader.ts';
import { makeBurst } from '../fixtures/logs/burst.mjs';
import { tempDirs } from '../logs/tmp.ts';

const tmp = tempDirs('statevisor-held-');
const test = suite('daemon/held-pipe', {}, 60_000);
test.after(() => tmp.removeAll());

const CHATTY = fileURLToPath(new URL('../fixtures/logs/chatty.mjs', import.meta.url));
const nativeOrNull = () => {
  const c = libc();
  return c instanceof Error ? null : c;
};
const options = (logfile: string, stripAnsi = false): ChildOutputOptions => ({ channel: 'stdout', logfile, maxBytes: 0, backups: 0, stripAnsi });

/** A real child writing `total` bytes into a real pipe; its exit and the daemon's read end. */
function chatty(total: number): { reader: PipeReader; exited: Promise<number | null>; kill: () => void } {
  const pipe = makePipe(nativeOrNull());
  const child = spawn(process.execPath, [CHATTY, String(total), '4096'], { stdio: ['ignore', pipe.write, 'inherit'] });
  closeSync(pipe.write);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { reader: new PipeReader(pipe.read), exited, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

test('a child reaped before its file exists: what it wrote, then the end, reach the consumer that comes after', async () => {
  // Less than a pipe holds: the child exits without waiting for a reader.
  const total = 48 * 1024;
  const { reader, exited, kill } = chatty(total);
  try {
    const held = holdPipe(reader, true);
    assert.is(await exited, 0);
    // As the daemon does on the exit: drain what the pipe holds and end the reader.
    reader.reap();
    const path = join(tmp.make(), 'late.log');
    await ChildOutput.openSync(options(path)).attach(held);
    assert.ok(readFileSync(path).equals(makeBurst(total)), 'every byte, in order');
  } finally {
    kill();
  }
});

test('a child still writing more than a pipe holds: paused while held, every byte once the consumer comes', async () => {
  const total = 1024 * 1024;
  const { reader, exited, kill } = chatty(total);
  try {
    const held = holdPipe(reader, true);
    // A few turns of the loop while nobody consumes: the held reader must not lose reads.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const path = join(tmp.make(), 'slow.log');
    await ChildOutput.openSync(options(path)).attach(held);
    assert.is(await exited, 0);
    assert.ok(readFileSync(path).equals(makeBurst(total)), 'every byte, in order');
  } finally {
    kill();
  }
});

test('a consumer with stream stages (strip_ansi): held in a stream, every byte after the reap', async () => {
  const total = 32 * 1024;
  const { reader, exited, kill } = chatty(total);
  try {
    const held = holdPipe(reader, false);
    assert.is(await exited, 0);
    reader.reap();
    const path = join(tmp.make(), 'stripped.log');
    await ChildOutput.openSync(options(path, true)).attach(held);
    // makeBurst writes numbered lines, no escape sequences: stripping leaves them as they are.
    assert.ok(readFileSync(path).equals(makeBurst(total)), 'every byte, in order');
  } finally {
    kill();
  }
});

test.run();
