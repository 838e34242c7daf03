// /logtail and /mainlogtail as supervisor's tail_f_producer: the last 1024 bytes, then
// appends, truncation and rotation; a client that leaves takes its file, timer and watch
// with it.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRUNCATED, type TailSource } from '../../src/http/tail.ts';
import { inet, serve, type TestServer } from '../rpc/helpers.ts';

interface Ctx { dir: string; server: TestServer | null; watchers: Set<() => void> }
const test = suite<Ctx>('logtail', { dir: '', server: null, watchers: new Set() }, 20_000);

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'statevisor-tail-'));
  const watched: TailSource = {
    path: join(ctx.dir, 'watched.log'),
    watch: (changed) => {
      ctx.watchers.add(changed);
      return () => ctx.watchers.delete(changed);
    },
  };
  ctx.server = await serve([inet()], {
    logtail: {
      processLog: (ns, channel) => (ns === 'watched' ? watched : ns === 'web:web_00' ? join(ctx.dir, `web_00-${channel}.log`) : null),
      mainLog: () => join(ctx.dir, 'main.log'),
    },
  });
});
test.after(async (ctx) => {
  await ctx.server?.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

interface Tail { res: IncomingMessage; text: () => string; until: (s: string) => Promise<void>; close: () => void }

function openTail(port: number, path: string): Promise<Tail> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let text = '';
      const waiters = new Set<() => void>();
      res.setEncoding('latin1');
      res.on('data', (d: string) => {
        text += d;
        waiters.forEach((w) => w());
      });
      res.on('error', () => {});
      resolve({
        res,
        text: () => text,
        until: (s) => new Promise((ok) => {
          const check = (): void => void (text.includes(s) && (waiters.delete(check), ok()));
          waiters.add(check);
          check();
        }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

test('starts with the last 1024 bytes, headers as supervisor sends them', async ({ dir, server }) => {
  const body = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`).join('');
  writeFileSync(join(dir, 'web_00-stdout.log'), body);
  const t = await openTail(server!.port(), '/logtail/web:web_00');
  await t.until('line 0099\n');
  assert.is(t.text(), body.slice(-1024));
  assert.is(t.res.statusCode, 200);
  assert.is(t.res.headers['content-type'], 'text/plain;charset=utf-8');
  assert.is(t.res.headers['x-accel-buffering'], 'no');
  assert.is(t.res.headers['transfer-encoding'], 'chunked');
  assert.is(t.res.headers.server, 'Medusa/1.12');
  assert.match(t.res.headers['last-modified'] ?? '', /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
  t.close();
});

test('follows appends, says so on truncation, starts over after rotation', async ({ dir, server }) => {
  const file = join(dir, 'web_00-stderr.log');
  writeFileSync(file, 'short\n');
  const t = await openTail(server!.port(), '/logtail/web%3Aweb_00/stderr');
  await t.until('short\n');
  appendFileSync(file, 'more\n');
  await t.until('more\n');
  truncateSync(file, 0);
  await t.until(TRUNCATED);
  appendFileSync(file, 'after truncation\n');
  await t.until('after truncation\n');
  renameSync(file, `${file}.1`);
  writeFileSync(file, 'rotated\n');
  await t.until('rotated\n');
  assert.is(t.text(), `short\nmore\n${TRUNCATED}after truncation\nrotated\n`);
  t.close();
});

test('/mainlogtail: the main log, without X-Accel-Buffering', async ({ dir, server }) => {
  writeFileSync(join(dir, 'main.log'), 'INFO started\n');
  const t = await openTail(server!.port(), '/mainlogtail');
  await t.until('INFO started\n');
  assert.is(t.res.headers['x-accel-buffering'], undefined);
  t.close();
});

test('a source that signals its changes is not polled', async (ctx) => {
  const file = join(ctx.dir, 'watched.log');
  writeFileSync(file, 'one\n');
  const t = await openTail(ctx.server!.port(), '/logtail/watched');
  await t.until('one\n');
  assert.is(ctx.watchers.size, 1);
  appendFileSync(file, 'two\n');
  await new Promise((r) => setTimeout(r, 250)); // two polling periods
  assert.is(t.text(), 'one\n');
  ctx.watchers.forEach((changed) => changed());
  await t.until('two\n');
  t.close();
  await eventually(() => ctx.watchers.size === 0, 'the watch is dropped when the client leaves');
});

test('a client leaving mid-stream leaks no file descriptor, and the server keeps serving', async ({ dir, server }) => {
  const file = join(dir, 'web_00-stdout.log');
  writeFileSync(file, 'x'.repeat(10_000));
  const baseline = openFds();
  for (let round = 0; round < 5; round++) {
    const t = await openTail(server!.port(), '/logtail/web:web_00');
    await t.until(readFileSync(file, 'latin1').slice(-1024));
    appendFileSync(file, 'y'.repeat(5000));
    t.close();
  }
  await eventually(() => openFds() === baseline, `fds back to ${baseline} (now ${openFds()})`);
  const t = await openTail(server!.port(), '/logtail/web:web_00');
  await t.until('y'.repeat(1024));
  t.close();
  await eventually(() => openFds() === baseline, 'and again');
});

test('close() ends every live tail and its file', async ({ dir }) => {
  writeFileSync(join(dir, 'main.log'), 'INFO x\n');
  const own = await serve([inet()], { logtail: { processLog: () => null, mainLog: () => join(dir, 'main.log') } });
  const baseline = openFds();
  const t = await openTail(own.port(), '/mainlogtail');
  await t.until('INFO x\n');
  const ended = new Promise<void>((r) => t.res.on('close', () => r()));
  await own.close();
  await ended;
  await eventually(() => openFds() <= baseline - 1, 'the listening socket, the connection and the log file are closed');
});

test.run();
