// The posix_spawn path (child-native.ts) with real children and real signals: the whole
// wait status (the core-dump bit, realtime signals Node loses), real pipes, the notify fd,
// no zombie left behind, and libuv's own children keeping their exit statuses beside ours.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { decodeExit } from '../../machines/process-log.ts';
import { decodeWaitStatus } from '../../src/runtime/child-native.ts';
import type { ChildHandle } from '../../src/runtime/child.ts';
import { suite } from '../harness.ts';
import { collect, finish, firstLine, nativeSpawnTest, program, start, zombieChildren } from './helpers.ts';

const test = suite('runtime/native-spawn', {}, 30_000);

const t = nativeSpawnTest('runtime/native-spawn', test);

let dir = '';
test.before(() => { dir = mkdtempSync(join(tmpdir(), 'statevisor-native-')); });
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function ended(command: string, spec: Parameters<typeof start>[1] = {}) {
  const child = start(command, spec);
  try {
    const [stdout, exit] = await Promise.all([collect(child.stdout), child.exited]);
    return { child, stdout, exit };
  } finally {
    await finish(child);
  }
}

test('decodeWaitStatus reads a wait status as <sys/wait.h> does', () => {
  assert.equal(decodeWaitStatus(0), { code: 0, signal: null, signo: null, core: false });
  assert.equal(decodeWaitStatus(255 << 8), { code: 255, signal: null, signo: null, core: false });
  assert.equal(decodeWaitStatus(15), { code: null, signal: 'SIGTERM', signo: 15, core: false });
  assert.equal(decodeWaitStatus(6 | 0x80), { code: null, signal: 'SIGABRT', signo: 6, core: true });
  assert.equal(decodeWaitStatus(35), { code: null, signal: null, signo: 35, core: false });
});

t('exit statuses, and the pid is reaped before the exit is told', async () => {
  for (const code of [0, 3, 255]) {
    const { child, exit } = await ended(`${program('exit-after.sh')} ${code} 0`);
    assert.equal([exit.code, exit.signal, exit.signo, exit.core], [code, null, null, false]);
    assert.not.ok(zombieChildren().includes(child.pid), `pid ${child.pid} left a zombie`);
  }
});

t('a realtime signal (SIGRTMIN+1 = 35) is a signal death, worded as supervisor words it', async () => {
  const child = start(program('sleep-forever.sh'));
  try {
    assert.is(child.signal(35), null);
    const exit = await child.exited;
    assert.equal([exit.code, exit.signal, exit.signo], [null, null, 35]);
    assert.equal(decodeExit({ code: exit.code, signal: exit.signo, core: exit.core }), { status: -1, text: 'terminated by signal 35' });
  } finally {
    await finish(child);
  }
});

const coreDumps = (() => {
  const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
  return pattern.startsWith('|') ? null : pattern;
})();

(coreDumps === null ? test.skip : t)('a core dump sets the core-dump bit: "terminated by SIGQUIT (core dumped)"', async () => {
  // sh raises its own limit (the hard limit allows it here) and execs sleep, which dumps
  // core into its cwd on SIGQUIT.
  const child = start(`/bin/sh -c 'ulimit -c unlimited && echo ready && exec sleep 60'`, { directory: dir });
  try {
    assert.is(await firstLine(child.stdout), 'ready');
    child.stdout.resume();
    assert.is(child.signal('SIGQUIT'), null);
    const exit = await child.exited;
    assert.equal([exit.signal, exit.signo, exit.core], ['SIGQUIT', 3, true]);
    assert.equal(decodeExit({ code: exit.code, signal: exit.signo, core: exit.core }).text, 'terminated by SIGQUIT (core dumped)');
  } finally {
    await finish(child);
  }
});
if (coreDumps === null) console.warn('SKIPPED runtime/native-spawn core-dump test: core_pattern pipes cores to a program');

t("stdio are anonymous pipes (pipe:[…]), not the FIFOs of the fallback", async () => {
  const child = start(program('sleep-forever.sh'), { redirectStderr: true });
  try {
    const links = [0, 1, 2].map((fd) => readlinkSync(`/proc/${child.pid}/fd/${fd}`));
    assert.ok(links.every((l) => /^pipe:\[\d+\]$/.test(l)), links.join(' '));
    assert.is(links[1], links[2], 'redirect_stderr: fd 2 is fd 1\'s pipe');
    assert.is.not(links[0], links[1]);
  } finally {
    await finish(child);
  }
});

t('notify fd 5: a pipe at 5, fds 3 and 4 closed, what the child writes reaches `notify`', async () => {
  let child: ChildHandle | undefined;
  try {
    child = start(`/bin/sh -c 'ls /proc/self/fd >&2; echo ready >&5'`, { notifyFd: 5 });
    const [fds, note] = await Promise.all([collect(child.stderr!), child.notify ? collect(child.notify) : null, child.exited]);
    assert.is(note, 'ready\n');
    // ls's own fd on /proc/self/fd is the lowest free one: 3
    assert.equal(fds.trim().split(/\s+/).map(Number).sort((a, b) => a - b), [0, 1, 2, 3, 5]);
  } finally {
    await finish(child);
  }
});

t('an exec that fails (ENOENT) leaves no child behind and the stand-in says so', async () => {
  const { exit, child } = await ended('/bin/sh -c true', { directory: join(dir, 'missing') });
  assert.is(exit.code, 127);
  assert.is(child.failure, `supervisor: couldn't chdir to ${join(dir, 'missing')}: ENOENT`);
  assert.equal(zombieChildren(), []);
});

t("libuv's children keep their statuses while ours are reaped beside them", async () => {
  const ours = Array.from({ length: 20 }, (_, i) => start(`${program('exit-after.sh')} ${i} ${(i % 3) * 100}`));
  const theirs = Array.from({ length: 20 }, (_, i) => new Promise<number | null>((resolve) => {
    spawn('/bin/sh', ['-c', `sleep 0.${i % 3}; exit ${i + 100}`], { stdio: 'ignore' }).once('exit', (code) => resolve(code));
  }));
  try {
    const [mine, node] = await Promise.all([Promise.all(ours.map((h) => h.exited)), Promise.all(theirs)]);
    assert.equal(mine.map((e) => e.code), Array.from({ length: 20 }, (_, i) => i));
    assert.equal(node, Array.from({ length: 20 }, (_, i) => i + 100));
    assert.equal(zombieChildren(), []);
  } finally {
    for (const h of ours) await finish(h);
  }
});

test.run();
