// The daemon's one home for libc calls Node does not offer, through koffi (an FFI with
// prebuilt binaries for the usual platforms and no dependencies). Each binding is declared
// here once, with its C prototype, and loaded on first use; where koffi or libc cannot be
// loaded (an unusual platform, a libc other than glibc's soname) `libc()` returns the
// reason, and each caller keeps working without the call and says what it gave up.
import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/** <sys/prctl.h> */
const PR_SET_CHILD_SUBREAPER = 36;
/** <sys/wait.h> */
const WNOHANG = 1;
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
  /** sysconf(): clock ticks per second and the page size, which /proc's counts are in. */
  readonly clockTicks: number;
  readonly pageSize: number;
}

class ErrnoError extends Error {
  constructor(call: string, readonly errno: number) {
    super(`${call} failed: errno ${errno}`);
  }
}

function bind(koffi: typeof Koffi): Libc {
  const lib = koffi.load(process.platform === 'linux' ? 'libc.so.6' : 'libc.dylib');
  const prctl = lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)');
  const waitpid = lib.func('int waitpid(int pid, _Out_ int *status, int options)');
  const sysconf = lib.func('long sysconf(int name)');
  return {
    clockTicks: Number(sysconf(SC_CLK_TCK)),
    pageSize: Number(sysconf(SC_PAGESIZE)),
    setChildSubreaper(on) {
      if (prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) !== 0) throw new ErrnoError('prctl(PR_SET_CHILD_SUBREAPER)', koffi.errno());
    },
    reap(pid) {
      const status = [0];
      for (;;) {
        const got = waitpid(pid, status, WNOHANG) as number;
        if (got === pid) return status[0];
        if (got === 0) return null;
        const errno = koffi.errno();
        if (errno === ECHILD) return null;
        if (errno !== EINTR) throw new ErrnoError(`waitpid(${pid})`, errno);
      }
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
