// The supervisor.* namespace as a TypeScript interface: what the daemon implements with its
// actors. Shapes, key names and value conventions are supervisor 4.2.5's (rpcinterface.py);
// keys are listed in the order supervisor builds its dicts. Faults are thrown as RpcFault.
// Integers go out as XML-RPC <int>, so timestamps and sizes must fit 32 bits (supervisor
// clamps timestamps with capped_int).
import type { Awaitable } from './types.ts';

/** getState. */
export type StateInfo = { statecode: number; statename: string };

/** getProcessInfo / getAllProcessInfo (supervisor.md §4.6). */
export type ProcessInfo = {
  name: string;
  group: string;
  /** laststart, epoch seconds, 0 if never started. */
  start: number;
  /** laststop, epoch seconds, 0 if never stopped. */
  stop: number;
  now: number;
  state: number;
  statename: string;
  /** '' when none. */
  spawnerr: string;
  /** 0 when None. */
  exitstatus: number;
  /** Deprecated alias of stdout_logfile. */
  logfile: string;
  /** '' when none. */
  stdout_logfile: string;
  stderr_logfile: string;
  /** 0 when not running. */
  pid: number;
  /** _interpretProcessInfo: `pid N, uptime H:MM:SS`, the spawn error, the stop time, `Not started` or ''. */
  description: string;
};

/** getAllConfigInfo, one per process of the last parsed config (4.2.5 has no `autorestart` key). */
export type ConfigInfo = {
  autostart: boolean;
  /** 'none' when unset. */
  directory: string;
  /** 'none' when unset. */
  uid: number | string;
  command: string;
  exitcodes: number[];
  group: string;
  group_prio: number;
  /** The group is active (added), not only parsed. */
  inuse: boolean;
  killasgroup: boolean;
  name: string;
  process_prio: number;
  redirect_stderr: boolean;
  startretries: number;
  startsecs: number;
  stdout_capture_maxbytes: number;
  stdout_events_enabled: boolean;
  /** A path, 'auto' or 'none'. */
  stdout_logfile: string;
  stdout_logfile_backups: number;
  stdout_logfile_maxbytes: number;
  stdout_syslog: boolean;
  /** The signal's number. */
  stopsignal: number;
  stopwaitsecs: number;
  stderr_capture_maxbytes: number;
  stderr_events_enabled: boolean;
  stderr_logfile: string;
  stderr_logfile_backups: number;
  stderr_logfile_maxbytes: number;
  stderr_syslog: boolean;
  /** A URL, 'auto' or 'none'. */
  serverurl: string;
};

/** One process's outcome in a group or all-process call: status 80 (SUCCESS) and 'OK', or a fault code and its text. */
export type ProcessResult = { name: string; group: string; status: number; description: string };

/** tailProcess*Log: [bytes read, offset to ask for next (the file size), overflow]. */
export type TailResult = [bytes: string, offset: number, overflow: boolean];

/** reloadConfig: one element holding three arrays of group names. */
export type ReloadResult = [[added: string[], changed: string[], removed: string[]]];

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
