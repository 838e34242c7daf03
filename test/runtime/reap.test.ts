// A child's pipes end when it is reaped, as supervisor's finish() drains and closes them,
// even while a background grandchild holds their write ends: what the pipe holds at the
// exit is read, then the daemon's read ends are closed. Real children, real pipes.
import * as assert from 'uvu/assert';
import { readdirSync, readlinkSync } from 'node:fs';
import type { ChildHandle } from '../../src/runtime/child.ts';
import { suite } from '../harness.ts';
import { collect, finish, start } from './helpers.ts';

const test = suite('runtime/reap', { children: [] as ChildHandle[] });
// The grandchildren are in their parent's process group: SIGKILL it.
test.after.each(async (ctx) => {
  for (const c of ctx.children.splice(0)) {
    try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
    await finish(c);
  }
});

/** The pipes (runtime/pipes.ts: pipe2's, or the fallback's FIFOs) this process holds open. */
const heldPipes = () => readdirSync('/proc/self/fd').filter((fd) => {
  try { return /^pipe:\[|statevisor-pipes-.*\(deleted\)$/.test(readlinkSync(`/proc/self/fd/${fd}`)); } catch { return false; }
}).length;

test('a grandchild holding stdout and stderr: both streams end at the exit with what was written, and their fds are closed', async (ctx) => {
  const before = heldPipes();
  const c = start("/bin/sh -c 'sleep 300 & echo out; echo err >&2'");
  ctx.children.push(c);
  const [out, err] = await Promise.all([collect(c.stdout), collect(c.stderr!), c.exited]);
  assert.equal([out, err], ['out\n', 'err\n']);
  assert.is(heldPipes(), before);
});

test('what the pipe holds at the exit is drained before the stream ends, though nothing read it while the child ran', async (ctx) => {
  // 50,000 bytes fit in the pipe: the child exits without waiting for a reader.
  const c = start("/bin/sh -c 'sleep 300 & head -c 50000 /dev/zero | tr \"\\\\0\" x'");
  ctx.children.push(c);
  await c.exited;
  assert.is(await collect(c.stdout), 'x'.repeat(50_000));
});

test('a grandchild that writes on after the exit: the stream still ends', async (ctx) => {
  // bounded, in case the process group escapes the clean-up
  const c = start("/bin/sh -c '(i=0; while [ $i -lt 3000 ]; do echo tick; sleep 0.01; i=$((i+1)); done) & echo first'");
  ctx.children.push(c);
  const [out] = await Promise.all([collect(c.stdout), c.exited]);
  const lines = out.split('\n');
  assert.is(lines.pop(), '', out);
  assert.ok(lines.includes('first') && lines.every((l) => l === 'first' || l === 'tick'), out);
});

test.run();
