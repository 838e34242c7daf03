// PipeReader.pollAfter on a real pipe: a consumer that expects more output at once has
// the next bytes handed to it from the same read callback, in order, with no turn of the
// event loop between; a pipe that stays empty through the window is left to the event
// loop, which still delivers what comes later.
import * as assert from 'uvu/assert';
import { closeSync, writeSync } from 'node:fs';
import { libc } from '../../src/runtime/native.ts';
import { PipeReader } from '../../src/runtime/pipe-reader.ts';
import { suite } from '../harness.ts';

const test = suite('pipe-reader poll', {}, 30_000);
const calls = libc();

/** A pipe read by a PipeReader whose consumer `take` sees each read; resolves at end of file. */
function reading(take: (chunk: string, reader: PipeReader, write: (s: string) => void) => void) {
  if (calls instanceof Error) throw calls;
  const { read, write: fd } = calls.pipe();
  const reader = new PipeReader(read);
  const write = (s: string) => void writeSync(fd, s);
  const ended = new Promise<void>((resolve, reject) => reader.sinkTo({ write: (c) => (take(c.toString(), reader, write), true), end: resolve, error: reject }));
  return { reader, write, close: () => closeSync(fd), ended };
}

test('bytes written while a read is handled are delivered from the same callback when asked, in order', async () => {
  if (calls instanceof Error) return console.log(`SKIPPED: libc is out of reach: ${calls.message}`);
  const got: string[] = [];
  /** Reads handed over before a microtask queued at the first one ran: the polled ones. */
  let polled = 0;
  let turned = false;
  const t = reading((chunk, reader, write) => {
    got.push(chunk);
    if (turned === false && got.length > 1) polled++;
    if (got.length === 1) queueMicrotask(() => (turned = true));
    const n = Number(chunk);
    if (n < 5) {
      write(String(n + 1));
      reader.pollAfter(50_000);
    }
  });
  t.write('1');
  await new Promise<void>((resolve) => {
    const check = () => (got.length >= 5 ? resolve() : setImmediate(check));
    check();
  });
  t.close();
  await t.ended;
  assert.equal(got, ['1', '2', '3', '4', '5']);
  assert.is(polled, 4, 'each next read came from the poll, before the event loop turned');
});

test('a pipe that stays empty through the window is the event loop\'s again', async () => {
  if (calls instanceof Error) return console.log(`SKIPPED: libc is out of reach: ${calls.message}`);
  const got: string[] = [];
  const t = reading((chunk, reader) => {
    got.push(chunk);
    if (chunk === 'a') reader.pollAfter(1_000); // nothing comes within 1 ms
  });
  t.write('a');
  await new Promise<void>((resolve) => {
    const check = () => (got.length >= 1 ? resolve() : setImmediate(check));
    check();
  });
  setTimeout(() => t.write('b'), 20);
  await new Promise<void>((resolve) => {
    const check = () => (got.length >= 2 ? resolve() : setImmediate(check));
    check();
  });
  t.close();
  await t.ended;
  assert.equal(got, ['a', 'b']);
});

test.run();
