// The supervisor.* namespace as a TypeScript interface: what the daemon implements with its
// actors. Shapes, key names and value conventions are supervisor 4.2.5's (rpcinterface.py);
// keys are listed in the order supervisor builds its dicts. Faults are thrown as RpcFault.
// Integers go out as XML-RPC <int>, so timestamps and sizes must fit 32 bits (supervisor
// clamps timestamps with capped_int).
import type { ConfigInfo, ProcessInfo, ProcessResult, ReloadResult, StateInfo, TailResult } from '../client/wire.ts';
import type { Awaitable } from './types.ts';

/**
 * The daemon's side of supervisor.*. Arguments arrive checked and converted (flags by
 * Python truthiness, defaults filled in); the SHUTDOWN_STATE gate runs before the call.
 * A method may take as long as supervisor's deferred ones do: the HTTP request waits.
 * Aliases (getVersion, readMainLog, readProcessLog, tailProcessLog, clearProcessLog) map
 * onto these in the registration.
 */
export interface SupervisorApi {
  getAPIVersion(): Awaitable<string>;
  getSupervisorVersion(): Awaitable<string>;
  getIdentification(): Awaitable<string>;
  getState(): Awaitable<StateInfo>;
  getPID(): Awaitable<number>;
  readLog(offset: number, length: number): Awaitable<string>;
  clearLog(): Awaitable<boolean>;
  shutdown(): Awaitable<boolean>;
  restart(): Awaitable<boolean>;
  reloadConfig(): Awaitable<ReloadResult>;
  addProcessGroup(name: string): Awaitable<boolean>;
  removeProcessGroup(name: string): Awaitable<boolean>;
  /** `g:*` / `g:` delegate to startProcessGroup and so return an array. */
  startProcess(name: string, wait: boolean): Awaitable<boolean | ProcessResult[]>;
  startProcessGroup(name: string, wait: boolean): Awaitable<ProcessResult[]>;
  startAllProcesses(wait: boolean): Awaitable<ProcessResult[]>;
  /** `g:*` / `g:` delegate to stopProcessGroup and so return an array. */
  stopProcess(name: string, wait: boolean): Awaitable<boolean | ProcessResult[]>;
  stopProcessGroup(name: string, wait: boolean): Awaitable<ProcessResult[]>;
  stopAllProcesses(wait: boolean): Awaitable<ProcessResult[]>;
  /** signal: a name ('HUP', 'SIGHUP') or a number, given as text or as an int. `g:*` delegates to signalProcessGroup. */
  signalProcess(name: string, signal: string | number): Awaitable<boolean | ProcessResult[]>;
  signalProcessGroup(name: string, signal: string | number): Awaitable<ProcessResult[]>;
  signalAllProcesses(signal: string | number): Awaitable<ProcessResult[]>;
  getAllConfigInfo(): Awaitable<ConfigInfo[]>;
  getProcessInfo(name: string): Awaitable<ProcessInfo>;
  /** May return the same frozen array while nothing it reports has changed (marshal.ts then reuses its bytes). */
  getAllProcessInfo(): Awaitable<readonly ProcessInfo[]>;
  readProcessStdoutLog(name: string, offset: number, length: number): Awaitable<string>;
  readProcessStderrLog(name: string, offset: number, length: number): Awaitable<string>;
  tailProcessStdoutLog(name: string, offset: number, length: number): Awaitable<TailResult>;
  tailProcessStderrLog(name: string, offset: number, length: number): Awaitable<TailResult>;
  clearProcessLogs(name: string): Awaitable<boolean>;
  clearAllProcessLogs(): Awaitable<ProcessResult[]>;
  /** chars is already known to be text (a non-string is INCORRECT_PARAMETERS: <chars>). */
  sendProcessStdin(name: string, chars: string): Awaitable<boolean>;
  /** Both arguments as Python's str() renders whatever the client sent. Never gated. */
  sendRemoteCommEvent(type: string, data: string): Awaitable<boolean>;
}
