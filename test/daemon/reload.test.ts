// statevisord from outside: SIGHUP re-reads the config and restarts everything in the
// same process; a config that does not load keeps the running one.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { alive, cleanupAll, firstLineOf, prog, program, startDaemon, waitFor } from './helpers.ts';

const test = suite('daemon/reload', {}, 60_000);
test.after.each(cleanupAll);

const A = prog('a', program('sleep-forever.sh'), { priority: 1 });

test('SIGHUP: everything stops, then the new config starts, new program included, same daemon pid', async () => {
  const d = await startDaemon(A);
  const a1 = await d.spawned('a');
  await d.waitForLine(/^success: a /);
  d.writeConfig([A, prog('b', program('sleep-forever.sh'), { priority: 2 })].join('\n'));
  const from = d.mark();
  d.signal('SIGHUP');
  const started = await d.waitForLine(/^supervisord started with pid /, 10_000, from);
  assert.is(started.message, `supervisord started with pid ${d.pid}`);
  const a2 = await d.spawned('a', 0, 10_000, from);
  const b = await d.spawned('b', 0, 10_000, from);
  await d.waitForLines(/^success: /, 2, 10_000, from);
  const story = d.lines().filter((l) => l.index >= from && l.level !== 'CRIT').map((l) => `${l.level} ${l.message.replace(/\d+/g, 'N')}`);
  assert.equal(story, [
    'WARN received SIGHUP indicating restart request',
    'INFO waiting for a to die',
    'WARN stopped: a (terminated by SIGTERM)',
    'INFO supervisord started with pid N',
    "INFO spawned: 'a' with pid N",
    'INFO success: a entered RUNNING state, process has stayed up for > than N seconds (startsecs)',
    "INFO spawned: 'b' with pid N",
    'INFO success: b entered RUNNING state, process has stayed up for > than N seconds (startsecs)',
  ]);
  // A reload restarts unchanged programs too, as supervisord's does.
  assert.ok(a2 !== a1 && !alive(a1) && alive(a2) && alive(b));
  assert.is(readFileSync(d.pidfile, 'utf8'), `${d.pid}\n`);
  assert.equal(await d.stop(), { code: 0, signal: null });
  assert.equal(d.leftovers(), []);
});

test('SIGHUP with a config that does not load: an error is logged, the old config keeps running', async () => {
  const d = await startDaemon(A);
  const a1 = await d.spawned('a');
  await d.waitForLine(/^success: a /);
  const good = readFileSync(d.conf, 'utf8');
  d.writeRawConfig(`${good}\n[program:bad]\nstartsecs=0\n`);
  let from = d.mark();
  d.signal('SIGHUP');
  const error = await d.waitForLine(/^not restarting/, 10_000, from);
  assert.is(error.level, 'ERRO');
  assert.match(error.message, /program section program:bad does not specify a command/);
  assert.equal(d.lines().filter((l) => l.index >= from).map((l) => l.message.split(':')[0]), [
    'received SIGHUP indicating restart request', 'not restarting',
  ]);
  assert.ok(alive(a1), 'a was not stopped');
  assert.equal(d.exited, null, 'the daemon runs');
  // Fixed, the next SIGHUP reloads.
  d.writeRawConfig(good);
  from = d.mark();
  d.signal('SIGHUP');
  const a2 = await d.spawned('a', 0, 10_000, from);
  assert.ok(a2 !== a1 && !alive(a1));
  assert.equal(await d.stop(), { code: 0, signal: null });
});

// Between the old run's end and the new run's start the daemon removes and rewrites its
// pidfile; a SIGTERM sent then (the moment the pidfile is gone, found by a synchronous
// spin) must still end it cleanly. supervisord's handlers stay installed across a reload.
test('a SIGTERM in the middle of a reload still ends the daemon cleanly: exit 0', async () => {
  const d = await startDaemon(A);
  await d.waitForLine(/^success: a /);
  /** Identity of the pidfile now: a rewrite changes it. */
  const stamp = () => { try { const s = statSync(d.pidfile, { bigint: true }); return `${s.ino}:${s.mtimeNs}`; } catch { return null; } };
  let caught = false;
  // A loaded machine may deschedule this process through the whole window: try again.
  for (let attempt = 0; attempt < 5 && !caught; attempt++) {
    await d.waitForLine(/^success: a /, 10_000, d.matching(/^supervisord started/).at(-1)!.index);
    // Old AUTO child logs, which every (re)start clears one by one before writing the
    // pidfile: they keep the daemon between runs long enough for the signal to land there.
    for (let i = 0; i < 1000; i++) writeFileSync(d.path(`old${i}-stdout---supervisor-x${i}.log`), '');
    const before = stamp();
    d.signal('SIGHUP');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const now = stamp();
      if (now === null) { caught = true; break; }
      if (now !== before || Date.now() > deadline) break; // rewritten: missed it
    }
  }
  d.signal('SIGTERM');
  assert.equal(await d.waitExit(), { code: 0, signal: null }, 'ended by its own handler, not by the signal');
  assert.not.ok(existsSync(d.pidfile), 'no stale pidfile');
  await waitFor('no process of the daemon left', () => d.leftovers().length === 0, 3000);
});

test('SIGHUP during a shutdown is ignored and logged', async () => {
  const d = await startDaemon(prog('stubborn', program('ignore-term.sh'), { stopwaitsecs: 1, stdout_logfile: '%(here)s/stubborn.log' }));
  await firstLineOf(d.path('stubborn.log'));
  const from = d.mark();
  d.signal('SIGTERM');
  await d.waitForLine(/^received SIGTERM indicating exit request$/, 5000, from);
  d.signal('SIGHUP');
  await d.waitForLine(/^ignored SIGHUP indicating restart request \(shutdown in progress\)$/, 5000, from);
  assert.equal(await d.waitExit(), { code: 0, signal: null });
  assert.equal(d.matching(/^stopped: /, from).map((l) => l.message), ['stopped: stubborn (terminated by SIGKILL)']);
  assert.equal(d.matching(/^supervisord started/, from), [], 'no restart');
});

test.run();
