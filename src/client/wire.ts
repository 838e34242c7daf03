// The values and structs supervisor's XML-RPC API carries, as every client and the daemon
// see them: one definition each. Shapes, key names and value conventions are supervisor
// 4.2.5's (rpcinterface.py), keys in the order supervisor builds its dicts.
import type { ProcessStateCode, ProcessStateName } from '../states.ts';

// The values an XML-RPC message can carry, as the xmlrpc package's codec reads and writes
// them: <int>/<double> → number, <i8> → string (as supervisor's own unmarshaller does),
// <nil/> → null, <dateTime.iso8601> → Date, <base64> → Buffer (turned into text on the
// way in, as supervisor does), <array> → array, <struct> → object.
export type XmlRpcValue =
  | string
  | number
  | boolean
  | null
  | Date
  | Buffer
  | readonly XmlRpcValue[]
  | { readonly [key: string]: XmlRpcValue };

export type XmlRpcStruct = { readonly [key: string]: XmlRpcValue };

/** getState. */
export type StateInfo = { statecode: number; statename: string };

/** getProcessInfo / getAllProcessInfo. */
export type ProcessInfo = {
  name: string;
  group: string;
  /** laststart, epoch seconds, 0 if never started. */
  start: number;
  /** laststop, epoch seconds, 0 if never stopped. */
  stop: number;
  now: number;
  state: ProcessStateCode;
  statename: ProcessStateName;
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
