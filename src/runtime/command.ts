// supervisor's Subprocess.get_execv_args + ServerOptions.check_execv_args: from the
// `command=` text to the file to execve and the argv to give it. The checks run in the
// daemon before any fork, so a bad command never becomes a child: it is a spawn error.
import { accessSync, constants, statSync } from 'node:fs';
import { PyValueError } from '../config/pyint.ts';
import { pyRepr } from '../config/pyrepr.ts';
import { shlexSplit } from '../config/shlex.ts';
import { SpawnError } from './errors.ts';

export interface ResolvedCommand {
  /** What to execve: argv[0] itself when it holds a '/', else the PATH entry that matched. */
  filename: string;
  /** The command as split, argv[0] as written (execve gets this argv, not the filename). */
  argv: readonly string[];
}

/** The two questions check_execv_args asks of the file system (tests fake them). */
export interface FileProbe {
  /** os.stat(path).st_mode, following links; null when stat fails for any reason. */
  mode(path: string): number | null;
  /** os.access(path, X_OK): by the daemon's real uid, as supervisor asks. */
  executable(path: string): boolean;
}

export const nodeFileProbe: FileProbe = {
  mode: (path) => {
    // without an exception for a missing file: a PATH search misses in most of its entries
    try { return statSync(path, { throwIfNoEntry: false })?.mode ?? null; } catch { return null; }
  },
  executable: (path) => {
    try { accessSync(path, constants.X_OK); return true; } catch { return false; }
  },
};

/** Options.get_path()'s fallback when the daemon has no (or an empty) PATH. */
export const DEFAULT_SEARCH_PATH: readonly string[] = ['/bin', '/usr/bin', '/usr/local/bin'];

/**
 * ProcessConfig.get_path(): the program's `environment=` PATH when it has one, even an
 * empty one; else the daemon's PATH unless empty; else the default.
 */
export function searchPath(environment: Readonly<Record<string, string>> | null, daemonPath: string | undefined): string[] {
  if (environment && Object.hasOwn(environment, 'PATH')) return environment.PATH.split(':');
  if (daemonPath) return daemonPath.split(':');
  return [...DEFAULT_SEARCH_PATH];
}

// os.path.join(dir, name) for a name without '/': no normalisation, unlike path.join.
const joinPath = (dir: string, name: string): string => (dir === '' || dir.endsWith('/') ? dir + name : `${dir}/${name}`);

/**
 * Splits and resolves `command` as supervisor does, or throws a SpawnError with its message.
 * `environment` is the program's merged `environment=` (ProcessConfig.environment), not the
 * child's whole environment: supervisor looks PATH up there first, then in `daemonPath`.
 * A relative filename is checked against the daemon's cwd, as supervisor does, although the
 * child execs it from its own `directory`.
 */
export function resolveCommand(
  command: string,
  environment: Readonly<Record<string, string>> | null,
  daemonPath: string | undefined = process.env.PATH,
  probe: FileProbe = nodeFileProbe,
): ResolvedCommand {
  return resolveArgv(splitCommand(command), environment, daemonPath, probe);
}

/** get_execv_args' split of `command=`: never empty; else a SpawnError with supervisor's message. */
export function splitCommand(command: string): readonly string[] {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (e) {
    if (e instanceof PyValueError) throw new SpawnError('BadCommand', `can't parse command ${pyRepr(command)}: ${e.message}`);
    throw e;
  }
  if (argv.length === 0) throw new SpawnError('BadCommand', 'command is empty');
  return argv;
}

/**
 * resolveCommand() of a command split already (the split is the same at every spawn; the
 * file is looked up and checked again each time, as supervisor's spawn does).
 */
export function resolveArgv(
  argv: readonly string[],
  environment: Readonly<Record<string, string>> | null,
  daemonPath: string | undefined = process.env.PATH,
  probe: FileProbe = nodeFileProbe,
): ResolvedCommand {
  const program = argv[0];
  let filename = program;
  let mode: number | null = null;
  if (program.includes('/')) mode = probe.mode(program);
  else {
    for (const dir of searchPath(environment, daemonPath)) {
      const found = joinPath(dir, program);
      mode = probe.mode(found);
      if (mode !== null) { filename = found; break; }
    }
  }
  checkExecvArgs(filename, mode, probe);
  return { filename, argv };
}

function checkExecvArgs(filename: string, mode: number | null, probe: FileProbe): void {
  const name = () => pyRepr(filename);
  if (mode === null) throw new SpawnError('NotFound', `can't find command ${name()}`);
  if ((mode & constants.S_IFMT) === constants.S_IFDIR) throw new SpawnError('NotExecutable', `command at ${name()} is a directory`);
  if ((mode & 0o111) === 0) throw new SpawnError('NotExecutable', `command at ${name()} is not executable`);
  if (!probe.executable(filename)) throw new SpawnError('NoPermission', `no permission to run command ${name()}`);
}
