// statevisord from outside: child log files, their rotation, and redirect_stderr.
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { pyCall } from '../rpc/helpers.ts';
import { cleanupAll, parseLog, prog, program, readText, section, startDaemon, waitFor } from './helpers.ts';

const test = suite('daemon/logs', {}, 60_000);
test.after.each(cleanupAll);

/** Keeps the daemon busy once the program under test has exited (see lifecycle.test.ts). */
const KEEPALIVE = `\n${prog('keepalive', program('sleep-forever.sh'))}`;

/** numbered.sh's output: N lines of 64 bytes. */
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `${String(i + 1).padStart(5, '0')} ${'x'.repeat(57)}\n`).join('');

test('rotation: maxbytes=1KB, backups=2: .1 and .2 appear, each >= maxbytes, bytes in order', async () => {
  const d = await startDaemon(prog('n', program('numbered.sh', 40, 0.005), {
    autorestart: false, stdout_logfile: '%(here)s/n.log', stdout_logfile_maxbytes: '1KB', stdout_logfile_backups: 2,
  }) + KEEPALIVE);
  await d.waitForLine(/^exited: n \(exit status 0; expected\)$/);
  const [current, one, two] = ['n.log', 'n.log.1', 'n.log.2'].map((f) => d.path(f));
  const expected = numbered(40);
  // The last bytes may reach the file just after the exit is reaped.
  const all = await waitFor('all 2560 bytes in n.log.2 + n.log.1 + n.log', () => {
    const text = readText(two) + readText(one) + readText(current);
    return text.length === expected.length ? text : undefined;
  }, 5000, () => `: ${[two, one, current].map((p) => `${p}: ${existsSync(p) ? statSync(p).size : 'missing'}`).join(', ')}`);
  assert.is(all, expected, 'nothing lost, nothing repeated, in order');
  for (const rotated of [two, one]) {
    const size = statSync(rotated).size;
    // Rotation happens after the write that reaches maxbytes; writes here are whole lines.
    assert.ok(size >= 1024 && size < 2048 && size % 64 === 0, `${rotated}: ${size} bytes`);
  }
  assert.ok(statSync(current).size < 1024, `n.log: ${statSync(current).size} bytes, below maxbytes`);
  assert.not.ok(existsSync(d.path('n.log.3')), 'only backups=2 kept');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('redirect_stderr=true: stderr lines land in the stdout log, in order; without it they are apart', async () => {
  const d = await startDaemon([
    prog('mixed', program('interleave.sh', 200), { autorestart: false, redirect_stderr: true, stdout_logfile: '%(here)s/mixed.log' }),
    prog('split', program('interleave.sh', 200), {
      autorestart: false, stdout_logfile: '%(here)s/split.out', stderr_logfile: '%(here)s/split.err',
    }),
  ].join('\n') + KEEPALIVE);
  await d.waitForLine(/^exited: mixed \(exit status 0; expected\)$/);
  await d.waitForLine(/^exited: split \(exit status 0; expected\)$/);
  const lines = (kind: string) => Array.from({ length: 200 }, (_, i) => `${kind} ${i + 1}\n`);
  const interleaved = Array.from({ length: 200 }, (_, i) => `out ${i + 1}\nerr ${i + 1}\n`).join('');
  const full = (path: string, want: string) => waitFor(`${want.length} bytes in ${path}`, () => {
    const text = readText(path);
    return text.length >= want.length ? text : undefined;
  }, 5000, () => `: got ${readText(path).length}`);
  assert.is(await full(d.path('mixed.log'), interleaved), interleaved);
  assert.is(await full(d.path('split.out'), lines('out').join('')), lines('out').join(''));
  assert.is(await full(d.path('split.err'), lines('err').join('')), lines('err').join(''));
  assert.equal(await d.stop(), { code: 0, signal: null });
  // The files stay after the daemon is gone.
  assert.is(readFileSync(d.path('mixed.log'), 'utf8'), interleaved);
});

test('SIGUSR2 after logrotate moved the files away: the main log and child logs reopen at their paths', async () => {
  // A line every ~0.2 s, from a program that exits and is restarted at once.
  const d = await startDaemon(prog('tick', program('numbered.sh', 1, 0.2), { autorestart: true, stdout_logfile: '%(here)s/tick.log' }));
  await d.waitForLines(/^spawned: 'tick' /, 2);
  await waitFor('a line in tick.log', () => readText(d.path('tick.log')).length > 0);
  renameSync(d.logfile, `${d.logfile}.old`);
  renameSync(d.path('tick.log'), d.path('tick.log.old'));
  d.signal('SIGUSR2');
  // The new main log starts once the handlers have reopened; the moved one got the request.
  await d.waitForLine(/^spawned: 'tick' /, 5000);
  const old = parseLog(readFileSync(`${d.logfile}.old`, 'utf8')).map((l) => `${l.level} ${l.message}`);
  assert.equal(old.slice(-2), ['INFO received SIGUSR2 indicating log reopen request', 'INFO supervisord logreopen']);
  await waitFor('a line in the reopened tick.log', () => readText(d.path('tick.log')).length > 0, 5000);
  assert.match(readText(d.path('tick.log')), /^00001 x+\n/);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

// Beyond its first 64, a start's AUTO files are made while the first programs already run
// (src/logs/autoname.ts AutoLogMaker): a program that writes and exits at once may be
// reaped before its files exist. Its output must still land in the files getProcessInfo names.
test('AUTO logs at start-up: 100 programs that write and exit at once, each line in the file getAllProcessInfo names', async () => {
  const n = 100;
  const d = await startDaemon([
    section('unix_http_server', { file: '%(here)s/sv.sock' }),
    prog('w', `/bin/sh -c 'echo out-$SUPERVISOR_PROCESS_NAME; echo err-$SUPERVISOR_PROCESS_NAME >&2'`, {
      numprocs: n, process_name: '%(program_name)s_%(process_num)d', startsecs: 0, autorestart: false,
    }),
  ].join('\n') + KEEPALIVE);
  await d.waitForLines(/^exited: w_/, n, 30_000);
  const r = await pyCall(`unix://${d.path('sv.sock')}`, 'supervisor.getAllProcessInfo', []);
  if (!('ok' in r)) throw new Error(`getAllProcessInfo: ${JSON.stringify(r)}`);
  const infos = (r.ok as { name: string; stdout_logfile: string; stderr_logfile: string }[]).filter((p) => p.name.startsWith('w_'));
  assert.is(infos.length, n);
  for (const p of infos) {
    for (const [channel, path] of [['stdout', p.stdout_logfile], ['stderr', p.stderr_logfile]] as const) {
      assert.match(basename(path), new RegExp(`^${p.name}-${channel}---supervisor-[a-z0-9_]{8}\\.log$`));
      assert.is(statSync(path).mode & 0o777, 0o600, `${path}: made as mkstemp makes it`);
      const line = `${channel === 'stdout' ? 'out' : 'err'}-${p.name}\n`;
      // The last bytes may reach the file just after the exit is reaped.
      await waitFor(`${p.name}'s ${channel} line in ${path}`, () => readText(path) === line, 5000, () => `: ${JSON.stringify(readText(path))}`);
    }
  }
  assert.equal(await d.stop(), { code: 0, signal: null });
});

// supervisord exits with status 1 when an AUTO file cannot be made (OSError from mkstemp at
// group creation). Beyond the first 64 files statevisord learns of it once programs run:
// it says so at CRIT and ends the run with status 1, its programs stopped.
test('an AUTO file the maker cannot make (a name too long) ends the run: CRIT, programs stopped, exit 1', async () => {
  const d = await startDaemon([
    prog('p', program('sleep-forever.sh'), { numprocs: 40, process_name: '%(program_name)s_%(process_num)d' }),
    prog('x'.repeat(230), program('sleep-forever.sh')),
  ].join('\n'), { waitStarted: false });
  assert.equal(await d.waitExit(30_000), { code: 1, signal: null });
  const crit = parseLog(readText(d.logfile)).filter((l) => l.level === 'CRIT').map((l) => l.message);
  assert.ok(crit.some((m) => m.startsWith('could not create an AUTO child log file: ENAMETOOLONG: ')), crit.join('\n'));
  await waitFor('no process of the daemon left', () => d.leftovers().length === 0, 5000);
});

test.run();
