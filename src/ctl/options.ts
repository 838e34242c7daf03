// statevisorctl's command line and configuration, as supervisorctl's ClientOptions
// realizes them: flags (Python's getopt), then the [supervisorctl] section of the file
// given with -c or found on supervisor's search path, then the defaults. Flags win.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCtlConfig } from '../config/ctl.ts';
import { ConfigValueError } from '../config/errors.ts';
import { pyRepr } from '../config/pyrepr.ts';
import { getopt, GetoptError } from '../util/getopt.ts';

/** The supervisorctl statevisorctl stands in for, printed by -v. */
export const SUPERVISORCTL_VERSION = '4.2.5';

export const USAGE = `statevisorctl -- control applications run by supervisord from the cmd line.

Usage: statevisorctl [options] [action [arguments]]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-h/--help -- print usage message and exit
-i/--interactive -- start an interactive shell after executing commands
-s/--serverurl URL -- URL on which supervisord server is listening
     (default "http://localhost:9001").
-u/--username USERNAME -- username to use for authentication with server
-p/--password PASSWORD -- password to use for authentication with server
-r/--history-file -- keep a readline history (if readline is available)
-v/--version -- print statevisorctl's supervisorctl version and exit

action [arguments] -- see below

Actions are commands like "tail" or "stop".  If -i is specified or no action is
specified on the command line, a "shell" interpreting actions typed
interactively is started.  Use the action "help" to find out about available
actions.

`;

export interface ClientOptions {
  configfile: string | null;
  serverurl: string;
  username: string | null;
  password: string | null;
  prompt: string;
  history_file: string | null;
  interactive: boolean;
  /** The command to run, one word per argument; empty for the shell. */
  args: string[];
}

/** Run with these options, or exit now with this text and code. */
export type Realized = { options: ClientOptions } | { exit: number; stdout?: string; stderr?: string };

const usage = (msg: string): Realized => ({ exit: 2, stderr: `Error: ${msg}\nFor help, use statevisorctl -h\n` });

/** datatypes.url: a scheme and something after it. */
function url(value: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:(.*)$/s.exec(value);
  if (m && m[1]!.replace(/[?#].*$/s, '')) return value;
  throw new ConfigValueError(`value ${pyRepr(value)} is not a URL`);
}

/** Options.searchpaths: beside the executable first, then the usual places. */
export function searchPaths(argv0: string): string[] {
  const here = dirname(dirname(argv0));
  return [join(here, 'etc', 'supervisord.conf'), join(here, 'supervisord.conf'), 'supervisord.conf', 'etc/supervisord.conf', '/etc/supervisord.conf', '/etc/supervisor/supervisord.conf'];
}

// Short flag → option name; each may be given once.
const FLAGS: Record<string, string> = {
  '-c': 'configfile', '--configuration': 'configfile',
  '-i': 'interactive', '--interactive': 'interactive',
  '-s': 'serverurl', '--serverurl': 'serverurl',
  '-u': 'username', '--username': 'username',
  '-p': 'password', '--password': 'password',
  '-r': 'history_file', '--history_file': 'history_file',
};

export function realize(argv: string[], argv0: string): Realized {
  let parsed: ReturnType<typeof getopt>;
  try {
    parsed = getopt(argv, 'h?vc:is:u:p:r:', ['help', 'version', 'configuration=', 'interactive', 'serverurl=', 'username=', 'password=', 'history_file=']);
  } catch (e) {
    if (e instanceof GetoptError) return usage(e.message);
    throw e;
  }
  const given: Record<string, string> = {};
  for (const [opt, value] of parsed.opts) {
    if (opt === '-h' || opt === '-?' || opt === '--help') return { exit: 0, stdout: USAGE };
    if (opt === '-v' || opt === '--version') return { exit: 0, stdout: `${SUPERVISORCTL_VERSION}\n` };
    const name = FLAGS[opt]!;
    let v = value;
    if (name === 'serverurl') {
      try {
        v = url(value);
      } catch (e) {
        return usage(`invalid value for ${opt} ${pyRepr(value)}: ${(e as Error).message}`);
      }
    }
    if (name in given) return usage(`conflicting command line option ${pyRepr(opt)}`);
    given[name] = v;
  }
  const configfile = given.configfile ?? searchPaths(argv0).find((p) => existsSync(p)) ?? null;
  let file: Partial<ReturnType<typeof loadCtlConfig>> = {};
  if (configfile) {
    try {
      file = loadCtlConfig(configfile);
    } catch (e) {
      if (e instanceof ConfigValueError) return usage(e.message);
      throw e;
    }
  }
  return {
    options: {
      configfile,
      serverurl: given.serverurl ?? file.serverurl ?? 'http://localhost:9001',
      username: given.username ?? file.username ?? null,
      password: given.password ?? file.password ?? null,
      prompt: file.prompt ?? 'supervisor',
      // supervisorctl reads -r into an option its shell never looks at; here it works.
      history_file: given.history_file ?? file.history_file ?? null,
      interactive: 'interactive' in given || parsed.args.length === 0,
      args: parsed.args,
    },
  };
}
