import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { ChildHandle } from '../../src/runtime/child.ts';
import { collect, finish, program, start, withEachSpawnMethod } from './helpers.ts';

withEachSpawnMethod('runtime/child', (test, method) => {
  let dir = '';
  let daemonUmask = 0;
  test.before(() => {
    dir = mkdtempSync(join(tmpdir(), 'statevisor-child-'));
    // Read without process.umask(), whose no-argument form is deprecated.
    writeFileSync(join(dir, 'probe'), '', { mode: 0o777 });
    daemonUmask = 0o777 & ~statSync(join(dir, 'probe')).mode;
  });
  test.after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs a command to its end and returns its output and exit. */
  async function run(command: string, spec: Parameters<typeof start>[1] = {}) {
    let child: ChildHandle | undefined;
    try {
      child = start(command, spec);
      const [stdout, stderr, exit] = await Promise.all([collect(child.stdout), child.stderr ? collect(child.stderr) : null, child.exited]);
      return { child, stdout, stderr, exit };
    } finally {
      await finish(child);
    }
  }

  test('redirect_stderr: one pipe, so interleaved writes keep their order', async () => {
    const { stdout, stderr, child } = await run(`${program('interleave.sh')} 300`, { redirectStderr: true });
    assert.is(child.stderr, null);
    assert.is(stderr, null);
    const expected = Array.from({ length: 300 }, (_, i) => `out ${i + 1}\nerr ${i + 1}\n`).join('');
    assert.is(stdout, expected);
  });

  test('without it, stdout and stderr are separate pipes', async () => {
    const { stdout, stderr } = await run(`${program('interleave.sh')} 3`);
    assert.is(stdout, 'out 1\nout 2\nout 3\n');
    assert.is(stderr, 'err 1\nerr 2\nerr 3\n');
  });

  test('stdio are pipes: /dev/stdout opens and [ -p ] holds (a socketpair would give ENXIO)', async () => {
    const script = `/bin/sh -c '[ -p /dev/stdin ] && [ -p /dev/stdout ] && [ -p /dev/stderr ] && echo pipes; echo via-dev > /dev/stdout; echo err > /dev/stderr'`;
    const { stdout, stderr, exit } = await run(script);
    assert.is(stdout, 'pipes\nvia-dev\n');
    assert.is(stderr, 'err\n');
    assert.equal([exit.code, exit.signal], [0, null]);
  });

  test(`the pipes are what ${method === 'native' ? 'pipe2 makes: pipe:[…]' : 'the fallback makes: deleted FIFOs'}`, async () => {
    const { stdout } = await run(`/bin/sh -c 'readlink /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2'`);
    const shape = method === 'native' ? /^pipe:\[\d+\]$/ : /^\/.*statevisor-pipes-.* \(deleted\)$/;
    const links = stdout.trim().split('\n');
    assert.is(links.length, 3, stdout);
    for (const l of links) assert.match(l, shape);
  });

  test('no fd but 0, 1, 2 reaches the child', async () => {
    const { stdout } = await run(program('print-fds.sh'), { redirectStderr: true });
    const fds = stdout.trim().split('\n').map((l) => l.split(' ')[0]);
    assert.equal(fds, ['0', '1', '2'], stdout);
  });

  test('stdin is a pipe the daemon writes', async () => {
    const child = start(program('echo-stdin.sh'));
    try {
      const out = collect(child.stdout);
      child.stdin.end('hello\nworld\n');
      assert.is(await out, 'hello\nworld\n');
      assert.is((await child.exited).code, 0);
    } finally {
      await finish(child);
    }
  });

  test('umask applies to the child only, and files it creates', async () => {
    const file = join(dir, 'made-by-child');
    await run(`${program('create-file.sh')} ${file}`, { umask: 0o077 });
    assert.is(statSync(file).mode & 0o777, 0o600);
    assert.is((await run(program('print-umask.sh'), { umask: 0o027 })).stdout, '0027\n');
    // The daemon's own umask is back: a file it creates now gets its usual mode, and a child
    // without umask= inherits it.
    const mine = join(dir, 'made-by-daemon');
    writeFileSync(mine, '');
    assert.is(statSync(mine).mode & 0o777, 0o666 & ~daemonUmask);
    assert.is((await run(program('print-umask.sh'))).stdout, `${daemonUmask.toString(8).padStart(4, '0')}\n`);
  });

  test('directory: the child starts there', async () => {
    assert.is((await run(program('print-cwd.sh'), { directory: dir })).stdout, `${dir}\n`);
  });

  test('argv[0] is the command as written, not the resolved path', async () => {
    const { stdout, child } = await run('cat /proc/self/cmdline');
    assert.is(stdout, 'cat\0/proc/self/cmdline\0');
    assert.is(child.failure, null);
  });

  test('the child leads its own process group (and, with Node, its own session)', async () => {
    const { stdout, child } = await run(program('print-status.sh'));
    assert.match(stdout, new RegExp(`^NSpgid:\\s+${child.pid}$`, 'm'));
    assert.match(stdout, new RegExp(`^NSsid:\\s+${child.pid}$`, 'm'));
    assert.match(stdout, /^SigIgn:\s+0+$/m);
  });

  test('ignorePipeSignals: SIGPIPE and SIGXFSZ ignored, as under supervisord', async () => {
    const { stdout } = await run(program('print-status.sh'), { ignorePipeSignals: true });
    assert.match(stdout, /^SigIgn:\s+0000000001001000$/m);
  });

  test('timestamps come from now()', async () => {
    let clock = 1000;
    const { child, exit } = await run(`${program('exit-after.sh')} 3 0`, { now: () => (clock += 5) });
    assert.is(child.startedAt, 1005);
    assert.is(exit.at, 1010);
    assert.equal({ code: exit.code, signal: exit.signal }, { code: 3, signal: null });
  });

  test('a big write is read whole', async () => {
    const { stdout } = await run(`${program('spew.sh')} 1000000`);
    assert.is(stdout.length, 1_000_000);
  });
});
