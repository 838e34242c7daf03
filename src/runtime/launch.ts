// What Node's spawn is asked to run. Usually the program itself; through an exec wrapper
// when the child needs what libuv's fork-then-exec cannot give it: util-linux setpriv(1)
// for a parent-death signal and for supplementary groups (libuv's setuid path calls
// setgroups(0, NULL); supervisor calls setgroups([gid] + the user's groups)), coreutils
// env(1) for SIGPIPE/SIGXFSZ ignored (supervisord is Python, which ignores both, and
// fork + execve keeps that; libuv resets every disposition to default). A wrapper costs
// one more execve per spawn (a death signal two: setpriv, then /bin/sh checks the parent),
// and the program then sees argv[0] = its filename, since neither tool can set argv[0].
//
// Also what supervisor's child would have written before exiting 127, found by asking
// the file system first: Node reports a failed chdir or exec as a spawn error with no
// child, and it runs a file without #! through /bin/sh (execvp's ENOEXEC fallback)
// where supervisor's execve fails.
import { accessSync, closeSync, constants, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SpawnError } from './errors.ts';
import type { UserIdentity } from './user.ts';

export interface Launch {
  file: string;
  /** After argv[0]. */
  args: string[];
  argv0: string;
  uid?: number;
  gid?: number;
}

export interface LaunchRequest {
  filename: string;
  argv: readonly string[];
  directory: string | null;
  /** A user to become, when the daemon is root and the user is another. */
  user: UserIdentity | null;
  deathSignal: NodeJS.Signals | null;
  ignorePipeSignals: boolean;
}

const tool = (name: string): string | null => [`/usr/bin/${name}`, `/bin/${name}`].find((p) => existsSync(p)) ?? null;
export const SETPRIV = tool('setpriv');
const ENV = tool('env');
const SH = '/bin/sh';

/**
 * Run after setpriv has set the death signal: a daemon that died before that has left the
 * child with another parent and the kernel will never send it, so the child sends it to
 * itself (prctl(2), PR_SET_PDEATHSIG, advises this getppid() check). Every spawn's parent
 * is this process. `"$@"` is the program and its arguments.
 */
const parentCheck = (signal: NodeJS.Signals): string =>
  `[ "$PPID" = ${process.pid} ] || kill -s ${signal.replace(/^SIG/, '')} $$; exec "$@"`;

export function planLaunch(r: LaunchRequest): Launch {
  // A filename without '/' came from an empty PATH entry: execve runs it from the cwd, and
  // Node would search PATH for it.
  let file = r.filename.includes('/') ? r.filename : `./${r.filename}`;
  let args = r.argv.slice(1);
  let argv0 = r.argv[0];
  const wrap = (wrapper: string, options: string[]) => {
    args = [...options, '--', file, ...args];
    file = wrapper;
    argv0 = wrapper;
  };
  const extraGroups = r.user !== null && r.user.groups.some((g) => g !== r.user?.gid);
  const groupsViaSetpriv = extraGroups && SETPRIV !== null;
  if (r.ignorePipeSignals && ENV !== null) wrap(ENV, ['--ignore-signal=PIPE,XFSZ']);
  if (r.deathSignal !== null || groupsViaSetpriv) {
    if (SETPRIV === null) throw new SpawnError('NotFound', "can't find command 'setpriv'");
    const options: string[] = [];
    if (groupsViaSetpriv && r.user) options.push(`--reuid=${r.user.uid}`, `--regid=${r.user.gid}`, `--groups=${r.user.groups.join(',')}`);
    if (r.deathSignal !== null) {
      options.push(`--pdeathsig=${r.deathSignal}`);
      wrap(SH, ['-c', parentCheck(r.deathSignal)]);
    }
    wrap(SETPRIV, options);
  }
  const launch: Launch = { file, args, argv0 };
  if (r.user && !groupsViaSetpriv) { launch.uid = r.user.uid; launch.gid = r.user.gid; }
  return launch;
}

/** A stand-in child that says what supervisor's failed child says, on its fd 2, and exits 127. */
export function standIn(message: string): Launch {
  return {
    file: SH,
    args: ['-c', 'printf "%s\\n" "$@" >&2; exit 127', 'supervisor', `supervisor: ${message}`, 'supervisor: child process was not spawned'],
    argv0: 'sh',
  };
}

const errorCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? 'EINVAL';

/** `couldn't chdir to <dir>: <ERRNO>` when chdir(directory) would fail. */
export function chdirFailure(directory: string | null): string | null {
  if (directory === null) return null;
  try {
    if (!statSync(directory).isDirectory()) return `couldn't chdir to ${directory}: ENOTDIR`;
    accessSync(directory, constants.X_OK);
    return null;
  } catch (e) {
    return `couldn't chdir to ${directory}: ${errorCode(e)}`;
  }
}

// binfmt_misc can teach the kernel other formats; with any registered, trust execve.
const otherFormats = (() => {
  try { return readdirSync('/proc/sys/fs/binfmt_misc').some((n) => n !== 'register' && n !== 'status'); } catch { return false; }
})();

function head(path: string, bytes: number): Buffer | null {
  let fd: number;
  try { fd = openSync(path, constants.O_RDONLY); } catch { return null; }
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** `couldn't exec <argv0>: ENOEXEC` for a file the kernel cannot run (no #!, not ELF). */
export function noexecFailure(r: Pick<LaunchRequest, 'filename' | 'argv' | 'directory'>): string | null {
  if (otherFormats) return null;
  const bytes = head(resolve(r.directory ?? '.', r.filename), 4);
  if (bytes === null) return null;
  const runnable = bytes.subarray(0, 2).toString('latin1') === '#!' || bytes.toString('latin1') === '\x7fELF';
  return runnable ? null : `couldn't exec ${r.argv[0]}: ENOEXEC`;
}

/**
 * The message for a spawn Node refused after fork: its errno when it threw one, else
 * (ENOENT or EACCES, reported later with no way to tell which step) worked out again.
 */
export function spawnFailure(r: Pick<LaunchRequest, 'filename' | 'argv' | 'directory'>, code: string | undefined): string {
  const chdir = chdirFailure(r.directory);
  if (chdir !== null) return chdir;
  if (code === undefined) {
    const path = resolve(r.directory ?? '.', r.filename);
    const bytes = head(path, 256);
    const interpreter = bytes?.toString('latin1').match(/^#!\s*(\S+)/)?.[1];
    code = bytes === null && !existsSync(path) ? 'ENOENT' : interpreter && !existsSync(interpreter) ? 'ENOENT' : 'EACCES';
  }
  return `couldn't exec ${r.argv[0]}: ${code}`;
}
