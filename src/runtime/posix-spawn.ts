// posix_spawn(3) through koffi: how the daemon starts a child without fork(). libuv forks,
// and fork copies the page tables of the whole daemon (about 3 ms at 100 MB, growing with
// its RSS); glibc's posix_spawn is a clone(CLONE_VM | CLONE_VFORK) on a small stack, whose
// cost does not depend on the parent's size. The child then does what supervisor's child
// does between fork and execve (process.py, Subprocess._spawn_as_child), in glibc's order:
// setsid, signal mask and dispositions, the file actions (dup2 of its pipes, chdir), execve.
// A failure of any of those comes back as posix_spawn's return value, the child already
// reaped by glibc; which step failed is for the caller to work out (child-native.ts).
import type { LibraryHandle } from 'koffi';
import { monoMs } from '../util/clock.ts';

type KoffiFunction = ReturnType<LibraryHandle['func']>;

/** <spawn.h> (glibc) */
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;
const SIGPIPE = 13;
const SIGXFSZ = 25;
// glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128 on
// 64-bit Linux; the buffers leave room to spare.
const FILE_ACTIONS_BYTES = 256;
const ATTR_BYTES = 1024;
const SIGSET_BYTES = 128;

export interface SpawnRequest {
  /** The path to execve (no PATH search). */
  file: string;
  /** argv[0] included. */
  argv: readonly string[];
  /** NAME=value strings. */
  env: readonly string[];
  /** fds[i] (one of ours) becomes fd i of the child; a hole leaves fd i closed. */
  fds: readonly (number | undefined)[];
  /** chdir there before execve (needs `Spawner.chdir`). */
  cwd: string | null;
  /** SIGPIPE and SIGXFSZ keep the daemon's disposition (Node ignores both) instead of default. */
  ignorePipeSignals: boolean;
}

/** The child's pid, or the errno of the step that failed (no child is left). */
export type SpawnResult = { pid: number } | { errno: number };

export interface Spawner {
  /** posix_spawn_file_actions_addchdir_np exists (glibc 2.29). */
  readonly chdir: boolean;
  spawn(r: SpawnRequest): SpawnResult;
  /**
   * The same posix_spawn on a thread of libuv's pool, so the daemon's thread goes on while
   * the kernel clones and the child execs (the caller waits for that, a millisecond or
   * more each). Results come back in call order, from the event loop, whatever order the
   * threads finish in, each with `waited`: the ms since the call was handed to the pool,
   * where supervisor's laststart would be (just before its fork). The request's fds must
   * stay open until then.
   */
  spawnLater(r: SpawnRequest, done: (result: SpawnResult, waited: number) => void): void;
}

/**
 * spawnLater calls handed to libuv's pool at a time; the others wait their turn here. An
 * autostart sweep gets this many spawned while it runs (no result can come back before
 * it ends); each one back hands the pool the next before its result is handed out. More
 * start a large autostart sooner and leave the daemon bigger: 1,000 programs went RUNNING
 * in 2.6-2.7 s with 128, 2.4-2.5 s with 256, 2.0-2.2 s with 512, and 5 s later it held
 * 79.0, 80.8 and 81.5 MB of RSS (bench/README.md). koffi counts these calls against its
 * max_async_calls, set above this in native.ts.
 */
export const SPAWNS_IN_FLIGHT = 128;

/**
 * Results handed out per turn of the event loop while spawns wait for the pool: each
 * result costs the daemon a millisecond or so (its pipes' readers, the SPAWNED step, the
 * `spawned:` line), and the pool's finished calls, each of which hands it a waiting
 * spawn, are read only between turns. With none waiting, all go out at once.
 */
const RESULTS_PER_TURN = 8;

/** One spawnLater call, kept in call order until its result and all before it are out. */
interface Slot {
  request: SpawnRequest;
  done: (result: SpawnResult, waited: number) => void;
  result: SpawnResult | null;
  /** monoMs() when the call went to the pool (or failed before it). */
  handed: number;
}

export function bindSpawn(lib: LibraryHandle): Spawner {
  if (process.platform !== 'linux') throw new Error(`posix_spawn's flags here are glibc's, not ${process.platform}'s`);
  const posixSpawn = lib.func('int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)');
  const actionsInit = lib.func('int posix_spawn_file_actions_init(void *actions)');
  const actionsDestroy = lib.func('int posix_spawn_file_actions_destroy(void *actions)');
  const addDup2 = lib.func('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)');
  let addChdir: KoffiFunction | null = null;
  try {
    addChdir = lib.func('int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)');
  } catch {
    // an older glibc: a program with directory= is started the other way (child.ts)
  }
  const attrInit = lib.func('int posix_spawnattr_init(void *attr)');
  const setFlags = lib.func('int posix_spawnattr_setflags(void *attr, short flags)');
  const setSigmask = lib.func('int posix_spawnattr_setsigmask(void *attr, void *set)');
  const setSigdefault = lib.func('int posix_spawnattr_setsigdefault(void *attr, void *set)');
  const sigemptyset = lib.func('int sigemptyset(void *set)');
  const sigdelset = lib.func('int sigdelset(void *set, int signum)');

  /**
   * A new session (supervisor's setpgrp, and what Node's detached gives), no signal
   * blocked, every signal at its default (as libuv and a fresh execve of supervisor's
   * child, whose Python handlers execve resets) except, when asked, the two Python ignores.
   */
  const attributes = (keepIgnored: readonly number[]): Buffer => {
    const attr = Buffer.alloc(ATTR_BYTES);
    const mask = Buffer.alloc(SIGSET_BYTES);
    const defaults = Buffer.alloc(SIGSET_BYTES);
    sigemptyset(mask);
    // Every bit set, where sigfillset leaves out glibc's own signals 32 and 33: left out,
    // posix_spawn hands them to the program ignored (its handlers cannot survive the exec).
    defaults.fill(0xff);
    for (const sig of keepIgnored) sigdelset(defaults, sig);
    if (attrInit(attr) !== 0 || setFlags(attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) !== 0
      || setSigmask(attr, mask) !== 0 || setSigdefault(attr, defaults) !== 0) throw new Error('posix_spawnattr_* failed');
    return attr;
  };
  // Read-only once made (posix_spawn takes a const pointer): made once, kept for good.
  const plain = attributes([]);
  const pipeSignalsIgnored = attributes([SIGPIPE, SIGXFSZ]);
  const actions = Buffer.alloc(FILE_ACTIONS_BYTES);
  const pid = [0];

  /**
   * Each source is one of our close-on-exec fds, none below 3: a dup2 never overwrites a
   * source still to be used, and the sources close at execve. 0 or an errno; on 0 the
   * actions must be destroyed after the spawn.
   */
  const fileActions = (into: Buffer, r: SpawnRequest): number => {
    let rc = actionsInit(into) as number;
    if (rc !== 0) return rc;
    for (let fd = 0; fd < r.fds.length && rc === 0; fd++) {
      const from = r.fds[fd];
      if (from !== undefined) rc = addDup2(into, from, fd) as number;
    }
    if (rc === 0 && r.cwd !== null) rc = addChdir ? (addChdir(into, r.cwd) as number) : 38; // ENOSYS
    if (rc !== 0) actionsDestroy(into);
    return rc;
  };
  const args = (r: SpawnRequest) => [
    r.file, [...r.argv, null], [...r.env, null], r.ignorePipeSignals ? pipeSignalsIgnored : plain,
  ] as const;
  const spawn = (r: SpawnRequest): SpawnResult => {
    const rc = fileActions(actions, r);
    if (rc !== 0) return { errno: rc };
    try {
      const [file, argv, env, attr] = args(r);
      const spawned = posixSpawn(pid, file, actions, attr, argv, env) as number;
      return spawned === 0 ? { pid: pid[0] } : { errno: spawned };
    } finally {
      actionsDestroy(actions);
    }
  };

  const order: Slot[] = [];
  const backlog: Slot[] = [];
  let inFlight = 0;
  let turnBooked = false;
  /** Hand the in-order results out: all of them, or a turn's worth while spawns wait (see RESULTS_PER_TURN). */
  const deliver = () => {
    turnBooked = false;
    let budget = backlog.length > 0 ? RESULTS_PER_TURN : Infinity;
    while (order.length > 0 && order[0].result !== null && budget-- > 0) {
      const next = order.shift()!;
      try {
        next.done(next.result!, monoMs() - next.handed);
      } catch (e) {
        // the later ones still go out; the error goes where an uncaught one does
        queueMicrotask(() => { throw e; });
      }
    }
    if (order.length > 0 && order[0].result !== null && !turnBooked) {
      turnBooked = true;
      setImmediate(deliver);
    }
  };
  const settle = (slot: Slot, result: SpawnResult) => {
    slot.result = result;
    if (!turnBooked) deliver();
  };
  const submit = () => {
    while (inFlight < SPAWNS_IN_FLIGHT && backlog.length > 0) {
      const slot = backlog.shift()!;
      slot.handed = monoMs();
      // Its own actions and pid: the thread fills them while the next call is made here.
      const own = Buffer.alloc(FILE_ACTIONS_BYTES);
      const rc = fileActions(own, slot.request);
      if (rc !== 0) {
        settle(slot, { errno: rc });
        continue;
      }
      const out = [0];
      const [file, argv, env, attr] = args(slot.request);
      inFlight++;
      posixSpawn.async(out, file, own, attr, argv, env, (err: unknown, spawned: number) => {
        inFlight--;
        actionsDestroy(own);
        // The next spawn goes to the pool before this one's result is handed out.
        submit();
        // koffi could not make the call (its argument block too small for a huge
        // environment): make it here instead.
        settle(slot, err ? spawn(slot.request) : spawned === 0 ? { pid: out[0] } : { errno: spawned });
      });
    }
  };

  return {
    chdir: addChdir !== null,
    spawn,
    spawnLater(request, done) {
      const slot: Slot = { request, done, result: null, handed: 0 };
      order.push(slot);
      backlog.push(slot);
      submit();
    },
  };
}
