// ExitOnWatch alone: which state changes end the daemon, with which status, and what
// never does (a shutdown under way, a second condition, a spawn error before FATAL).
import { constants } from 'node:os';
import * as assert from 'uvu/assert';
import type { ProcessStateChange } from '../../machines/emitted.ts';
import type { ExitOn } from '../../src/config/ext-containers.ts';
import { ExitOnWatch } from '../../src/daemon/exit-on.ts';
import type { ProcessStateName } from '../../src/states.ts';
import { suite } from '../harness.ts';

const test = suite('daemon/exit-on-watch');

function watch(exitOn: ExitOn | null) {
  const calls: [number, string][] = [];
  const w = new ExitOnWatch({ exitOn: () => exitOn, shutdown: (status, reason) => calls.push([status, reason]) });
  const change = (from: ProcessStateName, to: ProcessStateName, expected = true, stopping = false) =>
    w.stateChanged({ type: 'state', group: 'g', name: 'p', from, to, pid: 1, tries: 0, expected, restart: false, at: null } satisfies ProcessStateChange, stopping);
  const exit = (code: number | null, signal: NodeJS.Signals | null = null) =>
    w.childExited('g', 'p', { code, signal, signo: signal === null ? null : constants.signals[signal], core: false, at: 0 });
  return { calls, change, exit };
}

test('no exit_on: nothing ends the daemon', () => {
  const { calls, change, exit } = watch(null);
  exit(3);
  change('RUNNING', 'EXITED', false);
  change('BACKOFF', 'FATAL');
  assert.equal(calls, []);
});

test('fatal after spawn errors has no status of its own: 1; a new STARTING forgets an older exit', () => {
  const { calls, change, exit } = watch('fatal');
  change('STOPPED', 'STARTING');
  exit(4);
  change('STARTING', 'BACKOFF');
  change('BACKOFF', 'STARTING');
  change('STARTING', 'BACKOFF'); // a spawn error this time
  change('BACKOFF', 'FATAL');
  assert.equal(calls, [[1, "exit_on=fatal: 'g:p' went FATAL (no exit status); shutting down with exit status 1"]]);
});

test('unexpected: a failure that exited 0 (exitcodes=1) still exits 1; an expected exit does nothing', () => {
  const a = watch('unexpected');
  a.exit(0);
  a.change('RUNNING', 'EXITED', true);
  assert.equal(a.calls, []);
  a.exit(0);
  a.change('RUNNING', 'EXITED', false);
  assert.equal(a.calls.map((c) => c[0]), [1]);
});

test('exit: a signal death is status 1; only the first condition counts; none while stopping', () => {
  const { calls, change, exit } = watch('exit');
  exit(null, 'SIGKILL');
  change('RUNNING', 'EXITED', false, true);
  assert.equal(calls, [], 'a shutdown is under way');
  exit(null, 'SIGKILL');
  change('RUNNING', 'EXITED', false);
  exit(2);
  change('RUNNING', 'EXITED', false);
  assert.equal(calls, [[1, "exit_on=exit: 'g:p' exited unexpectedly (terminated by SIGKILL); shutting down with exit status 1"]]);
});

test.run();
