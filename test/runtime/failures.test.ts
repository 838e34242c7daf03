// A child that supervisor forks but that never reaches execve writes why to its stderr and
// exits 127. Node reports those as spawn errors without a child, so a stand-in says it.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { startChild, type ChildHandle } from '../../src/runtime/child.ts';
import { privilegesFor } from '../../src/runtime/user.ts';
import { collect, finish, program, start, withEachSpawnMethod } from './helpers.ts';

withEachSpawnMethod('runtime/failures', (test) => {
  let dir = '';
  test.before(() => {
    dir = mkdtempSync(join(tmpdir(), 'statevisor-failures-'));
    writeFileSync(join(dir, 'no-shebang'), 'echo ran\n');
    writeFileSync(join(dir, 'bad-interpreter'), '#!/nonexistent/interpreter\necho ran\n');
    writeFileSync(join(dir, 'a-file'), '');
    for (const f of ['no-shebang', 'bad-interpreter']) chmodSync(join(dir, f), 0o755);
  });
  test.after(() => rmSync(dir, { recursive: true, force: true }));

  const NOT_SPAWNED = 'supervisor: child process was not spawned\n';

  async function failed(command: string, spec: Parameters<typeof start>[1] = {}) {
    let child: ChildHandle | undefined;
    try {
      child = start(command, spec);
      const [stdout, stderr, exit] = await Promise.all([collect(child.stdout), child.stderr ? collect(child.stderr) : null, child.exited]);
      assert.ok(child.pid > 0, 'there is a pid to log as spawned');
      assert.equal([exit.code, exit.signal], [127, null]);
      return { stdout, stderr, failure: child.failure };
    } finally {
      await finish(child);
    }
  }

  test('a missing directory: couldn\'t chdir, on stderr', async () => {
    const r = await failed(program('print-cwd.sh'), { directory: '/nonexistent/dir' });
    assert.is(r.stderr, `supervisor: couldn't chdir to /nonexistent/dir: ENOENT\n${NOT_SPAWNED}`);
    assert.is(r.stdout, '');
    assert.is(r.failure, "supervisor: couldn't chdir to /nonexistent/dir: ENOENT");
  });

  test('with redirect_stderr the lines go to stdout', async () => {
    const r = await failed(program('print-cwd.sh'), { directory: '/nonexistent/dir', redirectStderr: true });
    assert.is(r.stdout, `supervisor: couldn't chdir to /nonexistent/dir: ENOENT\n${NOT_SPAWNED}`);
  });

  test('a directory that is a file: ENOTDIR', async () => {
    const r = await failed(program('print-cwd.sh'), { directory: join(dir, 'a-file') });
    assert.is(r.stderr, `supervisor: couldn't chdir to ${join(dir, 'a-file')}: ENOTDIR\n${NOT_SPAWNED}`);
  });

  test('a file without #!: ENOEXEC, where Node alone would run it with /bin/sh', async () => {
    const r = await failed(join(dir, 'no-shebang'));
    assert.is(r.stderr, `supervisor: couldn't exec ${join(dir, 'no-shebang')}: ENOEXEC\n${NOT_SPAWNED}`);
  });

  test('a missing #! interpreter: ENOENT from execve', async () => {
    const r = await failed(`${join(dir, 'bad-interpreter')} arg`);
    assert.is(r.stderr, `supervisor: couldn't exec ${join(dir, 'bad-interpreter')}: ENOENT\n${NOT_SPAWNED}`);
  });

  test('an errno Node throws at once (E2BIG) takes the same path', async () => {
    let child: ChildHandle | undefined;
    try {
      // One argument above MAX_ARG_STRLEN (128 KiB): execve fails in the forked child.
      child = startChild({ name: 'big', filename: '/bin/true', argv: ['true', 'x'.repeat(200_000)], env: {} });
      const [stderr, exit] = await Promise.all([collect(child.stderr ?? child.stdout), child.exited]);
      assert.is(stderr, `supervisor: couldn't exec true: E2BIG\n${NOT_SPAWNED}`);
      assert.is(exit.code, 127);
    } finally {
      await finish(child);
    }
  });

  test('a uid with no passwd entry: couldn\'t setuid', async () => {
    const r = await failed(program('print-cwd.sh'), { uid: 4_242_424 });
    assert.is(r.stderr, `supervisor: couldn't setuid to 4242424: Can't find uid 4242424\n${NOT_SPAWNED}`);
  });

  test('drop_privileges decisions, in supervisor\'s order', () => {
    const nobody = { uid: 65534, gid: 65534, name: 'nobody', groups: [65534] };
    const lookup = (uid: number) => (uid === 65534 ? nobody : null);
    assert.equal(privilegesFor(null, 1000, lookup), { kind: 'keep' });
    assert.equal(privilegesFor(7, 0, lookup), { kind: 'fail', message: "Can't find uid 7" });
    assert.equal(privilegesFor(65534, 65534, lookup), { kind: 'keep' });
    assert.equal(privilegesFor(65534, 1000, lookup), { kind: 'fail', message: "Can't drop privilege as nonroot user" });
    assert.equal(privilegesFor(65534, 0, lookup), { kind: 'drop', user: nobody });
  });
});
