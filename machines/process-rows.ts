// The process table's vocabulary (process.ts): the rows' action lists and the START rows,
// shared by several states. `change` emits the state event, `say` a log line; both read
// the context as the preceding actions of the row left it.
import { and, assertEvent, not } from 'xstate';
import type { ProcessStateName } from '../src/states.ts';
import { log, type LogLine, type ProcessStateChange } from './emitted.ts';
import { decodeExit, msg } from './process-log.ts';
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

export const change = (from: ProcessStateName, to: ProcessStateName) =>
  ({ type: 'tell', params: ({ context, event }: { context: ProcessContext; event: Ev }) => stateChange(context, event, from, to) }) as const;
export const say = (line: (c: ProcessContext, e: Ev) => LogLine) =>
  ({ type: 'tell', params: ({ context, event }: { context: ProcessContext; event: Ev }) => line(context, event) }) as const;

export const spawning = (from: ProcessStateName) => ['prepareSpawn', change(from, 'STARTING')] as const;
export const stopping = (from: ProcessStateName) => [
  say((c) => msg.killing(c.config.name, c.pid, c.config.stopasgroup, c.config.stopsignal)),
  change(from, 'STOPPING'), 'killWithStopSignal', 'reportStop',
] as const;
// supervisord's loop calls reap() (finish() logs the exit) and then handle_signal(), which
// logs the SIGCHLD at debug (supervisord.py runforever): right after each exit line.
export const reaped = say(() => msg.sigchld);
export const exitedFrom = (from: ProcessStateName) => [
  'recordExit', change(from, 'EXITED'),
  say((c, e) => msg.exited(c.config.name, exitOf(e).text, exitExpected(c, c.exitstatus))), reaped, 'clearPid',
] as const;
export const stoppedFrom = (from: ProcessStateName) => [
  'recordStopExit', change(from, 'STOPPED'),
  say((c, e) => msg.stopped(c.config.name, exitOf(e).text, exitExpected(c, c.exitstatus))), reaped, 'clearPid',
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
  { guard: and(['wantStart', 'depFailed']), target: 'FATAL', actions: depsFail(from) },
  { guard: and(['wantStart', not('depsWaiting'), 'mayRetry']), target: 'STARTING', actions: spawning(from) },
] as const;
export const running = [
  'resetBackoff', change('STARTING', 'RUNNING'), say((c) => msg.success(c.config.name, c.config.startsecs)),
] as const;
