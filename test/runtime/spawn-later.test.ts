// startChildLater (child.ts): posix_spawn on a thread of libuv's pool, real children.
// Results come back in call order and after the call returns; a child that is gone before
// its spawn comes back is still reaped and told; what cannot go to another thread (a umask)
// is spawned before the call returns, as startChild would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { startChildLater, type ChildHandle, type ChildSpec } from '../../src/runtime/child.ts';
import { resolveCommand } from '../../src/runtime/command.ts';
import { SPAWNS_IN_FLIGHT } from '../../src/runtime/posix-spawn.ts';
import { suite } from '../harness.ts';
import { collect, finish, nativeSpawnTest, program, zombieChildren } from './helpers.ts';

const test = suite('runtime/spawn-later', {}, 60_000);

const t = nativeSpawnTest('runtime/spawn-later', test);

let dir = '';
test.before(() => { dir = mkdtempSync(join(tmpdir(), 'statevisor-later-')); });
test.after(() => rmSync(dir, { recursive: true, force: true }));

const started: ChildHandle[] = [];
test.after.each(async () => {
  await Promise.all(started.splice(0).map((h) => finish(h)));
});

const env = { PATH: '/usr/bin:/bin' };
const spec = (command: string, over: Partial<ChildSpec> = {}): ChildSpec => ({ name: 'test', ...resolveCommand(command, env, process.env.PATH), env, ...over });

/** startChildLater for each spec: the handles in the order their callbacks ran, and whether any ran before its call returned. */
function startAll(specs: ChildSpec[]): { handles: Promise<ChildHandle[]>; early: () => boolean; order: number[] } {
  const order: number[] = [];
  let returned = 0;
  let early = false;
  const handles = Promise.all(specs.map((s, i) => new Promise<ChildHandle>((resolve, reject) => {
    startChildLater(s, (h) => {
      if (returned <= i) early = true;
      order.push(i);
      if (h instanceof Error) return reject(h);
      started.push(h);
      resolve(h);
    });
    returned++;
  })));
  return { handles, early: () => early, order };
}

t('60 spawns: each told after its call returned, in call order, each its own output and exit status', async () => {
  const n = 60;
  const run = startAll(Array.from({ length: n }, (_, i) => spec(`/bin/sh -c 'echo child ${i}; exit ${i % 7}'`)));
  const handles = await run.handles;
  assert.not.ok(run.early(), 'a result came before its call returned');
  assert.equal(run.order, Array.from({ length: n }, (_, i) => i));
  assert.is(new Set(handles.map((h) => h.pid)).size, n);
  const outputs = await Promise.all(handles.map((h) => collect(h.stdout)));
  const exits = await Promise.all(handles.map((h) => h.exited));
  assert.equal(outputs, handles.map((_, i) => `child ${i}\n`));
  assert.equal(exits.map((e) => e.code), handles.map((_, i) => i % 7));
  assert.equal(zombieChildren(), []);
});

t('more spawns than go to the pool at once: all in call order, the waiting ones handed over while earlier results are still being handed out', async () => {
  const n = SPAWNS_IN_FLIGHT * 2 + 40;
  const told: number[] = [];
  const order: number[] = [];
  const handles = await new Promise<ChildHandle[]>((resolve, reject) => {
    const out: ChildHandle[] = [];
    for (let i = 0; i < n; i++) {
      startChildLater(spec('/bin/true'), (h) => {
        if (h instanceof Error) return reject(h);
        started.push(h);
        out.push(h);
        order.push(i);
        told.push(Date.now());
        // what a result costs the daemon (its readers, the SPAWNED step, the line), and more
        for (const until = performance.now() + 4; performance.now() < until;);
        if (out.length === n) resolve(out);
      });
    }
  });
  assert.equal(order, Array.from({ length: n }, (_, i) => i));
  assert.is(new Set(handles.map((h) => h.pid)).size, n);
  // The last spawn waited for a free place; it got one when an earlier call came back,
  // not once that call's result (and all before it) had been handed out.
  const freedBy = n - SPAWNS_IN_FLIGHT - 1;
  assert.ok(handles[n - 1].startedAt < told[freedBy], `the last spawn was handed over at ${handles[n - 1].startedAt}, after result ${freedBy} was told (${told[freedBy]})`);
  await Promise.all(handles.map((h) => h.exited));
  assert.equal(zombieChildren(), []);
});

t("laststart (startedAt) is the hand-over to the pool, as supervisor's is just before its fork, not the pid's return", async () => {
  const before = Date.now();
  const run = startAll([spec('/bin/true')]);
  // The pid can only be read once this turn of the event loop ends: hold it well past
  // what the spawn takes on its thread.
  let after = Date.now();
  while (after - before < 50) after = Date.now();
  const [h] = await run.handles;
  // Date.now() counts whole ms, startedAt is its reading less a monotonic wait: 1 ms of slack.
  assert.ok(h.startedAt >= before - 1, `startedAt ${h.startedAt} is before the call (${before})`);
  assert.ok(h.startedAt < after, `startedAt ${h.startedAt} is not before the pid could come back (${after})`);
  await h.exited;
});

t('children that exit at once (before their spawn may have come back): reaped, told, their output whole', async () => {
  const handles = await startAll(Array.from({ length: 40 }, (_, i) => spec(`/bin/echo quick ${i}`))).handles;
  // taken as the daemon takes them, at once in the callback's turn
  const outputs = Promise.all(handles.map((h) => collect(h.stdout)));
  const exits = await Promise.all(handles.map((h) => h.exited));
  assert.ok(exits.every((e) => e.code === 0 && e.signal === null));
  assert.equal(await outputs, handles.map((_, i) => `quick ${i}\n`));
  assert.equal(zombieChildren(), []);
});

t("a chdir that fails comes back as the stand-in's exit 127 with supervisor's message", async () => {
  const missing = join(dir, 'missing');
  const [h] = await startAll([spec('/bin/sh -c true', { directory: missing })]).handles;
  const [stderr, exit] = await Promise.all([collect(h.stderr!), h.exited]);
  assert.is(exit.code, 127);
  assert.is(h.failure, `supervisor: couldn't chdir to ${missing}: ENOENT`);
  assert.match(stderr, `supervisor: couldn't chdir to ${missing}: ENOENT`);
  assert.equal(zombieChildren(), []);
});

t('a umask is set around the spawn on this thread: told before the call returns', async () => {
  const run = startAll([spec(program('print-umask.sh'), { umask: 0o027 })]);
  assert.ok(run.early(), 'a spawn with a umask is made before startChildLater returns');
  const [h] = await run.handles;
  assert.is((await collect(h.stdout)).trim(), '0027');
});

test.run();
