// ListenerChannel (src/events/listener-channel.ts) on a real pipe: envelopes go out with
// write(2) while the Socket holds nothing, what the pipe cannot take goes through the
// Socket, and the bytes arrive whole and in order; a listener is polled for its answer
// only while its answers come within POLL_US.
import * as assert from 'uvu/assert';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { ListenerChannel, POLL_US } from '../../src/events/listener-channel.ts';
import { libc } from '../../src/runtime/native.ts';
import { suite } from '../harness.ts';

const test = suite('events/listener-channel', {}, 30_000);
const calls = libc();

test('a write the pipe cannot take at once goes on through the Socket, and what follows waits behind it', async () => {
  if (calls instanceof Error) return console.log(`SKIPPED: libc is out of reach: ${calls.message}`);
  const { read, write } = calls.pipe();
  const stdin = new Socket({ fd: write, readable: false, writable: true });
  const channel = new ListenerChannel({ stdin, get stdinFd() { return stdin.destroyed ? -1 : write; } });
  const big = 'x'.repeat(200 * 1024); // past a pipe's 64 KiB
  channel.write('first\n');
  assert.is(stdin.writableLength, 0, 'a small write went out at once');
  channel.write(big);
  assert.ok(stdin.writableLength > 0, 'the rest waits in the Socket');
  channel.write('last\n');
  const chunks: Buffer[] = [];
  const want = 'first\n'.length + big.length + 'last\n'.length;
  // The reader drains the pipe as a listener would; the Socket writes the rest as room comes.
  const out = new Socket({ fd: read, readable: true, writable: false });
  await new Promise<void>((resolve) => {
    let total = 0;
    out.on('data', (c: Buffer) => {
      chunks.push(c);
      total += c.length;
      if (total >= want) resolve();
    });
  });
  out.destroy();
  assert.ok(Buffer.concat(chunks).toString() === `first\n${big}last\n`, 'every byte, in order');
  stdin.destroy();
});

test('polled while the answers come quickly; after a slow one, not until one comes quickly again', async () => {
  const polls: number[] = [];
  const channel = new ListenerChannel({ stdin: new Writable({ write: (_c, _e, cb) => cb() }), stdinFd: -1, stdout: { pollAfter: (us) => polls.push(us) } });
  const exchange = async (answerAfterMs: number) => {
    // an answer "within POLL_US" must really be, around the channel's own window: a loaded
    // machine may take longer to get from the write to the answer
    const t0 = performance.now();
    channel.write('event');
    if (answerAfterMs > 0) await new Promise((r) => setTimeout(r, answerAfterMs));
    channel.answered();
    const quick = (performance.now() - t0) * 1000 <= POLL_US;
    channel.expectAnswer();
    return quick;
  };
  const quick = await exchange(0);
  assert.is(await exchange(5), false);
  const before = polls.length;
  assert.is(await exchange(5), false);
  assert.is(polls.length, before, 'no poll after a slow answer');
  if (quick) assert.is(polls[0], POLL_US);
});

test.run();
