import * as assert from 'uvu/assert';
import type { ChildHandle } from '../../src/runtime/child.ts';
import { sendSignal } from '../../src/runtime/signal.ts';
import { suite } from '../harness.ts';
import { alive, finish, firstLine, killQuietly, program, start, waitUntilGone } from './helpers.ts';

const test = suite('runtime/signals');

test('TERM to the pid alone: the child dies, its grandchild lives on', async () => {
  let child: ChildHandle | undefined;
  let grandchild: number | undefined;
  try {
    child = start(program('spawn-grandchild.sh'));
    grandchild = Number(await firstLine(child.stdout));
    assert.is(child.signal('SIGTERM', false), null);
    const exit = await child.exited;
    assert.equal([exit.code, exit.signal], [null, 'SIGTERM']);
    assert.ok(alive(grandchild), 'the grandchild survives a pid-only signal');
  } finally {
    killQuietly(grandchild);
    await finish(child);
  }
});

test('TERM to the group (stopasgroup): child and grandchild both die', async () => {
  let child: ChildHandle | undefined;
  let grandchild: number | undefined;
  try {
    child = start(program('spawn-grandchild.sh'));
    grandchild = Number(await firstLine(child.stdout));
    assert.is(child.signal(15, true), null);
    assert.is((await child.exited).signal, 'SIGTERM');
    await waitUntilGone(grandchild);
  } finally {
    killQuietly(grandchild);
    await finish(child);
  }
});

test('a TERM the child ignores, then KILL to the group', async () => {
  const child = start(program('ignore-term.sh'));
  try {
    assert.is(await firstLine(child.stdout), 'ready');
    assert.is(child.signal('SIGTERM', true), null);
    assert.is(child.exit, null);
    assert.is(child.signal('SIGKILL', true), null);
    assert.is((await child.exited).signal, 'SIGKILL');
  } finally {
    await finish(child);
  }
});

test('after the exit: ESRCH as a value, and no kill(2) that could hit a reused pid', async () => {
  const child = start(`${program('exit-after.sh')} 0 0`);
  try {
    assert.is((await child.exited).code, 0);
    assert.equal(child.signal('SIGTERM', false), { code: 'ESRCH', message: '[Errno 3] No such process' });
    assert.equal(child.signal('SIGKILL', true), { code: 'ESRCH', message: '[Errno 3] No such process' });
  } finally {
    await finish(child);
  }
});

test('kill(2) failures come back as values, never thrown', () => {
  // Above the largest pid_max Linux allows (2^22): no such process, no such group.
  assert.equal(sendSignal(4_194_305, 'SIGTERM', false), { code: 'ESRCH', message: '[Errno 3] No such process' });
  assert.equal(sendSignal(4_194_305, 'SIGTERM', true), { code: 'ESRCH', message: '[Errno 3] No such process' });
  assert.equal(sendSignal(process.pid, 999, false), { code: 'EINVAL', message: '[Errno 22] Invalid argument' });
});

test('a HUP the program handles is a signal, not an exit', async () => {
  const child = start(`/bin/sh -c 'trap "echo got-hup" HUP; echo ready; while :; do sleep 0.05; done'`);
  try {
    assert.is(await firstLine(child.stdout), 'ready');
    const next = firstLine(child.stdout);
    child.stdout.resume();
    assert.is(child.signal('SIGHUP'), null);
    assert.is(await next, 'got-hup');
    assert.is(child.exit, null);
  } finally {
    await finish(child);
  }
});

test.run();
