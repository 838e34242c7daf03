// exit_on from outside: each condition ends the daemon, which stops the other processes
// in priority order and exits with the process's own status (1 where it has none), and
// what a condition does not cover leaves the daemon running.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { cleanupAll, prog, program, startDaemon, type Daemon } from './helpers.ts';

const test = suite('daemon/exit-on', {}, 60_000);
test.after.each(cleanupAll);

/** Two bystanders: stopped in reverse priority order when the daemon shuts down. */
const BYSTANDERS = `\n${prog('first', program('sleep-forever.sh'), { priority: 10 })}\n${prog('last', program('sleep-forever.sh'), { priority: 900 })}`;

/** The daemon's exit, after which its log tells why and that the bystanders stopped in order. */
async function exitsWith(d: Daemon, code: number, why: RegExp): Promise<void> {
  const exit = await d.waitExit(30_000);
  assert.equal(exit, { code, signal: null }, d.describe());
  const crit = d.matching(why);
  assert.is(crit.length, 1, `one CRIT line saying why${d.describe()}`);
  assert.is(crit[0].level, 'CRIT');
  const stops = d.matching(/^stopped: (first|last) /, crit[0].index).map((l) => l.message.split(' ')[1]);
  assert.equal(stops, ['last', 'first'], `stopped in reverse priority order${d.describe()}`);
}

test('fatal: a command that cannot start ends the daemon with 1 (no exit status of its own)', async () => {
  const d = await startDaemon(prog('broken', '/nonexistent/statevisor-test', { startretries: 0, exit_on: 'fatal' }) + BYSTANDERS);
  await exitsWith(d, 1, /^exit_on=fatal: 'broken' went FATAL \(no exit status\); shutting down with exit status 1$/);
});

test('fatal: a program that keeps exiting too quickly ends the daemon with its own status', async () => {
  const d = await startDaemon(prog('crash', program('exit-after.sh', 5, 0), { startsecs: 10, startretries: 1, exit_on: 'fatal' }) + BYSTANDERS);
  await exitsWith(d, 5, /^exit_on=fatal: 'crash' went FATAL \(exit status 5\); shutting down with exit status 5$/);
  assert.is(d.matching(/^exited: crash /).length, 2, 'it was retried first');
});

test('fatal does not fire on an exit that is restarted', async () => {
  const d = await startDaemon(prog('flaky', program('exit-after.sh', 3, 300), { exit_on: 'fatal', autorestart: true }) + BYSTANDERS);
  await d.waitForLines(/^exited: flaky \(exit status 3; not expected\)$/, 2, 20_000);
  assert.is(d.exited, null);
  assert.equal(await d.stop(), { code: 0, signal: null }, 'a TERM still ends the daemon with 0');
});

test('unexpected: an exit code not in exitcodes ends the daemon with it', async () => {
  const d = await startDaemon(prog('worker', program('exit-after.sh', 3, 300), { exit_on: 'unexpected', autorestart: true }) + BYSTANDERS);
  await exitsWith(d, 3, /^exit_on=unexpected: 'worker' exited unexpectedly \(exit status 3\); shutting down with exit status 3$/);
});

test('unexpected: killed by a signal is unexpected too, and has no status: 1', async () => {
  const d = await startDaemon(prog('victim', program('sleep-forever.sh'), { exit_on: 'unexpected' }) + BYSTANDERS);
  process.kill(await d.spawned('victim'), 'SIGKILL');
  await exitsWith(d, 1, /^exit_on=unexpected: 'victim' exited unexpectedly \(terminated by SIGKILL\); shutting down with exit status 1$/);
});

test('unexpected: an expected exit of a one-shot leaves the daemon running', async () => {
  const d = await startDaemon(prog('job', program('exit-after.sh', 0, 200), { exit_on: 'unexpected', autorestart: false }) + BYSTANDERS);
  await d.waitForLine(/^exited: job \(exit status 0; expected\)$/, 20_000);
  assert.is(d.exited, null);
  assert.equal(await d.stop(), { code: 0, signal: null });
  assert.equal(d.matching(/^exit_on/), []);
});

test('exit: an expected exit 0 ends the daemon with 0 (a job container is done)', async () => {
  const d = await startDaemon(prog('job', program('exit-after.sh', 0, 300), { exit_on: 'exit', autorestart: false }) + BYSTANDERS);
  await exitsWith(d, 0, /^exit_on=exit: 'job' exited \(exit status 0\); shutting down with exit status 0$/);
});

test('exit: an exit while still STARTING counts, with its own status', async () => {
  const d = await startDaemon(prog('quick', program('exit-after.sh', 4, 0), { exit_on: 'exit', startsecs: 10 }) + BYSTANDERS);
  await exitsWith(d, 4, /^exit_on=exit: 'quick' exited while starting \(exit status 4\); shutting down with exit status 4$/);
});

test('a stop the daemon was asked for is no exit: SIGTERM ends it with 0', async () => {
  const d = await startDaemon(prog('svc', program('sleep-forever.sh'), { exit_on: 'exit' }) + BYSTANDERS);
  await d.waitForLine(/^success: svc entered RUNNING/);
  assert.equal(await d.stop(), { code: 0, signal: null });
  assert.equal(d.matching(/^exit_on/), []);
});

test.run();
