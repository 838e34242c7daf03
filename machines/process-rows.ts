// The process table's vocabulary (process.ts): the rows' action lists and the START rows,
// shared by several states. `change` emits the state event, `say` a log line, `tellAll`
// several in one action (each `tell` copies the context and the snapshot: an assign); all
// read the context as the preceding actions of the row left it.
import { assertEvent } from 'xstate';
import type { ProcessStateName } from '../src/states.ts';
import { log, type LogLine, type ProcessEmitted, type ProcessStateChange } from './emitted.ts';
import { badExitCode, decodeExit, msg, TOO_QUICKLY } from './process-log.ts';
import { exitExpected, restartWanted, type ProcessContext, type ProcessEvent } from './process-types.ts';

type Ev = ProcessEvent;
export const signalOf = (e: Ev) => (e.type === 'SIGNAL' ? e.signal : 0);
export const failureOf = (e: Ev) => (e.type === 'KILL_FAILED' ? e.message : '');
export const exitOf = (e: Ev) => { assertEvent(e, 'EXITED'); return decodeExit(e); };

function stateChange(c: ProcessContext, e: Ev, from: ProcessStateName, to: ProcessStateName): ProcessStateChange {
  return {
    type: 'state', name: c.config.name, group: c.group, from, to, pid: c.pid, tries: c.backoff,
    expected: to === 'EXITED' ? exitExpected(c, c.exitstatus) : true,
    restart: to === 'EXITED' && restartWanted(c),
    ...('at' in e ? { at: e.at, mono: e.mono } : { at: null }),
  };
}

/** One event of a row, or none. */
type Part = (c: ProcessContext, e: Ev) => ProcessEmitted | null;
export const tellAll = (...parts: Part[]) =>
  ({ type: 'tell', params: ({ context, event }: { context: ProcessContext; event: Ev }) => parts.map((p) => p(context, event)) }) as const;
/** tellAll, the parts reading the context with `record` applied (not yet assigned). */
const tellRecorded = (record: (c: ProcessContext, e: Ev) => Partial<ProcessContext>, ...parts: Part[]) =>
  ({
    type: 'tell',
    params: ({ context, event }: { context: ProcessContext; event: Ev }) => {
      const recorded: ProcessContext = { ...context, ...record(context, event) };
      return parts.map((p) => p(recorded, event));
    },
  }) as const;
const toState = (from: ProcessStateName, to: ProcessStateName): Part => (c, e) => stateChange(c, e, from, to);
export const change = (from: ProcessStateName, to: ProcessStateName) => tellAll(toState(from, to));
export const say = (line: (c: ProcessContext, e: Ev) => LogLine) => tellAll(line);

export const spawning = (from: ProcessStateName) => ['prepareSpawn', change(from, 'STARTING')] as const;
/** With a caller waiting (STOP wait), `waiting for x to stop` follows at once. */
export const stopping = (from: ProcessStateName) => [
  tellAll(
    (c) => msg.killing(c.config.name, c.pid, c.config.stopasgroup, c.config.stopsignal), toState(from, 'STOPPING'),
    (c) => (c.stopReport ? msg.waitingToStop(c.config.name) : null),
  ),
  'killWithStopSignal',
] as const;
// supervisord's loop calls reap() (finish() logs the exit) and then handle_signal(), which
// logs the SIGCHLD at debug (supervisord.py runforever): right after each exit line.
const sigchld = (): LogLine => msg.sigchld;
/** finish() on an exit from RUNNING: what it records (the pid is cleared with it, `recordExit`). */
export function exitRecord(c: ProcessContext, e: Ev): Partial<ProcessContext> {
  const { status } = exitOf(e);
  const spawnerr = exitExpected(c, status) ? c.spawnerr : badExitCode(status);
  return { exitstatus: status, laststop: 'at' in e ? e.at : c.laststop, backoff: 0, spawnerr, crashes: c.crashes + 1 };
}
/** finish() on an exit within startsecs: "too quickly", one more failed try. */
export function quickExitRecord(c: ProcessContext, e: Ev): Partial<ProcessContext> {
  assertEvent(e, 'EXITED');
  return { exitstatus: null, spawnerr: TOO_QUICKLY, laststop: e.at, backoff: c.backoff + 1 };
}
/**
 * Told as the context will be once the exit is recorded, but with the pid that died; then
 * recorded, pid cleared, in one assign: a step copies the context once (a copy for the
 * telling is a tenth of an assign's cost).
 */
export const exitedFrom = (from: ProcessStateName) => [
  tellRecorded(exitRecord, toState(from, 'EXITED'), (c, e) => msg.exited(c.config.name, exitOf(e).text, exitExpected(c, c.exitstatus)), sigchld), 'recordExit',
] as const;
/** The same for an exit within startsecs (STARTING → BACKOFF); the exit line is "not expected" whatever the code. */
export const quickExit = [
  tellRecorded(quickExitRecord, toState('STARTING', 'BACKOFF'), (c, e) => msg.exited(c.config.name, exitOf(e).text, false), sigchld), 'recordQuickExit',
] as const;
/** Told from the exit itself, then recorded in one assign (exit status, laststop, no pid): a step copies the context once. */
export const stoppedFrom = (from: ProcessStateName) => [
  tellAll(toState(from, 'STOPPED'), (c, e) => msg.stopped(c.config.name, exitOf(e).text, exitExpected(c, exitOf(e).status)), sigchld), 'recordStopExit',
] as const;
export const giveUp = (from: ProcessStateName) => ['recordGiveUp', change(from, 'FATAL')] as const;
export const stopBackoff = [say((c) => msg.killBackoff(c.config.name)), change('BACKOFF', 'STOPPED')] as const;
// depends_on (dependencies.ts): a start waits in place while a dependency does not hold,
// and fails when one has failed. The rows of START, and of the eventless start once the
// root's DEPS says the dependencies hold, in each state a start leaves from.
export const depsFail = (from: ProcessStateName) => [
  'recordDepFailure', say((c) => log('WARN', `not starting ${c.config.name}: ${c.depFailed}`)), change(from, 'FATAL'),
] as const;
export const gatedStart = (from: ProcessStateName) => [
  { guard: 'depFailed', target: 'FATAL', actions: depsFail(from) },
  { guard: 'depsWaiting', actions: 'wantStart' },
  { target: 'STARTING', actions: spawning(from) },
] as const;
export const deferredStart = (from: ProcessStateName) => [
  { guard: 'wantedDepFailed', target: 'FATAL', actions: depsFail(from) },
  { guard: 'wantedDepsHold', target: 'STARTING', actions: spawning(from) },
] as const;
/** STARTING → RUNNING told (the rows that reset the backoff counter first). */
export const toldRunning = tellAll(toState('STARTING', 'RUNNING'), (c) => msg.success(c.config.name, c.config.startsecs));
export const running = ['resetBackoff', toldRunning] as const;
