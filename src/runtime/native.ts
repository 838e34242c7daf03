// The daemon's one home for libc calls Node does not offer, through koffi (an FFI with
// prebuilt binaries for the usual platforms and no dependencies). Each binding is declared
// here once, with its C prototype, and loaded on first use; where koffi or libc cannot be
// loaded (an unusual platform, a libc other than glibc's soname) `libc()` returns the
// reason, and each caller keeps working without the call and says what it gave up.
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import type * as Koffi from 'koffi';
import { bindSpawn, SPAWNS_IN_FLIGHT, type Spawner } from './posix-spawn.ts';

/** <sys/prctl.h> */
const PR_SET_CHILD_SUBREAPER = 36;
/** <sys/wait.h> */
const WNOHANG = 1;
const WEXITED = 4;
const WNOWAIT = 0x01000000;
const P_ALL = 0;
const SIGINFO_SIZE = 128;
/** <fcntl.h> */
const O_CLOEXEC = 0o2000000;
/** <unistd.h> */
const SC_CLK_TCK = 2;
const SC_PAGESIZE = 30;
/** <errno.h> */
const ECHILD = 10;
const EINTR = 4;

export interface Libc {
  /** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to us, not to init. */
  setChildSubreaper(on: boolean): void;
  /**
   * waitpid(pid, WNOHANG): the wait status once `pid` is reaped; null while it runs or
   * when it is no child of ours (ECHILD). Never call it for a pid libuv spawned: that
   * exit status belongs to Node's ChildProcess.
   */
  reap(pid: number): number | null;
  /**
   * waitid(P_ALL, WEXITED | WNOHANG | WNOWAIT): the pid of a child (any child) that has
   * ended and waits to be reaped, left waitable; 0 when none does.
   */
  waitable(): number;
  /** pipe2(O_CLOEXEC): a pipe, both ends blocking. Throws an ErrnoError (EMFILE…). */
  pipe(): { read: number; write: number };
  /** posix_spawn(3) and its attributes, or why this libc lacks them. */
  readonly spawner: Spawner | Error;
  /** sysconf(): clock ticks per second and the page size, which /proc's counts are in. */
  readonly clockTicks: number;
  readonly pageSize: number;
  /** malloc_trim(0): glibc hands the free memory of its heaps back to the kernel. */
  mallocTrim(): void;
  /**
   * read(2) into `buf` from a non-blocking fd: the bytes read, 0 at end of file, -1 when
   * nothing is there yet (EAGAIN) or on any error, without the exception fs.readSync makes.
   */
  readNow(fd: number, buf: Buffer): number;
  /** sched_yield(2): another task runnable on this CPU runs first. */
  yieldCpu(): void;
  /** dup2(fd, to), then close(to): the fd table holds `to` from then on. false if dup2 failed (past RLIMIT_NOFILE). */
  touchFd(fd: number, to: number): boolean;
}

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

/** errno's name (ENOENT), or the number as text for one Node does not name. */
export const errnoName = (errno: number): string => ERRNO_NAMES.get(errno) ?? String(errno);

/** A failed call, with `code` set as Node's own fs errors have it. */
export class ErrnoError extends Error {
  readonly code: string;
  constructor(call: string, readonly errno: number) {
    super(`${call} failed: ${errnoName(errno)}`);
    this.code = errnoName(errno);
  }
}

function bind(koffi: typeof Koffi): Libc {
  // posix_spawn runs on libuv's pool (Spawner.spawnLater), up to SPAWNS_IN_FLIGHT calls at
  // a time. koffi keeps 32 argument blocks (its most), so a respawn allocates none; the
  // calls of a large autostart beyond those get a block each, mapped and unmapped. Its
  // max_async_calls also counts the call whose callback is running (the next is made
  // there): a margin above ours keeps it from refusing.
  koffi.config({ ...koffi.config(), resident_async_pools: 32, max_async_calls: SPAWNS_IN_FLIGHT + 64 });
  const lib = koffi.load(process.platform === 'linux' ? 'libc.so.6' : 'libc.dylib');
  const prctl = lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)');
  const waitpid = lib.func('int waitpid(int pid, void *status, int options)');
  const waitid = lib.func('int waitid(int idtype, int id, void *info, int options)');
  const pipe2 = lib.func('int pipe2(void *fds, int flags)');
  const dup2 = lib.func('int dup2(int fd, int to)');
  const close = lib.func('int close(int fd)');
  const sysconf = lib.func('long sysconf(int name)');
  // glibc's own; elsewhere there is nothing to trim through it
  const mallocTrim = process.platform === 'linux' ? lib.func('int malloc_trim(size_t pad)') : null;
  const read = lib.func('long read(int fd, void *buf, size_t count)');
  const schedYield = lib.func('int sched_yield(void)');
  const info = Buffer.alloc(SIGINFO_SIZE);
  // siginfo_t's si_pid: after si_signo, si_errno, si_code and the union's alignment (a pointer's)
  const SI_PID_OFFSET = koffi.sizeof('void *') === 8 ? 16 : 12;
  const fds = Buffer.alloc(8);
  // waitpid's status: a buffer kept for every call, not an _Out_ array koffi converts back each time
  const status = Buffer.alloc(4);
  let spawner: Spawner | Error;
  try {
    spawner = bindSpawn(lib);
  } catch (e) {
    spawner = e instanceof Error ? e : new Error(String(e));
  }
  return {
    clockTicks: Number(sysconf(SC_CLK_TCK)),
    pageSize: Number(sysconf(SC_PAGESIZE)),
    spawner,
    setChildSubreaper(on) {
      if (prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) !== 0) throw new ErrnoError('prctl(PR_SET_CHILD_SUBREAPER)', koffi.errno());
    },
    reap(pid) {
      for (;;) {
        const got = waitpid(pid, status, WNOHANG) as number;
        if (got === pid) return status.readInt32LE(0);
        if (got === 0) return null;
        const errno = koffi.errno();
        if (errno === ECHILD) return null;
        if (errno !== EINTR) throw new ErrnoError(`waitpid(${pid})`, errno);
      }
    },
    waitable() {
      for (;;) {
        // waitid(2): zero si_pid to tell "none waiting" from a child, under WNOHANG
        info.writeInt32LE(0, SI_PID_OFFSET);
        if ((waitid(P_ALL, 0, info, WEXITED | WNOHANG | WNOWAIT) as number) === 0) return info.readInt32LE(SI_PID_OFFSET);
        const errno = koffi.errno();
        if (errno === ECHILD) return 0;
        if (errno !== EINTR) throw new ErrnoError('waitid', errno);
      }
    },
    pipe() {
      if ((pipe2(fds, O_CLOEXEC) as number) !== 0) throw new ErrnoError('pipe2', koffi.errno());
      return { read: fds.readInt32LE(0), write: fds.readInt32LE(4) };
    },
    mallocTrim() {
      mallocTrim?.(0);
    },
    readNow: (fd, buf) => Number(read(fd, buf, buf.length)),
    yieldCpu() {
      schedYield();
    },
    touchFd(fd, to) {
      if ((dup2(fd, to) as number) !== to) return false;
      close(to);
      return true;
    },
  };
}

let loaded: Libc | Error | null = null;

/** The bindings, or why they cannot be had on this machine. */
export function libc(): Libc | Error {
  if (loaded) return loaded;
  try {
    // koffi loads its native part when required: a failure must be an answer, not a crash
    loaded = bind(createRequire(import.meta.url)('koffi') as typeof Koffi);
  } catch (e) {
    loaded = e instanceof Error ? e : new Error(String(e));
  }
  return loaded;
}
