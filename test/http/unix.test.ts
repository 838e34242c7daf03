// The unix socket as supervisor binds it: mode set before the name appears, a stale socket
// replaced, a live one refused with supervisord's own words, and only our socket unlinked.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADDRESS_IN_USE_MESSAGE, HttpServerError, startHttpServers } from '../../src/http/server.ts';
import { socketInUse } from '../../src/http/listen.ts';
import { makeDispatcher } from '../../src/rpc/rpc.ts';
import { FakeApi } from '../rpc/fake-api.ts';
import { inet, pyCall, PYTHON, serve, unix } from '../rpc/helpers.ts';

const test = suite('unix', { dir: '' }, 20_000);

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'statevisor-sock-'));
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const listen = (path: string): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer((c) => c.resume().end('HTTP/1.0 200 OK\r\n\r\n'));
    s.listen(path, () => resolve(s));
  });

async function refusal(p: Promise<unknown>): Promise<HttpServerError> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, HttpServerError);
    return e as HttpServerError;
  }
  throw new Error('expected the servers to refuse to start');
}

test('the socket has its chmod mode, no temp name is left, close() unlinks it', async ({ dir }) => {
  const file = join(dir, 'sv.sock');
  const s = await serve([unix(file, 0o760)]);
  assert.ok(statSync(file).isSocket());
  assert.is(statSync(file).mode & 0o777, 0o760);
  assert.not.ok(existsSync(`${file}.${process.pid}`));
  assert.equal(await pyCall(s.url(), 'supervisor.getPID'), { ok: 4242 });
  await s.close();
  assert.not.ok(existsSync(file));
});

test('a stale socket is unlinked (said on stderr) and replaced', async ({ dir }) => {
  const file = join(dir, 'sv.sock');
  execFileSync(PYTHON, ['-c', `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(file)}); s.close()`]);
  assert.ok(statSync(file).isSocket());
  const s = await serve([unix(file)]);
  assert.equal(s.log.filter((l) => l.startsWith('STDERR')), [`STDERR Unlinking stale socket ${file}`]);
  assert.equal(await pyCall(s.url(), 'supervisor.getPID'), { ok: 4242 });
  await s.close();
});

test('a live socket: refused with supervisord\'s message, the other program left alone', async ({ dir }) => {
  const file = join(dir, 'sv.sock');
  const other = await listen(file);
  const ino = statSync(file).ino;
  try {
    const e = await refusal(serve([inet(), unix(file)]));
    assert.is(e.message, ADDRESS_IN_USE_MESSAGE);
    assert.is(e.message, 'Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.');
    assert.is(statSync(file).ino, ino);
    assert.not.ok(existsSync(`${file}.${process.pid}`));
    assert.ok(await socketInUse(file));
  } finally {
    await new Promise((r) => other.close(r));
  }
});

test('a TCP port in use: the same refusal; the servers opened before are closed again', async ({ dir }) => {
  const first = await serve([inet()]);
  const file = join(dir, 'sv.sock');
  try {
    const e = await refusal(serve([unix(file), { ...inet(), port: first.port() }]));
    assert.is(e.message, ADDRESS_IN_USE_MESSAGE);
    assert.not.ok(existsSync(file), 'the unix server opened first is gone');
  } finally {
    await first.close();
  }
});

test('other bind failures name the errno as supervisord does', async ({ dir }) => {
  const e = await refusal(serve([unix(join(dir, 'missing', 'sv.sock'))]));
  assert.is(e.message, 'Cannot open an HTTP server: socket.error reported errno.ENOENT (2)');
});

test('something that accepts but never answers counts as live', async ({ dir }) => {
  const file = join(dir, 'mute.sock');
  const held: Socket[] = [];
  const mute = createServer((c) => void held.push(c));
  await new Promise<void>((r) => mute.listen(file, r));
  try {
    assert.ok(await socketInUse(file, 100));
  } finally {
    held.forEach((c) => c.destroy());
    await new Promise((r) => mute.close(r));
  }
});

test('close() leaves a socket that another program put at the name since', async ({ dir }) => {
  const file = join(dir, 'sv.sock');
  const s = await serve([unix(file)]);
  unlinkSync(file);
  writeFileSync(file, 'not ours');
  await s.close();
  assert.ok(existsSync(file));
});

test('chown as given (root only)', async ({ dir }) => {
  if (process.getuid?.() !== 0) return;
  const file = join(dir, 'sv.sock');
  const servers = await startHttpServers({ servers: [{ ...unix(file), chown: [65534, 65534] }], rpc: makeDispatcher({ supervisor: new FakeApi() }) });
  try {
    assert.is(statSync(file).uid, 65534);
    assert.is(statSync(file).gid, 65534);
  } finally {
    await servers.close();
  }
});

test.run();
