// /healthz and /readyz on a running daemon's HTTP servers (inet and unix alike): behind
// the server's auth unless open_probes = true, /readyz 503 with what is not ready until
// every autostart process runs or a one-shot has done its job.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { cleanupAll, freePort, prog, program, startDaemon, waitFor } from './helpers.ts';
import { get, servers } from './http-probe.ts';

const test = suite('daemon/probes', {}, 60_000);
test.after.each(cleanupAll);

test('/readyz: 503 listing what is not RUNNING, then 200; a one-shot that exited as expected is done; autostart=false does not count', async () => {
  const port = await freePort();
  const body = servers(port, { unix: '%(here)s/probe.sock' }) +
    prog('slow', program('sleep-forever.sh'), { startsecs: 2 }) + '\n' +
    prog('oneshot', program('exit-after.sh', 0, 0), { autorestart: false }) + '\n' +
    prog('manual', program('sleep-forever.sh'), { autostart: false });
  const d = await startDaemon(body);
  const sock = { socketPath: d.path('probe.sock') };
  const early = await get({ port }, '/readyz');
  assert.is(early.status, 503, early.body);
  assert.match(early.body, /^not ready:\n/);
  assert.match(early.body, /\nslow STARTING\n/);
  assert.not.match(early.body, /manual/);
  await d.waitForLine(/^success: slow entered RUNNING/, 20_000);
  await d.waitForLine(/^exited: oneshot \(exit status 0; expected\)$/, 20_000);
  for (const target of [{ port }, sock]) {
    const ready = await get(target, '/readyz');
    assert.equal([ready.status, ready.body, ready.contentType], [200, 'ready\n', 'text/plain; charset=utf-8']);
    assert.equal(await get(target, '/healthz').then((r) => [r.status, r.body]), [200, 'ok\n']);
  }
  assert.equal(await get({ port }, '/readyz', undefined, 'HEAD').then((r) => [r.status, r.body]), [200, '']);
  assert.is((await get({ port }, '/readyz', undefined, 'POST')).status, 405);
  assert.is((await get({ port }, '/readyz?verbose=1')).status, 200, 'a query string does not change the path');
  assert.is((await get({ port }, '/readyzz')).status, 404, 'only the exact paths');
  await d.stop();
});

test('/readyz: a process that went FATAL or exited unexpectedly keeps the daemon unready', async () => {
  const port = await freePort();
  const d = await startDaemon(servers(port) +
    prog('crash', program('exit-after.sh', 2, 0), { startsecs: 5, startretries: 0 }) + '\n' + prog('fine', program('sleep-forever.sh')));
  await d.waitForLine(/^gave up: crash entered FATAL/, 20_000);
  await d.waitForLine(/^success: fine entered RUNNING/, 20_000);
  const r = await get({ port }, '/readyz');
  assert.equal([r.status, r.body], [503, 'not ready:\ncrash FATAL\n']);
  await d.stop();
});

test('behind auth by default: 401 without credentials, 200 with them; open_probes opens only the three paths', async () => {
  const port = await freePort();
  const body = servers(port, { auth: true }) + prog('svc', program('sleep-forever.sh'));
  const closed = await startDaemon(body);
  for (const path of ['/healthz', '/readyz', '/metrics']) {
    assert.is((await get({ port }, path)).status, 401, path);
    assert.is((await get({ port }, path, 'user:wrong')).status, 401, path);
  }
  assert.is((await get({ port }, '/healthz', 'user:secret')).status, 200);
  await closed.stop();

  const open = await startDaemon(body, { supervisord: { open_probes: true } });
  await open.waitForLine(/^success: svc entered RUNNING/, 20_000);
  assert.equal(await get({ port }, '/healthz').then((r) => [r.status, r.body]), [200, 'ok\n']);
  assert.is((await get({ port }, '/readyz')).status, 200);
  assert.is((await get({ port }, '/metrics')).status, 200);
  assert.is((await get({ port }, '/RPC2', undefined, 'POST')).status, 401, 'the rest stays behind auth');
  assert.is((await get({ port }, '/')).status, 401, 'the web page stays behind auth');
  await open.stop();
});

test('/healthz answers while a shutdown is under way, /readyz does not', async () => {
  const port = await freePort();
  const d = await startDaemon(servers(port) +
    prog('stubborn', program('ignore-term.sh'), { stopwaitsecs: 10 }));
  await d.waitForLine(/^success: stubborn entered RUNNING/, 20_000);
  d.signal('SIGTERM');
  await d.waitForLine(/^waiting for stubborn to die$/, 20_000);
  assert.is((await get({ port }, '/healthz')).status, 200);
  const r = await get({ port }, '/readyz');
  assert.equal([r.status, r.body], [503, 'not ready:\nstatevisord SHUTDOWN\n']);
  await waitFor('the daemon to exit', () => d.exited, 30_000, () => d.describe());
});

test.run();
