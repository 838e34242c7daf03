// Clients of the web page's event stream (server-sent events) that stop reading, against a
// running statevisord whose 20 programs (names of 3,000 characters) are stopped and started again and again, so the
// stream runs at hundreds of kB a second. statevisord used to queue every message for such
// a client; now one that is 1 MiB behind is cut off (its browser would reconnect and load
// the page again). The clients use the unix socket, whose kernel buffer is small (a TCP
// one on loopback takes megabytes first). supervisord has no such stream.
import { readdirSync, readlinkSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { alive, call, loadAverage, report, startSide, underAbuse, type Side } from './helpers.ts';

// long names make long rows (no log files: their names would be too long)
const programs = `[unix_http_server]
file=%(here)s/web.sock

[program:many]
command=/bin/sleep 100000
process_name=%(program_name)s_${'x'.repeat(3000)}_%(process_num)02d
numprocs=20
stdout_logfile=NONE
stderr_logfile=NONE
startsecs=0
stopwaitsecs=2`;

interface Ctx { ours: Side | null }
const test = suite<Ctx>('faults: slow clients of the web page\'s event stream', { ours: null }, 300_000);

test.before(async (ctx) => {
  console.log(`[faults] load average ${loadAverage()}`);
  ctx.ours = await startSide('statevisord', programs);
});
test.after(async (ctx) => {
  await ctx.ours?.d.cleanup();
});

interface Slow { socket: Socket; closed: Promise<void>; headers: Promise<string> }

/** Opens /api/events, reads the response head, then stops reading. */
function slowClient(s: Side): Slow {
  const socket = connect({ path: s.d.path('web.sock') });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {}); // a reset once cut off
  const headers = new Promise<string>((resolve) => {
    socket.once('data', (d: Buffer) => {
      socket.pause();
      resolve(d.toString('latin1'));
    });
  });
  socket.write('GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n');
  return { socket, closed, headers };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sockets the process holds open, by inode (an fd gone between the listing and the read is skipped). */
function sockets(pid: number): Set<string> {
  const held = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('socket:')) held.add(target);
    } catch {
      // closed meanwhile
    }
  }
  return held;
}

/** Stops and starts every program until `done` says so. */
async function churn(s: Side, done: () => boolean): Promise<number> {
  let cycles = 0;
  for (; !done(); cycles++) {
    await call(s, 'supervisor.stopAllProcesses', true);
    await call(s, 'supervisor.startAllProcesses', true);
  }
  return cycles;
}

/** Ten slow clients, and the programs churned until the daemon has cut every one off. */
async function cutOff(s: Side, round: number): Promise<Slow[]> {
  const pid = s.d.pid;
  let once = 0;
  await churn(s, () => once++ > 0); // every program running, as between cycles
  const before = sockets(pid);
  const clients = Array.from({ length: 10 }, () => slowClient(s));
  for (const c of clients) assert.match(await c.headers, /^HTTP\/1\.1 200 OK\r\n[^]*text\/event-stream/);
  // nothing else talks to the daemon now: the sockets that appeared are the clients'
  const theirs = [...sockets(pid)].filter((x) => !before.has(x));
  assert.ok(theirs.length >= 10, `the daemon holds ${theirs.length} new sockets for 10 clients`);
  // the server closes its end of each
  const held = () => {
    const now = sockets(pid);
    return theirs.filter((x) => now.has(x)).length;
  };
  let cut = false;
  const deadline = Date.now() + 120_000;
  const cycles = await churn(s, () => (cut = held() === 0) || Date.now() > deadline);
  assert.ok(cut, `after ${cycles} cycles the daemon still holds ${held()} of the clients' sockets`);
  console.log(`[faults] round ${round}: the slow clients were cut off after ${cycles} stop/start cycles`);
  return clients;
}

test('ten clients that stop reading, twice: each is cut off once 1 MiB behind, its socket closed, RSS does not climb', async ({ ours }) => {
  const s = ours!;
  const [clients, rss] = await underAbuse(s, () => cutOff(s, 1));
  report('10 event-stream clients that stop reading while programs restart', s, rss);
  // what a client got before the cut is bounded by the kernel's buffer
  let received = 0;
  for (const c of clients) {
    c.socket.on('data', (d: Buffer) => (received += d.length));
    c.socket.resume();
  }
  await Promise.all(clients.map((c) => c.closed));
  console.log(`[faults] the 10 slow clients received ${(received / 10 / 1024).toFixed(0)} kB each on average before the cut`);
  const [, again] = await underAbuse(s, () => cutOff(s, 2));
  report('10 more such clients', s, again);
  // the programs' restarts grow the heap too; the clients must not add a climb of their own
  assert.ok(again.after - rss.after < 16 * 1024, `RSS after round 1 ${rss.after} kB, after round 2 ${again.after} kB`);
  assert.ok(await alive(s));
  // a client that reads gets the stream as before
  const fast = slowClient(s);
  await fast.headers;
  let got = '';
  fast.socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
  fast.socket.resume();
  await call(s, 'supervisor.stopAllProcesses', true);
  for (const end = Date.now() + 10_000; !got.includes('event: rows'); await pause(50)) {
    if (Date.now() > end) throw new Error(`no rows within 10 s: ${got.slice(0, 200)}`);
  }
  fast.socket.destroy();
});

test.run();
