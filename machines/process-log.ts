// The main-log texts supervisor 4.2.5's process.py writes around process transitions,
// kept verbatim (spacing, quotes, "> than") because users grep for them.
import { signame } from '../src/states.ts';
import { log, type LogLine } from './emitted.ts';

/** How a child ended, as the runtime reports it (Node's 'exit' code/signal, signal as a number). */
export interface ExitReport {
  code: number | null;
  signal: number | null;
  /** A core file was written (WCOREDUMP); Node does not tell, so the runtime may leave it out. */
  core?: boolean;
}

/** supervisor's decode_wait_status(): the exitstatus (-1 when killed by a signal) and its text. */
export function decodeExit(e: ExitReport): { status: number; text: string } {
  if (e.code !== null) return { status: e.code & 0xffff, text: `exit status ${e.code & 0xffff}` };
  if (e.signal !== null) return { status: -1, text: `terminated by ${signame(e.signal)}${e.core ? ' (core dumped)' : ''}` };
  return { status: -1, text: 'unknown termination cause' };
}

export const TOO_QUICKLY = 'Exited too quickly (process log may have details)';
export const badExitCode = (status: number): string => `Bad exit code ${status}`;

export const msg = {
  spawned: (name: string, pid: number): LogLine => log('INFO', `spawned: '${name}' with pid ${pid}`),
  spawnerr: (message: string): LogLine => log('INFO', `spawnerr: ${message}`),
  success: (name: string, startsecs: number): LogLine =>
    log('INFO', `success: ${name} entered RUNNING state, process has stayed up for > than ${startsecs} seconds (startsecs)`),
  /** An exit within startsecs is "not expected" whatever its code: supervisor hard-codes it. */
  exited: (name: string, text: string, expected: boolean): LogLine =>
    log(expected ? 'INFO' : 'WARN', `exited: ${name} (${text}; ${expected ? 'expected' : 'not expected'})`),
  gaveUp: (name: string): LogLine => log('INFO', `gave up: ${name} entered FATAL state, too many start retries too quickly`),
  /** Level follows exitcodes: a SIGTERM death has status -1, so a normal stop logs WARN. */
  stopped: (name: string, text: string, expected: boolean): LogLine => log(expected ? 'INFO' : 'WARN', `stopped: ${name} (${text})`),
  waitingToStop: (name: string): LogLine => log('INFO', `waiting for ${name} to stop`),
  sigkill: (name: string, pid: number): LogLine => log('WARN', `killing '${name}' (${pid}) with SIGKILL`),
  killing: (name: string, pid: number, asGroup: boolean, sig: number): LogLine =>
    log('DEBG', `killing ${name} (pid ${pid}) ${asGroup ? 'process group ' : ''}with signal ${signame(sig)}`),
  killBackoff: (name: string): LogLine => log('DEBG', `Attempted to kill ${name}, which is in BACKOFF state.`),
  killProblem: (name: string, pid: number, message: string): LogLine => log('CRIT', `unknown problem killing ${name} (${pid}):${message}`),
  sending: (name: string, pid: number, sig: number): LogLine => log('DEBG', `sending ${name} (pid ${pid}) sig ${signame(sig)}`),
  signalProblem: (name: string, pid: number, message: string): LogLine => log('CRIT', `unknown problem sending sig ${name} (${pid}):${message}`),
  notRunning: (name: string, sig: number): LogLine => log('DEBG', `attempted to send ${name} sig ${signame(sig)} but it wasn't running`),
  sigchld: log('DEBG', 'received SIGCHLD indicating a child quit'),
  laststartInFuture: (name: string, pid: number): LogLine =>
    log('WARN', `process '${name}' (${pid}) laststart time is in the future, don't know how long process was running so assuming it did not exit too quickly`),
};
