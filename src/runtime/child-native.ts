// The usual way to start a child: posix_spawn (posix-spawn.ts), reaped by reaper.ts. What
// it changes against Node's spawn (child-node.ts): a spawn costs the same whatever the
// daemon's size; SIGPIPE and SIGXFSZ stay ignored without an env(1) exec when asked; a
// failed chdir or execve comes back with its errno, as supervisor's child knew it; and the
// wait status is the kernel's, core-dump bit and signals 32-64 included.
import { constants } from 'node:os';
import type { Attempt, ChildStdio, RawExit } from './child.ts';
import type { Launch } from './launch.ts';
import type { Libc } from './native.ts';
import { errnoName } from './native.ts';
import type { SpawnRequest, SpawnResult, Spawner } from './posix-spawn.ts';
import { prepareReaping, reapIfExited, spawnPending, watchChild } from './reaper.ts';

/** Node's names for signal numbers, as its ChildProcess 'exit' gives them (SIGABRT, SIGIO). */
const NODE_SIGNAL_NAMES = new Map<number, NodeJS.Signals>();
for (const [name, num] of Object.entries(constants.signals) as [NodeJS.Signals, number][]) {
  if (!NODE_SIGNAL_NAMES.has(num)) NODE_SIGNAL_NAMES.set(num, name);
}

/** A wait status (waitpid(2)) as ChildExit has it. */
export function decodeWaitStatus(status: number): RawExit {
  const sig = status & 0x7f;
  if (sig === 0) return { code: (status >> 8) & 0xff, signal: null, signo: null, core: false };
  // 0x7f is a stopped child, which waitpid without WUNTRACED never reports
  if (sig === 0x7f) return { code: null, signal: null, signo: null, core: false };
  return { code: null, signal: NODE_SIGNAL_NAMES.get(sig) ?? null, signo: sig, core: (status & 0x80) !== 0 };
}

/** The environment as execve takes it. */
const envp = (env: Readonly<Record<string, string>>): string[] => Object.entries(env).map(([k, v]) => `${k}=${v}`);

/** A spawn's result as an Attempt: the child watched from the moment it exists, so an exit is never lost. */
function attempt(c: Libc, r: SpawnResult): Attempt {
  if ('errno' in r) return { code: errnoName(r.errno) };
  let heard: ((exit: RawExit) => void) | null = null;
  let early: RawExit | null = null;
  watchChild(c, r.pid, (status) => {
    const exit = decodeWaitStatus(status);
    if (heard) heard(exit);
    else early = exit;
  });
  return {
    pid: r.pid,
    ended: () => reapIfExited(c, r.pid),
    onExit(cb) {
      // Gone before its spawn came back (spawnLater): told once the caller has taken its
      // pipes, as an exit that comes later would be.
      const exit = early;
      if (exit) queueMicrotask(() => cb(exit));
      else heard = cb;
    },
  };
}

const request = (launch: Launch, stdio: ChildStdio, env: Readonly<Record<string, string>>, cwd: string | null, ignorePipeSignals: boolean): SpawnRequest =>
  ({ file: launch.file, argv: [launch.argv0, ...launch.args], env: envp(env), fds: stdio, cwd, ignorePipeSignals });

/** One posix_spawn; on failure the errno's name. */
export function nativeSpawn(
  c: Libc, spawner: Spawner, launch: Launch, stdio: ChildStdio,
  env: Readonly<Record<string, string>>, cwd: string | null, ignorePipeSignals: boolean,
): Attempt {
  prepareReaping(c);
  return attempt(c, spawner.spawn(request(launch, stdio, env, cwd, ignorePipeSignals)));
}

/**
 * nativeSpawn on a thread of libuv's pool (Spawner.spawnLater): `done` hears of it in call
 * order, with the ms since it was handed to the pool.
 */
export function nativeSpawnLater(
  c: Libc, spawner: Spawner, launch: Launch, stdio: ChildStdio,
  env: Readonly<Record<string, string>>, cwd: string | null, ignorePipeSignals: boolean,
  done: (a: Attempt, waited: number) => void,
): void {
  const settled = spawnPending(c);
  spawner.spawnLater(request(launch, stdio, env, cwd, ignorePipeSignals), (r, waited) => {
    const a = attempt(c, r);
    settled('pid' in r ? r.pid : null);
    done(a, waited);
  });
}
