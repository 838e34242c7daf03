// statevisord from outside: start-up order, startsecs, numprocs names, the main log's
// format and pidfile, and a clean shutdown on each exit signal.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { alive, cleanupAll, firstLineOf, gap, LINE_FORMAT, pgidOf, prog, program, section, startDaemon, waitFor, type Daemon } from './helpers.ts';

const test = suite('daemon/lifecycle', {}, 60_000);
test.after.each(cleanupAll);

test('autostart programs spawn in ascending priority; autostart=false is not spawned', async () => {
  const d = await startDaemon([
    prog('last', program('sleep-forever.sh'), { priority: 900 }),
    prog('first', program('sleep-forever.sh'), { priority: 1 }),
    prog('off', program('sleep-forever.sh'), { priority: 2, autostart: false }),
    prog('middle', program('sleep-forever.sh'), { priority: 50 }),
  ].join('\n'));
  const spawned = await d.waitForLines(/^spawned: /, 3);
  assert.equal(spawned.map((l) => /'(\w+)'/.exec(l.message)![1]), ['first', 'middle', 'last']);
  await d.waitForLines(/^success: /, 3);
  for (const name of ['first', 'middle', 'last']) {
    const pid = d.spawnedPids(name)[0];
    assert.ok(alive(pid), `${name} (${pid}) runs`);
    // supervisor's children lead their own process group (setpgrp).
    assert.is(pgidOf(pid), pid, `${name} leads its process group`);
  }
  const exit = await d.stop();
  assert.equal(exit, { code: 0, signal: null });
  assert.equal(d.matching(/off/), [], 'nothing about the program that does not autostart');
});

test('startsecs: RUNNING (`success: …`) only once the process has stayed up startsecs', async () => {
  // Alone in its daemon: see the timestamp test below for what many spawns at once do.
  const d = await startDaemon(prog('slow', program('sleep-forever.sh'), { startsecs: 1 }));
  const success = await d.waitForLine(/^success: slow /);
  assert.is(success.message, 'success: slow entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)');
  assert.is(success.level, 'INFO');
  const spawned = d.matching(/^spawned: 'slow' /)[0];
  const waited = gap(spawned, success);
  // laststart is taken before the fork and the spawned line written after it, as
  // supervisor does: the line may come some ms after the timer started. How late the
  // timer may fire is not asserted (a loaded machine delays it); the SimulatedClock test
  // in test/machines/process.test.ts pins its exact length.
  assert.ok(waited >= 900, `RUNNING after ${waited} ms, not before startsecs`);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('startsecs=0: RUNNING at once; an exit within startsecs is never RUNNING nor expected', async () => {
  const d = await startDaemon([
    prog('instant', program('sleep-forever.sh'), { startsecs: 0 }),
    prog('quick', program('exit-after.sh', 0, 300), { startsecs: 10, startretries: 0 }),
  ].join('\n'));
  const instant = await d.waitForLine(/^success: instant /);
  assert.is(instant.message, 'success: instant entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)');
  await d.waitForLine(/^gave up: quick /);
  const quick = d.matching(/quick/).map((l) => `${l.level} ${l.message}`);
  assert.equal(quick.filter((l) => !l.startsWith('INFO spawned')), [
    'WARN exited: quick (exit status 0; not expected)',
    'INFO gave up: quick entered FATAL state, too many start retries too quickly',
  ]);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

// supervisord writes each record when it happens: `spawned: 'x'` right after x's fork,
// `success: x` once now - laststart > startsecs, so for every process the two are at
// least startsecs apart (less the fork's own time). Forty spawns at start-up take long
// enough that a record stamped late (when the whole start-up's records reach the log)
// shows `success` well under 1 s after `spawned`.
test('records are stamped when they happen: with 40 programs, each success >= startsecs after its spawned', async () => {
  const d = await startDaemon(prog('w', program('sleep-forever.sh'), {
    numprocs: 40, startsecs: 1, process_name: '%(program_name)s_%(process_num)d',
  }));
  await d.waitForLines(/^success: /, 40, 20_000);
  const short: string[] = [];
  for (let i = 0; i < 40; i++) {
    const ms = gap(d.matching(new RegExp(`^spawned: 'w_${i}' `))[0], d.matching(new RegExp(`^success: w_${i} `))[0]);
    if (ms < 950) short.push(`w_${i}: ${ms} ms`);
  }
  const spawned = d.matching(/^spawned: /);
  assert.equal(short, [], `spawned→success under startsecs; the 40 spawned lines span ${gap(spawned[0], spawned[39])} ms, ${gap(d.matching(/^supervisord started/)[0], spawned[0])} ms after start-up`);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('numprocs: process_name=%(program_name)s_%(process_num)02d names w_00 and w_01', async () => {
  const d = await startDaemon(prog('w', program('sleep-forever.sh'), {
    numprocs: 2, process_name: '%(program_name)s_%(process_num)02d',
  }));
  const [p0, p1] = [await d.spawned('w_00'), await d.spawned('w_01')];
  const spawned = d.matching(/^spawned: /).map((l) => l.message.replace(/\d+$/, 'N'));
  assert.equal(spawned, ["spawned: 'w_00' with pid N", "spawned: 'w_01' with pid N"]);
  assert.ok(p0 !== p1 && alive(p0) && alive(p1));
  // AUTO child logs carry the process name.
  const logs = readdirSync(d.dir).filter((f) => f.startsWith('w_'));
  for (const prefix of ['w_00-stdout---supervisor-', 'w_00-stderr---supervisor-', 'w_01-stdout---supervisor-', 'w_01-stderr---supervisor-']) {
    assert.ok(logs.some((f) => f.startsWith(prefix) && f.endsWith('.log')), `${prefix}*.log in ${logs.join(', ')}`);
  }
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('main log: `YYYY-MM-DD HH:MM:SS,mmm LEVEL message`, local time, in order; pidfile holds the pid', async () => {
  const before = Date.now();
  const d = await startDaemon(prog('a', program('sleep-forever.sh')), { supervisord: { loglevel: 'debug' } });
  await d.waitForLine(/^success: a /);
  assert.is(readFileSync(d.pidfile, 'utf8'), `${d.pid}\n`);
  assert.equal(await d.stop(), { code: 0, signal: null });
  const after = Date.now();
  const text = readFileSync(d.logfile, 'utf8');
  assert.ok(text.endsWith('\n'));
  const rows = text.slice(0, -1).split('\n');
  assert.ok(rows.length >= 5, text);
  let previous = 0;
  for (const row of rows) {
    const m = LINE_FORMAT.exec(row);
    assert.ok(m, `a well-formed line: ${JSON.stringify(row)}`);
    const [y, mo, day, h, mi, s, ms] = m!.slice(1, 8).map(Number);
    const t = new Date(y, mo - 1, day, h, mi, s, ms).getTime();
    // Local time, truncated to the ms: inside the run, never going back.
    assert.ok(t >= before - 1000 && t <= after, `${row} is within the run`);
    assert.ok(t >= previous, `${row} does not go back in time`);
    previous = t;
  }
  const messages = d.lines().map((l) => `${l.level} ${l.message.replace(/\d+/g, 'N')}`);
  for (const expected of [
    'INFO supervisord started with pid N',
    "INFO spawned: 'a' with pid N",
    'INFO success: a entered RUNNING state, process has stayed up for > than N seconds (startsecs)',
    'WARN received SIGTERM indicating exit request',
    'DEBG killing a (pid N) with signal SIGTERM',
    'WARN stopped: a (terminated by SIGTERM)',
  ]) assert.ok(messages.includes(expected), `${expected} in\n${messages.join('\n')}`);
  assert.is(d.matching(/^supervisord started with pid/)[0].message, `supervisord started with pid ${d.pid}`);
});

// supervisord runs until told to stop, whatever its programs do. That the daemon does
// NOT exit can only be watched for a while: 1.5 s after its last event (a daemon that
// lets its event loop run dry is gone within ms of it), then a SIGUSR2 it must answer
// and a SIGTERM that must end it with status 0 and no pidfile.
const STAYS_UP_MS = 1500;

async function assertStaysUp(d: Daemon): Promise<void> {
  await waitFor('the daemon to exit on its own (it must not)', () => d.exited, STAYS_UP_MS).then(
    (exit) => assert.unreachable(`the daemon exited on its own: ${JSON.stringify(exit)}${d.describe()}`),
    () => undefined,
  );
  const from = d.mark();
  d.signal('SIGUSR2');
  await d.waitForLine(/^received SIGUSR2 indicating log reopen request$/, 5000, from);
  assert.equal(await d.stop(), { code: 0, signal: null });
  assert.not.ok(existsSync(d.pidfile), 'pidfile removed');
}

test('with every program exited (autorestart=false) the daemon keeps running until told to stop', async () => {
  const d = await startDaemon(prog('once', program('exit-after.sh', 0, 0), { autorestart: false }));
  await d.waitForLine(/^exited: once \(exit status 0; expected\)$/);
  await assertStaysUp(d);
});

test('with every program FATAL the daemon keeps running until told to stop', async () => {
  const d = await startDaemon(prog('missing', '/nonexistent/statevisor-test-program', { startretries: 0 }));
  await d.waitForLine(/^gave up: missing /);
  await assertStaysUp(d);
});

test('with no program at all the daemon keeps running until told to stop', async () => {
  const d = await startDaemon('');
  await assertStaysUp(d);
});

// supervisord installs its signal handlers (setsignals) before it writes the pidfile, so
// a SIGTERM from whoever reads the pidfile is always an exit request. Sent the moment the
// pidfile appears (a synchronous spin: no poll interval to miss the moment).
test('a SIGTERM sent as soon as the pidfile appears is handled: exit 0, pidfile removed', async () => {
  // Ten processes with AUTO logs: more to set up between the pidfile and the first spawn.
  const d = await startDaemon(prog('w', program('sleep-forever.sh'), { numprocs: 10, process_name: '%(program_name)s_%(process_num)d' }), { waitStarted: false });
  const deadline = Date.now() + 10_000;
  while (!existsSync(d.pidfile) && Date.now() < deadline) { /* spin */ }
  assert.ok(existsSync(d.pidfile), 'the pidfile appeared');
  d.signal('SIGTERM');
  assert.equal(await d.waitExit(), { code: 0, signal: null }, 'ended by its own handler, not by the signal');
  assert.not.ok(existsSync(d.pidfile), 'no stale pidfile');
  await waitFor('no process of the daemon left', () => d.leftovers().length === 0, 3000);
});

for (const sig of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) {
  test(`${sig}: every child and grandchild stopped (descending priority), pidfile removed, exit 0`, async () => {
    const d = await startDaemon([
      prog('sleeper', program('sleep-forever.sh'), { priority: 1 }),
      prog('family', program('spawn-grandchild.sh'), { priority: 2, stopasgroup: true, stdout_logfile: '%(here)s/family.log' }),
      prog('w', program('sleep-forever.sh'), { priority: 3, numprocs: 2, process_name: '%(program_name)s_%(process_num)d' }),
      section('group:g', { programs: 'w' }),
    ].join('\n'));
    const grandchild = Number(await firstLineOf(d.path('family.log')));
    const children = [await d.spawned('sleeper'), await d.spawned('family'), await d.spawned('w_0'), await d.spawned('w_1')];
    for (const pid of [...children, grandchild]) assert.ok(alive(pid), `${pid} runs`);
    assert.equal(d.leftovers().sort((x, y) => x - y), [...children, grandchild].sort((x, y) => x - y));
    assert.ok(existsSync(d.pidfile));
    const from = d.mark();
    const exit = await d.stop(sig);
    assert.equal(exit, { code: 0, signal: null });
    assert.is(d.matching(/^received /, from)[0]?.message, `received ${sig} indicating exit request`);
    const stopped = d.matching(/^stopped: /, from).map((l) => l.message);
    // Groups one at a time, highest priority first; inside g both at once.
    assert.equal(stopped.slice(0, 2).sort(), ['stopped: w_0 (terminated by SIGTERM)', 'stopped: w_1 (terminated by SIGTERM)']);
    assert.equal(stopped.slice(2), ['stopped: family (terminated by SIGTERM)', 'stopped: sleeper (terminated by SIGTERM)']);
    assert.not.ok(existsSync(d.pidfile), 'pidfile removed');
    // The grandchild got the group's SIGTERM at the same time as its parent.
    await waitFor('no process of the daemon left', () => d.leftovers().length === 0, 3000, () => `: ${d.leftovers().join(', ')}`);
  });
}

test.run();
