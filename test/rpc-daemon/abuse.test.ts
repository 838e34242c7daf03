// Bad input through a running statevisord, not the server alone (test/http/ has those
// units): malformed XML, wrong credentials and unknown paths (answered as the real
// supervisord answers them, side by side), a 100 MB body, clients that leave a /logtail
// stream halfway, 200 clients at once. After each, a call still succeeds; at the end the
// daemon holds as many fds as before and its RSS has not grown.
import { connect } from 'node:net';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { basic, http, methodCall, pyCall, type Reply } from '../rpc/helpers.ts';
import { freePort } from '../daemon/helpers.ts';
import { configText, fdCount, referenceMissing, RpcDaemon, vmRssKb, type Kind } from '../rpc-python/daemons.ts';

const AUTH: [string, string] = ['user', 'pass'];
const MB = 1024 * 1024;

const config = (port: number) => configText(`[inet_http_server]
port=127.0.0.1:${port}
username=${AUTH[0]}
password=${AUTH[1]}

[unix_http_server]
file=%(here)s/sv.sock`, `[program:talker]
command=/bin/sh -c "while :; do echo talking; sleep 0.05; done"
startsecs=0`);

interface Side { d: RpcDaemon; port: number }
interface Ctx { ours: Side | null; theirs: Side | null }

const test = suite<Ctx>('abuse through a running daemon', { ours: null, theirs: null }, 90_000);
const missing = referenceMissing();

async function startSide(kind: Kind): Promise<Side> {
  const port = await freePort();
  const d = new RpcDaemon(kind, config(port));
  await d.start();
  return { d, port };
}

test.before(async (ctx) => {
  ctx.ours = await startSide('statevisord');
  if (!missing) ctx.theirs = await startSide('supervisord');
});
test.after(async (ctx) => {
  await ctx.ours?.d.cleanup();
  await ctx.theirs?.d.cleanup();
});

const url = (s: Side) => `http://127.0.0.1:${s.port}`;
const ok = async (s: Side): Promise<void> => {
  assert.equal(await pyCall(url(s), 'supervisor.getState', [], AUTH), { ok: { statecode: 1, statename: 'RUNNING' } });
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the daemon's fd count is back to `baseline` (closes happen after the replies). */
async function fdsBackTo(s: Side, baseline: number, what: string): Promise<void> {
  let n = fdCount(s.d.pid);
  for (const end = Date.now() + 5000; n > baseline && Date.now() < end; n = fdCount(s.d.pid)) await pause(20);
  assert.ok(n <= baseline, `${what}: the daemon holds ${n} fds, ${baseline} before`);
}

const good = basic(...AUTH);

/** What a client can see of a reply, less what changes from run to run. */
function seen(r: Reply): string {
  const h = r.headers;
  return JSON.stringify({
    status: r.status, reason: r.reason, type: h['content-type'], server: h.server, auth: h['www-authenticate'],
    connection: h.connection, body: r.body,
  });
}

// [what, method, path, body, headers]
const BAD: [string, string, string, string | undefined, Record<string, string>][] = [
  ['not XML', 'POST', '/RPC2', 'hello', good],
  ['truncated XML', 'POST', '/RPC2', '<?xml version="1.0"?><methodCall><methodName>supervisor.getPID</methodName><par', good],
  ['no methodName', 'POST', '/RPC2', '<methodCall><params/></methodCall>', good],
  ['bad int', 'POST', '/RPC2', methodCall('supervisor.getPID', '<param><value><int>x</int></value></param>'), good],
  ['unknown value tag', 'POST', '/RPC2', methodCall('supervisor.getPID', '<param><value><foo>1</foo></value></param>'), good],
  ['unknown method', 'POST', '/RPC2', methodCall('supervisor.nope'), good],
  ['no credentials', 'POST', '/RPC2', methodCall('supervisor.getPID'), {}],
  ['wrong password', 'POST', '/RPC2', methodCall('supervisor.getPID'), basic('user', 'nope')],
  ['wrong user', 'POST', '/RPC2', methodCall('supervisor.getPID'), basic('root', 'pass')],
  ['another scheme', 'POST', '/RPC2', methodCall('supervisor.getPID'), { Authorization: 'Bearer abc' }],
  ['undecodable credentials', 'POST', '/RPC2', methodCall('supervisor.getPID'), { Authorization: 'Basic YQ=x=' }],
  ['wrong credentials on /logtail', 'GET', '/logtail/talker', undefined, basic('user', 'nope')],
  ['GET /RPC2', 'GET', '/RPC2', undefined, good],
  ['unknown path', 'GET', '/nope', undefined, good],
  ['POST to an unknown path', 'POST', '/nope', 'x', good],
  ['/logtail of an unknown process', 'GET', '/logtail/nope', undefined, good],
  ['/logtail of an unknown channel', 'GET', '/logtail/talker/nope', undefined, good],
  ['/logtail with no process', 'GET', '/logtail', undefined, good],
];

if (missing) {
  console.warn(`\n*** test/rpc-daemon/abuse: ${missing}; the side-by-side test is skipped ***\n`);
  test.skip('malformed XML, wrong credentials, unknown paths: answered as supervisord answers them', () => {});
} else {
  test('malformed XML, wrong credentials, unknown paths: answered as supervisord answers them', async ({ ours, theirs }) => {
    const baseline = fdCount(ours!.d.pid);
    for (const [what, method, path, body, headers] of BAD) {
      const [a, b] = await Promise.all([ours, theirs].map((s) => http({ port: s!.port }, method, path, body, headers)));
      assert.is(seen(a!), seen(b!), what);
      await ok(ours!);
    }
    await fdsBackTo(ours!, baseline, 'after the bad requests');
  });
}

test('an empty body: 400 at once (supervisord never answers it: medusa waits for bytes that never come)', async ({ ours }) => {
  const r = await http({ port: ours!.port }, 'POST', '/RPC2', '', good);
  assert.is(r.status, 400);
  await ok(ours!);
});

test('a 100 MB call: refused with 413 before it is read, RSS flat, still serving', async ({ ours }) => {
  const pid = ours!.d.pid;
  await ok(ours!);
  const baseline = fdCount(pid);
  const before = vmRssKb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, vmRssKb(pid))), 10);
  try {
    // supervisord has no limit (medusa keeps any body in memory): not compared
    assert.equal(await pyCall(url(ours!), 'supervisor.sendProcessStdin', ['talker', { $big: 100 * MB }], AUTH), { protocol: 413 });
    // the same announced on a raw connection that then sends nothing: 413 at once
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect({ port: ours!.port, host: '127.0.0.1' });
      let out = '';
      s.on('data', (d) => {
        out += d;
        if (out.includes('</body>')) {
          s.destroy();
          resolve(out);
        }
      });
      s.on('error', reject);
      s.write(`POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: ${good.Authorization}\r\nContent-Length: ${100 * MB}\r\n\r\n`);
    });
    assert.match(reply, /^HTTP\/1\.1 413 Request Entity Too Large\r\n/);
  } finally {
    clearInterval(sampler);
  }
  assert.ok(peak - before < 16 * 1024, `RSS went from ${before} kB to ${peak} kB`);
  await ok(ours!);
  await fdsBackTo(ours!, baseline, 'after the 100 MB call');
});

interface Tail { socket: ReturnType<typeof connect>; got: Promise<string> }

/** A raw GET that resolves once `want` has come `times` times. */
function startTail(s: Side, path: string, want: string, times = 2): Tail {
  const socket = connect({ port: s.port, host: '127.0.0.1' });
  const got = new Promise<string>((resolve, reject) => {
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      out += d;
      if (out.split(want).length > times) resolve(out);
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed before ${times} × "${want}": ${out.slice(0, 300)}`)));
    const timer = setTimeout(() => reject(new Error(`no ${times} × "${want}" within 10 s on ${path}: ${JSON.stringify(out.slice(0, 300))}`)), 10_000);
    socket.on('close', () => clearTimeout(timer));
  });
  got.catch(() => {});
  socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${good.Authorization}\r\n\r\n`);
  return { socket, got };
}

test('clients that leave a /logtail or /mainlogtail stream halfway: nothing left open', async ({ ours }) => {
  await ok(ours!);
  const baseline = fdCount(ours!.d.pid);
  for (let round = 0; round < 5; round++) {
    const tails = [
      ...Array.from({ length: 8 }, () => startTail(ours!, '/logtail/talker', 'talking')),
      ...Array.from({ length: 2 }, () => startTail(ours!, '/mainlogtail', '\r\n400\r\n', 1)),
    ];
    const texts = await Promise.all(tails.map((t) => t.got));
    assert.ok(texts.every((t) => t.startsWith('HTTP/1.1 200 OK\r\n')));
    assert.ok(fdCount(ours!.d.pid) >= baseline + 10, 'each stream holds its socket and its file open');
    // gone mid-stream: reset and plain close, half each
    tails.forEach((t, i) => (i % 2 ? t.socket.resetAndDestroy() : t.socket.destroy()));
    await fdsBackTo(ours!, baseline, `round ${round}`);
    await ok(ours!);
  }
});

function rpcOver(target: { port: number } | { socketPath: string }, auth: boolean): Promise<Reply> {
  return http(target, 'POST', '/RPC2', methodCall('supervisor.getAllProcessInfo'), auth ? good : {});
}

test('200 clients at once, inet and unix: all answered, all closed after', async ({ ours }) => {
  await ok(ours!);
  const baseline = fdCount(ours!.d.pid);
  for (const [target, auth] of [[{ port: ours!.port }, true], [{ socketPath: ours!.d.path('sv.sock') }, false]] as const) {
    const replies = await Promise.all(Array.from({ length: 200 }, () => rpcOver(target, auth)));
    assert.ok(replies.every((r) => r.status === 200 && r.body.includes('<name>statename</name>\n<value><string>RUNNING</string>')), JSON.stringify(replies.find((r) => r.status !== 200)));
    await fdsBackTo(ours!, baseline, `after 200 clients on ${JSON.stringify(target)}`);
    await ok(ours!);
  }
});

test('rounds of all the above: fd count back to its baseline, RSS does not grow', async ({ ours }) => {
  const pid = ours!.d.pid;
  const round = async (): Promise<void> => {
    await Promise.all([
      ...Array.from({ length: 100 }, () => rpcOver({ port: ours!.port }, true)),
      ...BAD.map(([, method, path, body, headers]) => http({ port: ours!.port }, method, path, body, headers)),
    ]);
    const tails = Array.from({ length: 10 }, () => startTail(ours!, '/logtail/talker', 'talking'));
    await Promise.all(tails.map((t) => t.got));
    tails.forEach((t) => t.socket.destroy());
    assert.equal(await pyCall(url(ours!), 'supervisor.sendProcessStdin', ['talker', { $big: 20 * MB }], AUTH), { protocol: 413 });
  };
  const baseline = fdCount(pid);
  await round(); // warm up: code compiled, buffers sized
  await fdsBackTo(ours!, baseline, 'warm-up');
  const rss: number[] = [];
  for (let i = 0; i < 6; i++) {
    await round();
    await fdsBackTo(ours!, baseline, `round ${i}`);
    rss.push(vmRssKb(pid));
  }
  // V8 grows its heap in steps and gives back late: what must not happen is a steady climb
  const growth = rss[5]! - rss[1]!;
  assert.ok(growth < 8 * 1024, `RSS by round (kB): ${rss.join(', ')}`);
  await ok(ours!);
});

test.run();
