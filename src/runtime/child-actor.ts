// The `child` actor the process machine invokes (machines/process-types.ts): it opens the
// process's logs, spawns the program with the runtime, reports SPAWNED / SPAWN_ERROR /
// EXITED, and carries KILL requests to the process or its group.
import type { Writable } from 'node:stream';
import { fromCallback } from 'xstate';
import type { ChildInput, ChildReport, ChildRequest } from '../../machines/process-types.ts';
import { nodeSignal } from '../config/extensions.ts';
import type { ProcessConfig } from '../config/types.ts';
import type { ReadySignals } from './checks/signals.ts';
import { startChildLater, type ChildExit, type ChildHandle } from './child.ts';
import { resolveArgv, splitCommand } from './command.ts';
import { childEnvironment, type DaemonContext } from './environment.ts';
import { SpawnError } from './errors.ts';
import type { OutputSource } from './pipe-reader.ts';
import { stackOf } from '../util/stack.ts';
import { monoEpochMs } from '../util/clock.ts';

/** The daemon's ends of one spawn's pipes. */
export interface ChildPipes {
  pid: number;
  /** Made at the first read of it (a Socket a program, which most never write to). */
  readonly stdin: Writable;
  /** The fd under `stdin` once that is made and while it is open, else -1. */
  readonly stdinFd: number;
  /** Resolves once the child is reaped (its stdin closed with it). */
  readonly exited: Promise<unknown>;
  stdout: OutputSource;
  /** null when stderr is redirected into stdout. */
  stderr: OutputSource | null;
}

/** A spawn's pipes for its consumers; stdin stays unmade until one reads it. */
const pipesOf = (h: ChildHandle): ChildPipes => ({
  pid: h.pid,
  get stdin() { return h.stdin; },
  get stdinFd() { return h.stdinFd; },
  exited: h.exited,
  stdout: h.output.stdout,
  stderr: h.output.stderr,
});

/** A spawn's opened output sinks. */
export interface Attach {
  /**
   * Take the child's pipes: read its output to the end, keep its stdin for writers.
   * Resolves once every byte read has reached its consumers and the log files are closed.
   */
  attach(pipes: ChildPipes): Promise<void>;
  /** The spawn did not happen: close what was opened. */
  abandon(): void;
}

/** Where children's output goes: opened before each fork, as supervisor's make_dispatchers. */
export interface ChildIO {
  /** Throws (an errno error) when a log file cannot be opened. */
  open(group: string, config: ProcessConfig): Attach;
}

export interface ChildActorOptions {
  daemon: DaemonContext;
  io: ChildIO;
  /** Where log: and fd: ready checks are signalled. */
  ready?: ReadySignals;
  now?: () => number;
  /** Sees each child's exit before its machine does (exit_on wants the status itself). */
  onExit?: (group: string, name: string, exit: ChildExit) => void;
  /**
   * Runs the EXITED report, whose step may spawn the next child (autorestart): the daemon
   * handles the step's emitted events once it returns (daemon/emit-gate.ts).
   */
  exitStep?: (step: () => void) => void;
  /** A spawn was submitted (daemon/emit-gate.ts: an exit step's events may wait for it). */
  spawnStarted?: () => void;
  /**
   * Monotonic ms for the reports' `mono`. By default monotonic ms from the wall
   * clock's reading at the daemon's start, so a group's restart times still read as
   * times of day (the web page shows them) while a later clock step cannot move them.
   */
  mono?: () => number;
  /** An unexpected exception, with its stack: the main log at CRIT. */
  crit?: (message: string) => void;
}


/** supervisor's spawnerr when make_dispatchers fails. */
function dispatcherError(name: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  return code === 'EMFILE' ? `too many open files to spawn '${name}'` : `unknown error making dispatchers for '${name}': ${code}`;
}

/** death_signal: the signal the child gets when the daemon dies (setpriv --pdeathsig). */
const deathSignal = (config: ProcessConfig): NodeJS.Signals | null => {
  const num = config.statevisor.death_signal;
  return num === null ? null : nodeSignal(num);
};

export function childActor(o: ChildActorOptions) {
  const now = o.now ?? Date.now;
  // A config's command split, made at its first spawn and kept per config object (a
  // reload replaces the object). The environment is made again at each spawn: kept, it
  // would hold a copy of the daemon's environment per program (about 6 MB at 1,000).
  const argvs = new WeakMap<ProcessConfig, readonly string[]>();
  const argvOf = (config: ProcessConfig): readonly string[] => {
    let argv = argvs.get(config);
    if (!argv) argvs.set(config, (argv = splitCommand(config.command)));
    return argv;
  };
  const mono = o.mono ?? monoEpochMs;
  const exitStep = o.exitStep ?? ((step: () => void) => step());
  return fromCallback<ChildRequest, ChildInput, ChildReport>(({ input, sendBack, receive }) => {
    const { config, group } = input;
    const readyCheck = config.statevisor.ready_check;
    let handle: ChildHandle | null = null;
    let stopped = false;
    const report = (r: ChildReport) => {
      if (!stopped) sendBack(r);
    };

    const failed = (sinks: Attach, e: unknown) => {
      sinks.abandon();
      // A bug of ours, not the program's: logged, and the start fails as a spawn error does.
      if (!(e instanceof SpawnError)) o.crit?.(`uncaptured exception spawning ${config.name}: ${stackOf(e)}`);
      const message = e instanceof SpawnError ? e.message : `uncaptured exception: ${String(e)}`;
      report({ type: 'SPAWN_ERROR', message, at: now(), mono: mono() });
    };
    const started = (sinks: Attach, h: ChildHandle): void => {
      handle = h;
      let logged: Promise<void> = Promise.resolve();
      try {
        if (h.notify) o.ready?.notifyPipe(group, config.name, h.notify);
        logged = sinks.attach(pipesOf(h));
      } catch (e) {
        // The child runs: supervise it even if its output cannot be taken.
        o.crit?.(`uncaptured exception attaching the output of ${config.name}: ${stackOf(e)}`);
      }
      // laststart is h.startedAt (before the spawn); startsecs has been running since.
      report({ type: 'SPAWNED', pid: h.pid, at: h.startedAt, mono: mono(), age: Math.max(0, now() - h.startedAt) });
      // supervisor's finish() drains the pipes and logs what they held before it changes
      // state: the exit is told once the output (its PROCESS_LOG events, the main-log copy)
      // is all through and this spawn's log files are closed, so the next spawn never
      // shares a file with this one. Its times are the reap's.
      void h.exited.then((exit) => {
        const reapedAt = mono();
        const drained = logged.catch((e: unknown) => o.crit?.(`uncaptured exception logging the output of ${config.name}: ${stackOf(e)}`));
        return drained.then(() => {
          o.onExit?.(group, config.name, exit);
          exitStep(() => report({ type: 'EXITED', code: exit.code, signal: exit.signo, core: exit.core, at: exit.at, mono: reapedAt }));
        });
      });
    };
    // SPAWNED may come after this start returns (the spawn runs on another thread): the
    // machine holds a STOP until then and sends no KILL before it (process-types.ts).
    const spawn = (sinks: Attach): void => {
      try {
        const { filename, argv } = resolveArgv(argvOf(config), config.environment, o.daemon.env.PATH);
        const env = childEnvironment(config, group, o.daemon);
        let back = false;
        startChildLater({
          name: config.name, filename, argv, env,
          directory: config.directory, umask: config.umask, uid: config.uid,
          redirectStderr: config.redirect_stderr, deathSignal: deathSignal(config), now,
          notifyFd: readyCheck?.kind === 'fd' ? readyCheck.fd : null,
        }, (h) => {
          back = true;
          if (h instanceof Error) failed(sinks, h);
          else started(sinks, h);
        });
        // On another thread: the spawn is under way (a spawn on this one is back already).
        if (!back) o.spawnStarted?.();
      } catch (e) {
        failed(sinks, e);
      }
    };

    let sinks: Attach | null = null;
    if (readyCheck) o.ready?.reset(group, config.name);
    try {
      sinks = o.io.open(group, config);
    } catch (e) {
      report({ type: 'SPAWN_ERROR', message: dispatcherError(config.name, e), at: now(), mono: mono() });
    }
    if (sinks) spawn(sinks);
    receive((request) => {
      const failure = handle?.signal(request.signal, request.group) ?? null;
      // ESRCH: the child is exiting; its EXITED is on the way (supervisor ignores it too).
      if (failure && failure.code !== 'ESRCH') report({ type: 'KILL_FAILED', message: failure.message });
    });
    return () => {
      stopped = true;
    };
  });
}
