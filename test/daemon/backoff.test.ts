// statevisord from outside: BACKOFF timing and FATAL, spawn errors, each autorestart mode
// against exitcodes. How fast a crashed program is back is measured in bench/, not here.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { cleanupAll, gap, prog, program, startDaemon, type LogLine } from './helpers.ts';

const test = suite('daemon/backoff', {}, 60_000);
test.after.each(cleanupAll);

/**
 * A program that runs throughout, so the daemon is never left with nothing to watch
 * (that case has its own tests in lifecycle.test.ts).
 */
const KEEPALIVE = `\n${prog('keepalive', program('sleep-forever.sh'))}`;

/** The records about one process, as `LEVEL message` with pids replaced by N. */
const story = (lines: LogLine[]) => lines.map((l) => `${l.level} ${l.message.replace(/pid \d+/, 'pid N')}`);

// startsecs=10 in these: on a loaded machine a shell can take over a second to start and
// exit, which with startsecs=1 would count as having stayed up (RUNNING, then EXITED).
test('exits before startsecs: BACKOFF, retries 1 s, 2 s, 3 s after each exit, FATAL after startretries+1 spawns', async () => {
  const d = await startDaemon(prog('crash', program('exit-after.sh', 1, 0), { startsecs: 10, startretries: 3 }) + KEEPALIVE);
  await d.waitForLine(/^gave up: crash /, 15_000);
  const lines = d.matching(/crash/);
  assert.equal(story(lines), [
    "INFO spawned: 'crash' with pid N", 'WARN exited: crash (exit status 1; not expected)',
    "INFO spawned: 'crash' with pid N", 'WARN exited: crash (exit status 1; not expected)',
    "INFO spawned: 'crash' with pid N", 'WARN exited: crash (exit status 1; not expected)',
    "INFO spawned: 'crash' with pid N", 'WARN exited: crash (exit status 1; not expected)',
    'INFO gave up: crash entered FATAL state, too many start retries too quickly',
  ]);
  // The wait runs from the exit (entering BACKOFF) to the next spawn. A record is stamped
  // when it reaches the log, which can be a few ms after the event when other children
  // are being spawned in the same turn: hence the margin below the exact delay. Only
  // "not before" is asserted: a loaded machine fires timers late, and the exact delays
  // are pinned under a SimulatedClock in test/machines/process.test.ts.
  const delays = [1, 3, 5].map((i) => gap(lines[i], lines[i + 1]));
  delays.forEach((ms, i) => {
    const want = (i + 1) * 1000;
    assert.ok(ms >= want - 50, `retry ${i + 1} after ${ms} ms, not before ${want} (${delays.join(', ')})`);
  });
  const from = d.mark();
  assert.equal(await d.stop(), { code: 0, signal: null });
  assert.equal(d.matching(/crash/, from), [], 'a FATAL process has nothing to stop');
  assert.equal(d.matching(/^stopped: /, from).map((l) => l.message), ['stopped: keepalive (terminated by SIGTERM)']);
});

test('a command that cannot be found: spawnerr, BACKOFF, one retry after 1 s, FATAL', async () => {
  const d = await startDaemon(prog('missing', '/nonexistent/statevisor-test-program', { startsecs: 10, startretries: 1 }) + KEEPALIVE);
  await d.waitForLine(/^gave up: missing /, 10_000);
  const lines = d.matching(/missing|spawnerr/);
  assert.equal(story(lines), [
    "INFO spawnerr: can't find command '/nonexistent/statevisor-test-program'",
    "INFO spawnerr: can't find command '/nonexistent/statevisor-test-program'",
    'INFO gave up: missing entered FATAL state, too many start retries too quickly',
  ]);
  const retry = gap(lines[0], lines[1]);
  assert.ok(retry >= 950, `retried after ${retry} ms, not before 1 s`);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('SIGTERM while a program waits in BACKOFF: no further spawn, the daemon exits at once', async () => {
  const d = await startDaemon(prog('crash', program('exit-after.sh', 1, 0), { startsecs: 10, startretries: 10 }) + KEEPALIVE);
  // After the second exit the wait is 2 s.
  await d.waitForLines(/^exited: crash /, 2);
  const from = d.mark();
  assert.equal(await d.stop(), { code: 0, signal: null });
  // stop_all() gives up on a BACKOFF process (FATAL, no log line) instead of stopping it;
  // until then the shutdown report lists it.
  assert.equal(d.matching(/crash/, from).map((l) => l.message), ['waiting for crash, keepalive to die']);
  assert.equal(d.matching(/^spawned: 'crash'/, from), []);
  assert.equal(d.matching(/^stopped: /, from).map((l) => l.message), ['stopped: keepalive (terminated by SIGTERM)']);
});

test('autorestart: true restarts on an expected exit, unexpected only off exitcodes, false never', async () => {
  const d = await startDaemon([
    prog('always', program('exit-after.sh', 0, 100), { autorestart: true, exitcodes: 0 }),
    prog('unexp_ok', program('exit-after.sh', 2, 100), { autorestart: 'unexpected', exitcodes: '0,2' }),
    prog('unexp_bad', program('exit-after.sh', 3, 100), { autorestart: 'unexpected', exitcodes: '0,2' }),
    prog('never', program('exit-after.sh', 3, 100), { autorestart: false }),
    prog('never_ok', program('exit-after.sh', 0, 100), { autorestart: false }),
  ].join('\n'));
  // The restarting ones are the clock: once each has been back twice, a restart of the
  // others (which would come within ms of their exit) would have shown.
  await d.waitForLines(/^spawned: 'always' /, 3);
  await d.waitForLines(/^spawned: 'unexp_bad' /, 3);
  await d.waitForLine(/^exited: unexp_ok /);
  await d.waitForLine(/^exited: never /);
  await d.waitForLine(/^exited: never_ok /);
  const from = d.mark();
  await d.waitForLine(/^spawned: 'always' /, 10_000, from);
  await d.waitForLine(/^spawned: 'unexp_bad' /, 10_000, from);
  assert.equal(d.matching(/^exited: always /).map((l) => `${l.level} ${l.message}`).slice(0, 2), [
    'INFO exited: always (exit status 0; expected)', 'INFO exited: always (exit status 0; expected)',
  ]);
  assert.equal(d.matching(/^exited: unexp_bad /).map((l) => `${l.level} ${l.message}`).slice(0, 2), [
    'WARN exited: unexp_bad (exit status 3; not expected)', 'WARN exited: unexp_bad (exit status 3; not expected)',
  ]);
  assert.equal(story(d.matching(/unexp_ok/)), ["INFO spawned: 'unexp_ok' with pid N", 'INFO success: unexp_ok entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)', 'INFO exited: unexp_ok (exit status 2; expected)']);
  assert.equal(story(d.matching(/never\b/)), ["INFO spawned: 'never' with pid N", 'INFO success: never entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)', 'WARN exited: never (exit status 3; not expected)']);
  assert.equal(story(d.matching(/never_ok/)), ["INFO spawned: 'never_ok' with pid N", 'INFO success: never_ok entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)', 'INFO exited: never_ok (exit status 0; expected)']);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test.run();
