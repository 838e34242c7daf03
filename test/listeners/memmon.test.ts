// memmon's decisions against a fake daemon whose process is this test's own (its RSS is
// real, read from /proc): restart over the limit, not under it; mail within -u only; a
// failed stop or start mailed and then fatal, as superlance's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { Memmon, parseMemmon } from '../../listeners/memmon.ts';
import { rssOf } from '../../listeners/rss.ts';
import { suite } from '../harness.ts';
import { FakeDaemon, info } from './fake-daemon.ts';

const test = suite('listeners/memmon', { dir: '' });

test.before((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'statevisor-memmon-'));
});

test.after((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

/** This process under the name `self`, up `up` seconds. */
const self = (up = 600) => info('self', 'self', 'RUNNING', up, process.pid);

async function check(dir: string, args: string[], daemon: FakeDaemon) {
  const mailFile = join(dir, 'mail.txt');
  rmSync(mailFile, { force: true });
  const lines: string[] = [];
  const settings = parseMemmon([...args, '-m', 'ops@example.com', '-s', `cat > '${mailFile}'`]);
  const error = await new Memmon(settings, daemon, (l) => lines.push(l)).check().then(() => null, (e: Error) => e);
  let mail = '';
  try { mail = readFileSync(mailFile, 'utf8'); } catch { /* none sent */ }
  return { calls: daemon.calls, lines, mail, error };
}

test('rssOf gives what superlance\'s `ps -orss=` gives, in bytes; a pid that is gone has none', () => {
  const ps = Number(execFileSync('ps', ['-orss=', '-p', String(process.pid)], { encoding: 'utf8' }).trim()) * 1024;
  const rss = rssOf(process.pid)!;
  // The same figure, give or take what this process allocated between the two reads.
  assert.ok(Math.abs(rss - ps) < ps / 10, `${rss} vs ps ${ps}`);
  assert.is(rssOf(2 ** 22 + 1), null);
});

test('over the limit: stop, then start, by group:name; the mail says so', async ({ dir }) => {
  const r = await check(dir, ['-p', 'self=1KB', '-n', 'edge'], new FakeDaemon([self()]));
  assert.is(r.error, null);
  assert.equal(r.calls, ['stop self:self', 'start self:self']);
  assert.is(r.lines[0], 'Checking programs self=1024');
  assert.match(r.lines[1], /^RSS of self:self is \d+$/);
  assert.is(r.lines[2], 'Restarting self:self');
  assert.match(r.mail, /^To: ops@example.com\nSubject: memmon \[edge\]: process self:self restarted\n\nmemmon restarted the process named self:self at \w{3} \w{3} [ 1-3]\d \d\d:\d\d:\d\d \d{4} because it was consuming too much memory \(\d+ bytes RSS\)$/);
});

test('under every limit that applies, or with no limit for it: left alone', async ({ dir }) => {
  for (const args of [['-a', '100GB'], ['-g', 'self=100GB', '-p', 'other=1KB']]) {
    const r = await check(dir, args, new FakeDaemon([self(), info('idle', 'idle', 'STOPPED')]));
    assert.equal(r.calls, [], args.join(' '));
    assert.is(r.mail, '');
  }
});

test('-u: a restart of a process up longer than the limit is not mailed', async ({ dir }) => {
  const r = await check(dir, ['-a', '1KB', '-u', '5m'], new FakeDaemon([self(600)]));
  assert.equal(r.calls, ['stop self:self', 'start self:self']);
  assert.is(r.mail, '');
  assert.match((await check(dir, ['-a', '1KB', '-u', '5m'], new FakeDaemon([self(60)]))).mail, /process self:self restarted/);
});

test('a failed stop or start is mailed, then ends the check with the fault', async ({ dir }) => {
  const stop = await check(dir, ['-a', '1KB'], new FakeDaemon([self()], 'stop'));
  assert.equal(stop.calls, ['stop self:self']);
  assert.is(stop.error?.message, 'NOT_RUNNING: self:self');
  assert.match(stop.mail, /^To: ops@example.com\nSubject: memmon: failed to stop process self:self, exiting\n\nFailed to stop process self:self \(RSS \d+\), exiting: NOT_RUNNING: self:self$/);
  const start = await check(dir, ['-a', '1KB'], new FakeDaemon([self()], 'start'));
  assert.equal(start.calls, ['stop self:self', 'start self:self']);
  assert.match(start.mail, /Subject: memmon: failed to start process self:self, exiting\n\nFailed to start process self:self after stopping it, exiting: SPAWN_ERROR: self:self$/);
});

test.run();
