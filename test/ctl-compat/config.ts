// The configuration every ctl-compat scenario starts from: both servers (unix socket for
// the [supervisorctl] section, TCP with basic auth), and the scenario's programs.
import { FIXTURES, PASSWORD, PROGRAMS, USER, type Combo } from './harness.ts';

export const SLEEP = `${PROGRAMS}sleep-forever.sh`;
export const TALKER = `${FIXTURES}talker.sh`;

export function serverSections(c: Combo, port: number): string {
  return `[unix_http_server]
file=${c.socket}

[inet_http_server]
port=127.0.0.1:${port}
username=${USER}
password=${PASSWORD}

[supervisord]
logfile=%(here)s/main.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s
nodaemon=true

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${c.socket}
history_file=%(here)s/history
`;
}

/** A [program:x] section of a program that counts as started at once; extra lines follow. */
export const program = (name: string, command: string, ...extra: string[]): string =>
  [`[program:${name}]`, `command=${command}`, 'startsecs=0', ...extra, ''].join('\n');

/** cat, and talker and sleeper in group grp. */
export const CAT_AND_GROUP = [program('cat', 'cat'), program('talker', TALKER), program('sleeper', SLEEP), '[group:grp]\nprograms=talker,sleeper\n'].join('\n');
