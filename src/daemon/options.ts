// supervisord's command line: its flags, usage text and errors (options.py ServerOptions),
// plus statevisor's own flags, which supervisord would reject.
import * as t from '../config/datatypes.ts';
import { ConfigValueError } from '../config/errors.ts';
import type { ConfigHost } from '../config/host.ts';
import { pyRepr, pyReprList } from '../config/pyrepr.ts';
import { getopt, GetoptError } from '../util/getopt.ts';
import { SAMPLE_CONFIG } from './sample-config.ts';

export const SUPERVISOR_VERSION = '4.2.5';
/** --inspect without a port: where @statelyai/inspect's own tools look first. */
export const DEFAULT_INSPECT_PORT = 8080;

export const USAGE = `statevisord -- run a set of applications as daemons.

Usage: statevisord [options]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-n/--nodaemon -- run in the foreground (same as 'nodaemon=true' in config file)
-s/--silent -- no logs to stdout (maps to 'silent=true' in config file)
-h/--help -- print this usage message and exit
-v/--version -- print supervisord version number and exit
-u/--user USER -- run supervisord as this user (or numeric uid)
-m/--umask UMASK -- use this umask for daemon subprocess (default is 022)
-d/--directory DIRECTORY -- directory to chdir to when daemonized
-l/--logfile FILENAME -- use FILENAME as logfile path
-y/--logfile_maxbytes BYTES -- use BYTES to limit the max size of logfile
-z/--logfile_backups NUM -- number of backups to keep when max bytes reached
-e/--loglevel LEVEL -- use LEVEL as log level (debug,info,warn,error,critical)
-j/--pidfile FILENAME -- write a pid file for the daemon process to FILENAME
-i/--identifier STR -- identifier used for this instance of supervisord
-q/--childlogdir DIRECTORY -- the log directory for child process logs
-k/--nocleanup --  prevent the process from performing cleanup (removal of
                   old automatic child log files) at startup.
-a/--minfds NUM -- the minimum number of file descriptors for start success
-t/--strip_ansi -- strip ansi escape codes from process output
--minprocs NUM  -- the minimum number of processes available for start success
--profile_options OPTIONS -- accepted for compatibility; statevisord ignores it

statevisor's own:
--print-config -- print the effective configuration as JSON and exit
--echo-config -- print a commented sample configuration and exit
--inspect[=PORT] -- serve the actors' XState inspection events for Stately's
                    inspector on ws://127.0.0.1:PORT (default 8080; 0 picks a
                    free port); http://127.0.0.1:PORT/ opens the inspector
`;

/** Flags that override [supervisord] options, by option name. */
export type Overrides = Partial<Record<string, string | number | boolean | null>>;

export interface DaemonArgs {
  configfile: string | null;
  printConfig: boolean;
  /** --inspect's port, or null without it. */
  inspect: number | null;
  overrides: Overrides;
}

/** What the command line asks for: run, or exit now with this text and code. */
export type Parsed = { run: DaemonArgs } | { exit: number; stdout?: string; stderr?: string };

type Handler = (v: string, host: ConfigHost) => string | number | boolean | null;
const flag: Handler = () => true;
const str: Handler = (v) => v;

// [option, short, long, handler]; a short flag without ':' takes no argument.
const FLAGS: [string, string, string, Handler][] = [
  ['nodaemon', 'n', 'nodaemon', flag],
  ['user', 'u:', 'user=', str],
  ['umask', 'm:', 'umask=', (v) => t.octalType(v)],
  ['directory', 'd:', 'directory=', (v, h) => t.existingDirectory(v, h)],
  ['logfile', 'l:', 'logfile=', (v, h) => t.existingDirpath(v, h)],
  ['logfile_maxbytes', 'y:', 'logfile_maxbytes=', (v) => t.byteSize(v)],
  ['logfile_backups', 'z:', 'logfile_backups=', (v) => t.integer(v)],
  ['loglevel', 'e:', 'loglevel=', (v) => t.loggingLevel(v)],
  ['pidfile', 'j:', 'pidfile=', (v, h) => t.existingDirpath(v, h)],
  ['identifier', 'i:', 'identifier=', str],
  ['childlogdir', 'q:', 'childlogdir=', (v, h) => t.existingDirectory(v, h)],
  ['minfds', 'a:', 'minfds=', (v) => t.integer(v)],
  ['minprocs', '', 'minprocs=', (v) => t.integer(v)],
  ['nocleanup', 'k', 'nocleanup', flag],
  ['strip_ansi', 't', 'strip_ansi', flag],
  ['profile_options', '', 'profile_options=', str],
  ['silent', 's', 'silent', flag],
];

const usage = (msg: string): Parsed => ({ exit: 2, stderr: `Error: ${msg}\nFor help, use statevisord -h\n` });

/** --inspect takes an optional value, which getopt cannot say: it is taken out first. */
function takeInspect(argv: string[]): { rest: string[]; port: number | null } | Parsed {
  let port: number | null = null;
  const rest: string[] = [];
  for (const [i, a] of argv.entries()) {
    if (a === '--') { for (const r of argv.slice(i)) rest.push(r); break; }
    const m = /^--inspect(?:=(.*))?$/.exec(a);
    if (!m) { rest.push(a); continue; }
    if (port !== null) return usage(`conflicting command line option '--inspect'`);
    const value = m[1] ?? String(DEFAULT_INSPECT_PORT);
    if (!/^\d+$/.test(value) || Number(value) > 65535) return usage(`invalid value for --inspect ${pyRepr(value)}: not a port number`);
    port = Number(value);
  }
  return { rest, port };
}

export function parseArgs(argv: string[], host: ConfigHost): Parsed {
  const taken = takeInspect(argv);
  if ('exit' in taken || 'run' in taken) return taken;
  argv = taken.rest;
  const shorts = `hc:v?${FLAGS.map((f) => f[1]).join('')}`;
  const longs = ['help', 'configuration=', 'version', 'print-config', 'echo-config', ...FLAGS.map((f) => f[2])];
  let parsed;
  try {
    parsed = getopt(argv, shorts, longs);
  } catch (e) {
    if (e instanceof GetoptError) return usage(e.message);
    throw e;
  }
  if (parsed.args.length) return usage(`positional arguments are not supported: ${pyReprList(parsed.args)}`);
  const args: DaemonArgs = { configfile: null, printConfig: false, inspect: taken.port, overrides: {} };
  for (const [opt, value] of parsed.opts) {
    if (opt === '-h' || opt === '-?' || opt === '--help') return { exit: 0, stdout: USAGE };
    if (opt === '-v' || opt === '--version') return { exit: 0, stdout: `${SUPERVISOR_VERSION}\n` };
    if (opt === '--print-config') { args.printConfig = true; continue; }
    if (opt === '--echo-config') return { exit: 0, stdout: SAMPLE_CONFIG };
    if (opt === '-c' || opt === '--configuration') {
      if (args.configfile !== null) return usage(`conflicting command line option ${pyRepr(opt)}`);
      args.configfile = value;
      continue;
    }
    const [name, , , handler] = FLAGS.find(([, s, l]) => opt === `-${s[0]}` || opt === `--${l.replace('=', '')}`)!;
    let converted;
    try {
      converted = handler(value, host);
    } catch (e) {
      if (e instanceof ConfigValueError) return usage(`invalid value for ${opt} ${pyRepr(value)}: ${e.message}`);
      throw e;
    }
    if (args.overrides[name] !== undefined) return usage(`conflicting command line option ${pyRepr(opt)}`);
    args.overrides[name] = converted;
  }
  return { run: args };
}

/** supervisord's search path when no -c is given (relative to its executable, then CWD, then /etc). */
export function searchPaths(executable: string): string[] {
  const here = executable.split('/').slice(0, -2).join('/');
  const join = (a: string, b: string) => (a ? `${a}/${b}` : b);
  return [join(join(here, 'etc'), 'supervisord.conf'), join(here, 'supervisord.conf'), 'supervisord.conf', 'etc/supervisord.conf', '/etc/supervisord.conf', '/etc/supervisor/supervisord.conf'];
}
