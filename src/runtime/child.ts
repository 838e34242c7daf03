// One child process, started as supervisor's Subprocess.spawn starts it.
//
// Use: `resolveCommand()` (command.ts) and `childEnvironment()` (environment.ts) build a
// ChildSpec; `startChild(spec)` either throws a SpawnError (log `spawnerr: <message>`, go
// to BACKOFF) or returns a ChildHandle at once, its pid known. A `fromCallback` actor
// wraps it: send SPAWNED with `pid`, hand `output` to the logs, call
// `signal(sig, asGroup)` on stop/kill (a failure comes back as a value: ESRCH means the
// child just exited, anything else means UNKNOWN), and send EXITED when `exited` resolves.
// By then the pipes are drained and closed, as supervisor's finish() does when it reaps
// (pipe-reader.ts): the output streams end even while a grandchild holds the write ends.
// Times come from `spec.now` (ms).
//
// How: posix_spawn through libc (child-native.ts), or where libc is out of reach and for
// `user=`, Node's child_process.spawn (child-node.ts). `startChildLater` runs the
// posix_spawn on a thread of libuv's pool (posix-spawn.ts spawnLater) unless a umask or a
// death signal keeps it on the main thread. Where they make it differ from
// supervisor's fork/setpgrp/dup2/setuid/chdir/umask/execve:
// - Own process group: both call setsid() (POSIX_SPAWN_SETSID, Node's `detached`), so the
//   child also leads a new session (supervisor's setpgrp() keeps supervisord's). The group
//   is what stopasgroup and killasgroup signal, and terminal signals miss it either way;
//   what differs is getsid() and that the child has no controlling terminal (opening
//   /dev/tty fails with ENXIO).
// - A failed chdir, setuid or exec: supervisor forked a child that wrote the reason to
//   its stderr and exited 127. posix_spawn returns the errno of the chdir or execve that
//   failed, with no child left; Node reports only an error, with no pid and (for chdir)
//   the same ENOENT as for exec, so on its path we check first. Either way a stand-in
//   /bin/sh then writes supervisor's two lines to the same pipe and exits 127: the machine
//   sees a pid, the log lines, `exit status 127`.
// - Order (Node's path): libuv chdirs before it drops privileges; supervisor after. A
//   directory only root can enter works here for a `user=` program and fails under supervisor.
// - umask: neither has one per child. process.umask() is set around the spawn, which is
//   synchronous; files the libuv threadpool creates in that window get the child's umask.
// - `user=`: uid + the passwd gid. libuv clears supplementary groups; supervisor sets the
//   user's groups from /etc/group, so a user with any goes through setpriv (launch.ts).
// - SIGPIPE and SIGXFSZ start at default; supervisor's children inherit them ignored.
//   `ignorePipeSignals` restores that: free with posix_spawn, an env(1) exec with Node's.
// - Exit: posix_spawn's children are reaped by reaper.ts, whose wait status is whole. Node
//   drops the core-dump bit, and reports a death by signal 32-64 as exit 0. The machine
//   words the exit (machines/process-log.ts decodeExit).
// - stdio: real pipes (pipes.ts), read by PipeReader; with a notify fd N, the fds from 3
//   to N-1 are closed, as everything else of the daemon's (fds.ts).
//
// The daemon's death (SIGKILL, OOM) leaves children running, as under supervisor: nothing
// in the kernel ties a child to its parent. `deathSignal` asks for one through
// `setpriv --pdeathsig` (util-linux, on Debian): prctl(PR_SET_PDEATHSIG), kept across the
// exec of the program, and sent when the thread that forked it dies (a death signal
// keeps the spawn on the calling thread, the main one, so: when the daemon dies; never
// call startChild from a worker).
// Caveats: one more execve per spawn (a third more time per spawn, measured) and argv[0]
// becomes the filename; only the direct child is covered (fork clears it, so grandchildren
// are orphaned unless the child passes the signal on); execve of a setuid or
// file-capability binary clears it, and so does the program changing its own uids or gids;
// a daemon killed before setpriv's prctl leaves that child unarmed.
// Orphans: when the daemon is PID 1 (a container) or a subreaper, orphans are re-parented
// to it, and libuv waitpid()s only the pids it spawned (no waitpid(-1)): reaper.ts reaps
// the others through libc.
import { closeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Child } from './child-handle.ts';
import { nativeSpawn, nativeSpawnLater } from './child-native.ts';
import { nodeSpawn } from './child-node.ts';
import { SpawnError } from './errors.ts';
import { sealInheritedFds } from './fds.ts';
import { chdirFailure, noexecFailure, planLaunch, spawnFailure, standIn, type Launch } from './launch.ts';
import { libc, type Libc } from './native.ts';
import { PipeReader, type OutputSource } from './pipe-reader.ts';
import { makePipe, type Pipe } from './pipes.ts';
import type { SignalFailure } from './signal.ts';
import { privilegesFor, type Privileges } from './user.ts';

export interface ChildSpec {
  /** The process name, for supervisor's resource-error messages. */
  name: string;
  /** From resolveCommand(). */
  filename: string;
  argv: readonly string[];
  /** From childEnvironment(). */
  env: Readonly<Record<string, string>>;
  directory?: string | null;
  umask?: number | null;
  /** `user=`, as the config resolved it. */
  uid?: number | null;
  redirectStderr?: boolean;
  /** Signal the child gets when the daemon dies (opt-in: costs a setpriv exec). */
  deathSignal?: NodeJS.Signals | null;
  /** Start with SIGPIPE and SIGXFSZ ignored, as supervisord's children do (free with posix_spawn). */
  ignorePipeSignals?: boolean;
  /** fd:N ready check: a pipe at this fd in the child, its read end in `notify` (s6's notification-fd). */
  notifyFd?: number | null;
  now?: () => number;
}

export interface ChildExit {
  /** The exit status, or null when a signal ended it. */
  code: number | null;
  /** The signal's name as Node knows it; null for none, and for signals 32-64 (see signo). */
  signal: NodeJS.Signals | null;
  /** The signal's number, whatever it is. */
  signo: number | null;
  /** WCOREDUMP: a core file was written (never known on the child_process path). */
  core: boolean;
  /** now() when the exit was reaped. */
  at: number;
}

export interface ChildHandle {
  readonly pid: number;
  readonly startedAt: number;
  /** Made at its first read (most children never get a byte on stdin). */
  readonly stdin: Writable;
  /** The fd under `stdin` once that is made and while it is open, else -1. */
  readonly stdinFd: number;
  /** The output pipes, taken in place (sinkTo) or as streams; stderr null with redirectStderr. */
  readonly output: { readonly stdout: OutputSource; readonly stderr: OutputSource | null };
  /** output.stdout.stream() */
  readonly stdout: Readable;
  /** output.stderr.stream(), null with redirectStderr: stderr shares stdout's pipe. */
  readonly stderr: Readable | null;
  /** The daemon's end of the notifyFd pipe, or null. */
  readonly notify: Readable | null;
  /** Set when a stand-in reports why the program could not be started (its first line). */
  readonly failure: string | null;
  /** Resolves once the child is reaped and its pipes are drained and closed. */
  readonly exited: Promise<ChildExit>;
  /** The exit once reaped, else null. */
  readonly exit: ChildExit | null;
  /** kill(pid) or kill(-pid); after the exit, ESRCH without a syscall (the pid may be reused). */
  signal(sig: number | NodeJS.Signals, toGroup?: boolean): SignalFailure | null;
  /** Close the daemon's ends of the pipes. */
  close(): void;
}

/** How a child ended, before the time of its reaping is added. */
export type RawExit = Omit<ChildExit, 'at'>;

/** stdio[i] (one of our fds) becomes fd i of the child; a hole leaves fd i closed. */
export type ChildStdio = readonly (number | undefined)[];

/**
 * A spawn: the child's pid and how to hear of its end (call onExit at once, and once), or
 * why there is none: an errno's name, or undefined when Node did not say.
 */
export type Attempt = {
  pid: number;
  onExit(heard: (exit: RawExit) => void): void;
  /** An output pipe reached end of file: the child has probably exited, hear of it now if so. */
  ended?(): void;
} | { code: string | undefined };

export type SpawnMethod = 'native' | 'node';

let method: SpawnMethod = process.env.STATEVISOR_SPAWN === 'node' ? 'node' : 'native';

/**
 * posix_spawn and pipe2 (the default, where libc loads) or child_process and FIFOs (what
 * runs where it does not): STATEVISOR_SPAWN=node chooses the latter, as tests do.
 */
export function setSpawnMethod(m: SpawnMethod): void {
  method = m;
}

/** libc, unless it cannot load or the fallback was chosen. */
function nativeLibc(): Libc | null {
  if (method === 'node') return null;
  const c = libc();
  return c instanceof Error ? null : c;
}

interface Pipes { stdin: Pipe; stdout: Pipe; stderr: Pipe | null }

function openPipes(name: string, redirectStderr: boolean, c: Libc | null): Pipes {
  const made: Pipe[] = [];
  try {
    const next = () => { const p = makePipe(c); made.push(p); return p; };
    return { stdin: next(), stdout: next(), stderr: redirectStderr ? null : next() };
  } catch (e) {
    for (const p of made) { closeSync(p.read); closeSync(p.write); }
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    if (code === 'EMFILE') throw new SpawnError('NoResources', `too many open files to spawn '${name}'`);
    throw new SpawnError('NoResources', `unknown error making dispatchers for '${name}': ${code}`);
  }
}

/** The notification pipe's write end at fd N of the child; fds between stderr and N are closed. */
type Notify = { fd: number; pipe: Pipe } | null;

/** posix_spawn, unless the child needs what only the fallback does (child-node.ts). */
function spawnerFor(c: Libc | null, privileges: Privileges, directory: string | null) {
  if (c === null || c.spawner instanceof Error) return null;
  if (privileges.kind === 'drop' || (directory !== null && !c.spawner.chdir)) return null;
  return { c, spawner: c.spawner };
}

/** A start made ready: its pipes open, what to run worked out; `run` spawns it, `finish` hands it over. */
interface Prepared {
  /** Spawns synchronously, or null when this start may go to another thread. */
  later: ((done: (a: Attempt, waited: number) => void) => void) | null;
  run(): Attempt;
  /** The handle, or a SpawnError when neither the program nor the stand-in started. */
  finish(attempt: Attempt, startedAt?: number): ChildHandle;
  /** The daemon's clock (spec.now). */
  now: () => number;
}

function prepare(spec: ChildSpec): Prepared {
  sealInheritedFds();
  const now = spec.now ?? Date.now;
  // supervisor's laststart: taken before the fork (one on the pool takes its own: startChildLater).
  const startedAt = now();
  const directory = spec.directory ?? null;
  const request = { filename: spec.filename, argv: spec.argv, directory };
  const privileges = privilegesFor(spec.uid ?? null);
  const c = nativeLibc();
  const native = spawnerFor(c, privileges, directory);
  const ignorePipeSignals = spec.ignorePipeSignals ?? false;
  // The child's own order of failures: setuid, chdir, execve. posix_spawn reports the
  // last two itself; for Node's spawn, they are checked first.
  let failure = privileges.kind === 'fail'
    ? `couldn't setuid to ${spec.uid}: ${privileges.message}`
    : native ? null : chdirFailure(directory) ?? noexecFailure(request);
  const launch = planLaunch({
    ...request,
    user: privileges.kind === 'drop' ? privileges.user : null,
    deathSignal: spec.deathSignal ?? null,
    // posix_spawn keeps them ignored itself; Node's spawn needs env(1)
    ignorePipeSignals: ignorePipeSignals && native === null,
  });

  const pipes = openPipes(spec.name, spec.redirectStderr ?? false, c);
  const closeAll = (ends: number[]) => { for (const fd of ends) { try { closeSync(fd); } catch { /* already closed */ } } };
  let notify: Notify = null;
  if (spec.notifyFd) {
    try {
      notify = { fd: spec.notifyFd, pipe: makePipe(c) };
    } catch (e) {
      closeAll([pipes.stdin, pipes.stdout, ...(pipes.stderr ? [pipes.stderr] : [])].flatMap((p) => [p.read, p.write]));
      throw new SpawnError('NoResources', `unknown error making the notification pipe for '${spec.name}': ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
  }
  const childEnds = [pipes.stdin.read, pipes.stdout.write, ...(pipes.stderr ? [pipes.stderr.write] : []), ...(notify ? [notify.pipe.write] : [])];
  const parentEnds = [pipes.stdin.write, pipes.stdout.read, ...(pipes.stderr ? [pipes.stderr.read] : []), ...(notify ? [notify.pipe.read] : [])];
  const stdio: (number | undefined)[] = [pipes.stdin.read, pipes.stdout.write, pipes.stderr?.write ?? pipes.stdout.write];
  const fds = [...stdio];
  if (notify) fds[notify.fd] = notify.pipe.write;

  const run = (l: Launch, env: Readonly<Record<string, string>>, cwd: string | null, umask: number | null, fds: ChildStdio): Attempt => {
    // Node has no per-child umask, nor posix_spawn: the child copies the daemon's at the clone.
    const previous = umask === null ? null : process.umask(umask);
    try {
      return native ? nativeSpawn(native.c, native.spawner, l, fds, env, cwd, ignorePipeSignals) : nodeSpawn(l, fds, env, cwd);
    } finally {
      if (previous !== null) process.umask(previous);
    }
  };
  const umask = spec.umask ?? null;
  // Another thread may spawn unless something process-wide is set around the spawn (the
  // umask) or the spawning thread matters (a death signal is tied to it, prctl(2)).
  const later = native && failure === null && umask === null && spec.deathSignal == null
    ? (done: (a: Attempt, waited: number) => void) => nativeSpawnLater(native.c, native.spawner, launch, fds, spec.env, directory, ignorePipeSignals, done)
    : null;
  return {
    later,
    now,
    run: () => (failure === null ? run(launch, spec.env, directory, umask, fds) : { code: undefined }),
    finish(attempt, at = startedAt) {
      if (!('pid' in attempt)) {
        failure ??= spawnFailure(request, attempt.code);
        attempt = run(standIn(failure), {}, null, null, stdio);
      }
      closeAll(childEnds);
      if (!('pid' in attempt)) {
        closeAll(parentEnds);
        throw new SpawnError('NoResources', `Too many processes in process table to spawn '${spec.name}'`);
      }
      return new Child(
        attempt,
        at,
        pipes.stdin.write,
        new PipeReader(pipes.stdout.read),
        pipes.stderr ? new PipeReader(pipes.stderr.read) : null,
        notify ? new PipeReader(notify.pipe.read) : null,
        failure === null ? null : `supervisor: ${failure}`,
        now,
      );
    },
  };
}

/** Starts one child; throws SpawnError only when supervisor would have forked nothing. */
export function startChild(spec: ChildSpec): ChildHandle {
  const p = prepare(spec);
  return p.finish(p.run());
}

/**
 * startChild with the posix_spawn on a thread of libuv's pool where it may be
 * (Spawner.spawnLater), so that an autostart of many programs spawns while the daemon
 * makes the next ones ready. Throws a SpawnError, as startChild, for what fails before
 * the spawn; `done` gets the handle or what startChild would have thrown, in call order,
 * from the event loop, or before this returns where the spawn cannot go to another thread.
 */
export function startChildLater(spec: ChildSpec, done: (h: ChildHandle | Error) => void): void {
  const p = prepare(spec);
  const finish = (a: Attempt, startedAt?: number) => {
    let h: ChildHandle | Error;
    try {
      h = p.finish(a, startedAt);
    } catch (e) {
      h = e instanceof Error ? e : new Error(String(e));
    }
    done(h);
  };
  // A spawn from the pool may come back long after prepare() (many queued at start-up):
  // its laststart is when it was handed to the pool, as supervisor's is just before its fork.
  if (p.later) p.later((a, waited) => finish(a, p.now() - waited));
  else finish(p.run());
}
