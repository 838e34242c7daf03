// httpok's decisions against a URL this test serves and a fake daemon: what counts as a
// failure, whom it restarts, what it reports and mails, and when it does not look at all.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { HttpOk, parseHttpOk } from '../../listeners/httpok.ts';
import { suite } from '../harness.ts';
import { FakeDaemon, info } from './fake-daemon.ts';

interface Ctx {
  server: Server | null;
  url: string;
  dir: string;
  answer: { status: number; body: string };
  requests: number;
}

const test = suite<Ctx>('listeners/httpok', { server: null, url: '', dir: '', answer: { status: 200, body: '' }, requests: 0 }, 15_000);

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'statevisor-httpok-'));
  ctx.server = createServer((_req, res) => {
    ctx.requests++;
    res.statusCode = ctx.answer.status;
    res.end(ctx.answer.body);
  });
  await new Promise<void>((resolve) => ctx.server!.listen(0, '127.0.0.1', resolve));
  ctx.url = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}/health`;
});

test.before.each((ctx) => {
  ctx.answer = { status: 200, body: 'all good' };
  ctx.requests = 0;
});

test.after(async (ctx) => {
  ctx.server?.closeAllConnections();
  await new Promise((resolve) => ctx.server?.close(resolve));
  rmSync(ctx.dir, { recursive: true, force: true });
});

const DAEMON = () => new FakeDaemon([
  info('web', 'web', 'RUNNING'),
  info('workers', 'w_0', 'RUNNING'),
  info('workers', 'w_1', 'STOPPED'),
  info('db', 'db', 'RUNNING'),
]);

async function check(ctx: Ctx, args: string[], daemon = DAEMON()): Promise<{ calls: string[]; lines: string[]; mail: string }> {
  const mailFile = join(ctx.dir, 'mail.txt');
  rmSync(mailFile, { force: true });
  const lines: string[] = [];
  const settings = parseHttpOk([...args, '-m', 'ops@example.com', '-s', `cat > '${mailFile}'`, ctx.url]);
  await new HttpOk(settings, daemon, (l) => lines.push(l)).check();
  let mail = '';
  try { mail = readFileSync(mailFile, 'utf8'); } catch { /* none sent */ }
  return { calls: daemon.calls, lines, mail };
}

test('a healthy answer: nothing restarted, nothing mailed', async (ctx) => {
  const r = await check(ctx, ['-p', 'web', '-b', 'good']);
  assert.is(ctx.requests, 1);
  assert.equal(r, { calls: [], lines: [], mail: '' });
});

test('a bad status: the RUNNING processes named restart, the others are reported, the lot mailed', async (ctx) => {
  ctx.answer = { status: 503, body: 'down' };
  const r = await check(ctx, ['-p', 'web', '-p', 'workers:w_0', '-p', 'workers:w_1', '-p', 'gone']);
  assert.equal(r.calls, ['stop web', 'start web', 'stop workers:w_0', 'start workers:w_0']);
  const report = r.lines.slice(0, -1);
  assert.equal(report, [
    `status contacting ${ctx.url}: 503 Service Unavailable`,
    'Restarting selected processes web, workers:w_0, workers:w_1, gone',
    'web is in RUNNING state, restarting',
    'web restarted',
    'workers:w_0 is in RUNNING state, restarting',
    'workers:w_0 restarted',
    'workers:w_1 not in RUNNING state, NOT restarting',
    'Programs not restarted because they did not exist: gone',
  ]);
  const mail = `To: ops@example.com\nSubject: httpok for ${ctx.url}: bad status returned\n\n${report.join('\n')}`;
  assert.is(r.mail, mail);
  assert.is(r.lines.at(-1), `Mailed:\n\n${mail}`);
});

test('a body without the -b text fails; -c lists every status that is fine', async (ctx) => {
  ctx.answer = { status: 204, body: '' };
  assert.equal((await check(ctx, ['-p', 'web', '-c', '200', '-c', '204'])).calls, []);
  ctx.answer = { status: 200, body: 'all bad' };
  const r = await check(ctx, ['-p', 'web', '-b', 'good']);
  assert.equal(r.calls, ['stop web', 'start web']);
  assert.match(r.mail, new RegExp(`^To: ops@example.com\\nSubject: httpok for ${ctx.url}: bad body returned\\n\\nstatus contacting ${ctx.url}: 200 OK\\n`));
});

test('-a restarts every RUNNING process', async (ctx) => {
  ctx.answer = { status: 500, body: '' };
  const r = await check(ctx, ['-a']);
  assert.equal(r.calls, ['stop web', 'start web', 'stop workers:w_0', 'start workers:w_0', 'stop db', 'start db']);
  assert.is(r.lines[1], 'Restarting all running processes');
});

test('-w: a process up fewer seconds than the grace time is left alone', async (ctx) => {
  ctx.answer = { status: 500, body: '' };
  const r = await check(ctx, ['-p', 'web', '-w', '60'], new FakeDaemon([info('web', 'web', 'RUNNING', 5)]));
  assert.equal(r.calls, []);
  assert.ok(r.lines.includes('web is in RUNNING state 5 seconds (<60), delay restarting'), r.lines.join('\n'));
});

test('-E: no request while no watched process is RUNNING; eager by default', async (ctx) => {
  ctx.answer = { status: 500, body: '' };
  const stopped = () => new FakeDaemon([info('web', 'web', 'STOPPED')]);
  await check(ctx, ['-E', '-p', 'web'], stopped());
  assert.is(ctx.requests, 0);
  const r = await check(ctx, ['-p', 'web'], stopped());
  assert.is(ctx.requests, 1);
  assert.ok(r.lines.includes('web not in RUNNING state, NOT restarting'));
});

test('a refused connection within a timeout under 10 s is tried once, then acted on', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise((resolve) => closed.close(resolve));
  const daemon = DAEMON();
  const lines: string[] = [];
  await new HttpOk(parseHttpOk(['-p', 'web', '-t', '1', url]), daemon, (l) => lines.push(l)).check();
  assert.equal(daemon.calls, ['stop web', 'start web']);
  assert.match(lines[0], new RegExp(`^error contacting ${url}:\\n\\n connect ECONNREFUSED`));
});

test.run();
