// The fallback way to start a child: Node's child_process.spawn (libuv's fork + execve),
// taken where posix_spawn is out of reach (koffi or glibc cannot be loaded, or
// STATEVISOR_SPAWN=node), and for what posix_spawn cannot do: `user=` (setuid and setgid
// in the child, and setgroups through setpriv, see launch.ts), and `directory=` on a glibc
// without posix_spawn_file_actions_addchdir_np. How it differs from supervisor: child.ts.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Attempt, ChildStdio, RawExit } from './child.ts';
import type { Launch } from './launch.ts';

const SIGNALS: Readonly<Record<string, number>> = constants.signals;

/**
 * One spawn; on failure the errno name Node threw at once (E2BIG, EAGAIN…), or undefined
 * for one it reports later (ENOENT, EACCES: a failed chdir or exec in the forked child).
 */
export function nodeSpawn(launch: Launch, stdio: ChildStdio, env: Readonly<Record<string, string>>, cwd: string | null): Attempt {
  const fds: (number | 'ignore')[] = [];
  for (let fd = 0; fd < stdio.length; fd++) fds.push(stdio[fd] ?? 'ignore');
  try {
    const child = spawn(launch.file, launch.args, {
      argv0: launch.argv0, env, stdio: fds, detached: true, uid: launch.uid, gid: launch.gid, cwd: cwd ?? undefined,
    });
    const pid = child.pid;
    if (pid === undefined) {
      // Node emits the ENOENT/EACCES on the next tick; unheard, it would be thrown.
      child.on('error', () => {});
      return { code: undefined };
    }
    return {
      pid,
      onExit(heard: (exit: RawExit) => void) {
        // Node drops the core-dump bit, and reports a death by signal 32-64 as exit 0.
        child.once('exit', (code, signal) => heard({ code, signal, signo: signal === null ? null : (SIGNALS[signal] ?? null), core: false }));
      },
    };
  } catch (e) {
    return { code: (e as NodeJS.ErrnoException).code };
  }
}
