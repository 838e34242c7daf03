// The typed configuration: what supervisor 4.2.5's ServerOptions.read_config builds.
// Field names are supervisor's own option names, so docs, print-config and the
// reference's JSON oracle all speak the same words. statevisor's own keys sit apart, in
// each object's `statevisor` field (extensions.ts).
import type { DaemonExtensions, ProcessExtensions } from './extensions.ts';

/** A child log target: AUTO (a file in childlogdir), null (NONE), or a path. */
export type LogfileName = 'AUTO' | null | string;

/** autorestart: always, never, or when the exit code is not in exitcodes. */
export type AutoRestart = 'true' | 'false' | 'unexpected';

/** Erlang/OTP-style supervision strategy of a group (a statevisor extension). */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export interface ProcessConfig {
  name: string;
  command: string;
  directory: string | null;
  umask: number | null;
  priority: number;
  autostart: boolean;
  autorestart: AutoRestart;
  startsecs: number;
  startretries: number;
  uid: number | null;
  stdout_logfile: LogfileName;
  stdout_capture_maxbytes: number;
  stdout_events_enabled: boolean;
  stdout_logfile_backups: number;
  stdout_logfile_maxbytes: number;
  stdout_syslog: boolean;
  stderr_logfile: LogfileName;
  stderr_capture_maxbytes: number;
  stderr_events_enabled: boolean;
  stderr_logfile_backups: number;
  stderr_logfile_maxbytes: number;
  stderr_syslog: boolean;
  stopsignal: number;
  stopwaitsecs: number;
  stopasgroup: boolean;
  killasgroup: boolean;
  exitcodes: number[];
  redirect_stderr: boolean;
  /** [supervisord] environment merged under the program's own. */
  environment: Record<string, string>;
  /** SUPERVISOR_SERVER_URL for the child; null means the daemon's own (AUTO). */
  serverurl: string | null;
  statevisor: ProcessExtensions;
}

export type GroupKind = 'program' | 'group' | 'eventlistener' | 'fcgi-program';

/** Supervision of a group: supervisor's behaviour is one_for_one with no intensity limit. */
export interface Supervision {
  strategy: Strategy;
  /** More than max_restarts restarts within restart_window seconds → the group gives up. */
  max_restarts: number | null;
  restart_window: number;
}

export type FcgiSocket =
  | { kind: 'unix'; url: string; path: string; mode: number; owner: [number, number] | null; backlog: number | null }
  | { kind: 'tcp'; url: string; host: string; port: number; backlog: number | null };

export interface GroupConfig {
  name: string;
  kind: GroupKind;
  priority: number;
  processes: ProcessConfig[];
  supervision: Supervision;
  /** [eventlistener:x] only: the event type names it subscribes to, sorted. */
  events?: string[];
  buffer_size?: number;
  result_handler?: string;
  /** [fcgi-program:x] only. */
  socket?: FcgiSocket;
}

export interface InetServerConfig {
  family: 'AF_INET';
  name: string | null;
  section: string;
  host: string;
  port: number;
  username: string | null;
  password: string | null;
}

export interface UnixServerConfig {
  family: 'AF_UNIX';
  name: string | null;
  section: string;
  file: string;
  chmod: number;
  chown: [number, number];
  username: string | null;
  password: string | null;
}

export type ServerConfig = InetServerConfig | UnixServerConfig;

export interface SupervisordConfig {
  logfile: string;
  logfile_maxbytes: number;
  logfile_backups: number;
  /** Numeric level: CRIT 50, ERRO 40, WARN 30, INFO 20, DEBG 10, TRAC 5, BLAT 3. */
  loglevel: number;
  pidfile: string;
  umask: number;
  nodaemon: boolean;
  silent: boolean;
  minfds: number;
  minprocs: number;
  nocleanup: boolean;
  childlogdir: string;
  user: string | null;
  directory: string | null;
  strip_ansi: boolean;
  environment: Record<string, string>;
  identifier: string;
  statevisor: DaemonExtensions;
}

export interface RpcInterfaceConfig {
  name: string;
  factory: string;
  extras: Record<string, string>;
}

/** Messages supervisord logs once its logger exists (parse_criticals/warnings/infos). */
export interface ParseMessages {
  warnings: string[];
  infos: string[];
}

export interface Config {
  /** The main config file as given, and the files [include] pulled in. */
  file: string;
  included: string[];
  supervisord: SupervisordConfig;
  servers: ServerConfig[];
  groups: GroupConfig[];
  rpcinterfaces: RpcInterfaceConfig[];
  messages: ParseMessages;
}
