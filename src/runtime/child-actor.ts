// The `child` actor the process machine invokes (machines/process-types.ts): it spawns the
// program with the runtime, reports SPAWNED / SPAWN_ERROR / EXITED, and carries KILL
// requests to the process or its group. Output goes to the sinks the daemon gives it.
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fromCallback } from 'xstate';
import type { ChildInput, ChildReport, ChildRequest } from '../../machines/process-types.ts';
import { SIGNALS_BY_NAME } from '../states.ts';
import { startChild, type ChildHandle } from './child.ts';
import { resolveCommand } from './command.ts';
import { childEnvironment, type DaemonContext } from './environment.ts';
import { SpawnError } from './errors.ts';

/** What the daemon does with a running child's pipes. */
export interface ChildIO {
  /** Start reading the child's output (stderr null when redirected into stdout). */
  attach(group: string, name: string, stdout: Readable, stderr: Readable | null, stdin: Writable): void;
  /** The child is gone: release what attach() took. */
  detach(group: string, name: string): void;
}

export interface ChildActorOptions {
  daemon: DaemonContext;
  io: ChildIO;
  now?: () => number;
  /** Signal children get when the daemon dies (setpriv --pdeathsig); null for none. */
  deathSignal?: NodeJS.Signals | null;
}

/** Live children, so the daemon can tell who is still running when it must leave. */
export const liveChildren = new Set<ChildHandle>();

export function childActor(o: ChildActorOptions) {
  const now = o.now ?? Date.now;
  return fromCallback<ChildRequest, ChildInput, ChildReport>(({ input, sendBack, receive }) => {
    const { config, group } = input;
    let handle: ChildHandle;
    try {
      const { filename, argv } = resolveCommand(config.command, config.environment, o.daemon.env.PATH);
      handle = startChild({
        name: config.name, filename, argv,
        env: childEnvironment(config, group, o.daemon),
        directory: config.directory, umask: config.umask, uid: config.uid,
        redirectStderr: config.redirect_stderr, deathSignal: o.deathSignal ?? null, now,
      });
    } catch (e) {
      if (!(e instanceof SpawnError)) throw e;
      sendBack({ type: 'SPAWN_ERROR', message: e.message, at: now() });
      return undefined;
    }
    liveChildren.add(handle);
    // The daemon's ends of the pipes close once the child side has closed them all.
    void Promise.all([handle.stdout, handle.stderr].map((s) => (s ? finished(s).catch(() => undefined) : undefined))).then(() => handle.close());
    o.io.attach(group, config.name, handle.stdout, handle.stderr, handle.stdin);
    sendBack({ type: 'SPAWNED', pid: handle.pid, at: handle.startedAt });
    let live = true;
    void handle.exited.then((exit) => {
      liveChildren.delete(handle);
      if (!live) return;
      live = false;
      const signal = exit.signal === null ? null : (SIGNALS_BY_NAME[exit.signal] ?? null);
      sendBack({ type: 'EXITED', code: exit.code, signal, at: exit.at });
    });
    receive((request) => {
      const failure = handle.signal(request.signal, request.group);
      // ESRCH: the child is exiting; its EXITED is on the way (supervisor ignores it too).
      if (failure && failure.code !== 'ESRCH') sendBack({ type: 'KILL_FAILED', message: failure.message });
    });
    return () => {
      live = false;
      o.io.detach(group, config.name);
    };
  });
}
