// Reaping, in one place for every child libuv does not know:
// - the daemon's own programs, started with posix_spawn (child-native.ts): their exit
//   statuses come from here, decoded in full (the core-dump bit, signals 32-64);
// - orphans, as an init must reap them. As PID 1 (a container's entrypoint), or as a child
//   subreaper (prctl(PR_SET_CHILD_SUBREAPER)), the daemon inherits every descendant whose
//   parent dies first: `sh -c 'sleep 9 & exit 0'` leaves its sleep to us. supervisord
//   reaps them with waitpid(-1) and logs `reaped unknown pid N (exit status S)`
//   (supervisord.py, Supervisor.reap).
// Never waitpid(-1): libuv waitpid()s the pids it spawned (a fallback spawn, a check's
// exec) and a waitpid(-1) of ours would steal their exit statuses. So on each SIGCHLD we
// ask the kernel which child waits, without reaping it (waitid with WNOWAIT), and reap it
// only when it is ours or an orphan; a child of libuv's in front hides the others, and
// then each of ours is asked in turn. A child of ours whose output pipe reaches end of
// file has usually exited by then: it is reaped at once, by its pid (reapIfExited), and
// its SIGCHLD finds nothing left. A 1 s timer sweeps too, and lists our children
// (/proc/self/task/*/children) for orphans that a SIGCHLD merged with another left behind.
import { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { signame } from '../states.ts';
import { libc, type Libc } from './native.ts';
import { monoMs } from '../util/clock.ts';

/** Pids that Node's child_process spawned and libuv has not reaped yet. */
const spawnedByNode = new Set<number>();
let tracking = false;

/**
 * Every child_process spawn (spawn, exec, execFile, fork) goes through
 * ChildProcess.prototype.spawn; record its pid until its 'exit', which Node emits after
 * libuv has reaped it. Call before the first spawn. (spawnSync reaps its child before it
 * returns, while no JavaScript runs, so a scan can never see it.)
 */
export function trackNodeChildren(): void {
  if (tracking) return;
  tracking = true;
  const proto = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, ...args: unknown[]): unknown };
  const spawn = proto.spawn;
  proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
    const result = spawn.apply(this, args);
    const pid = this.pid;
    if (pid !== undefined) {
      spawnedByNode.add(pid);
      this.once('exit', () => spawnedByNode.delete(pid));
    }
    return result;
  };
}

/** supervisor's decode_wait_status() message (options.py). */
export function describeWaitStatus(status: number): string {
  const sig = status & 0x7f;
  if (sig === 0) return `exit status ${(status >> 8) & 0xff}`;
  if (sig === 0x7f) return `unknown termination cause 0x${status.toString(16).padStart(4, '0')}`;
  return `terminated by ${signame(sig)}${status & 0x80 ? ' (core dumped)' : ''}`;
}

/** Our children's pids, from every thread's `children` file (threads fork too). */
function childPids(): number[] {
  const out: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    let text: string;
    try {
      text = readFileSync(`/proc/self/task/${tid}/children`, 'latin1');
    } catch {
      continue; // a thread that just ended
    }
    for (const pid of text.split(' ')) if (pid) out.push(Number(pid));
  }
  return out;
}

export interface ReaperOptions {
  /** Also ask the kernel for orphans (not needed as PID 1, which gets them anyway). */
  subreaper: boolean;
  info(message: string): void;
  warn(message: string): void;
}

export interface Reaper {
  /** Reap what is waiting now (tests and shutdown call it; signals and the timer do otherwise). */
  sweep(): void;
  stop(): void;
}

const SCAN_INTERVAL_MS = 1000;
/** The least time between two sweeps that SIGCHLDs ask for (see sweepSoon). */
const SWEEP_GAP_MS = 5;

class Sweeper {
  /** Our posix_spawned children, each with what to call with its wait status. */
  private readonly children = new Map<number, (status: number) => void>();
  /** Set while orphans are ours to reap. */
  orphans: ReaperOptions | null = null;
  /** posix_spawns running on another thread: a pid we do not know yet may be one of them. */
  pending = 0;
  private readonly timer: NodeJS.Timeout;
  /** A sweep is on its way. */
  private due = false;
  /** monoMs() when the last sweep began. */
  private lastSweep = -Infinity;

  constructor(private readonly c: Libc) {
    process.on('SIGCHLD', () => this.sweepSoon());
    // Unref'd while no child of ours runs: a running child keeps the process alive, as
    // Node's ChildProcess does.
    this.timer = setInterval(() => this.sweep(true), SCAN_INTERVAL_MS).unref();
  }

  watch(pid: number, onStatus: (status: number) => void): void {
    this.children.set(pid, onStatus);
    if (this.children.size === 1) this.timer.ref();
  }

  /**
   * waitid(P_ALL) walks every child in the kernel (19 µs at 1,000 here), and most of our
   * children are reaped before their SIGCHLD by reapIfOurs: the SIGCHLDs of one turn of
   * the event loop share one sweep, at its end (setImmediate), and while many come (a stop
   * of many) at most one sweep runs every SWEEP_GAP_MS.
   */
  private sweepSoon(): void {
    if (this.due) return;
    this.due = true;
    const run = () => {
      this.due = false;
      this.sweep(false);
    };
    const wait = this.lastSweep + SWEEP_GAP_MS - monoMs();
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  sweep(scanOrphans: boolean): void {
    this.lastSweep = monoMs();
    try {
      this.reapWaiting();
      if (scanOrphans && this.orphans) this.scanOrphans();
    } catch (e) {
      // a failure here must not take the daemon down; the next sweep tries again
      const message = `reaping child processes failed: ${(e as Error).message}`;
      if (this.orphans) this.orphans.warn(message);
      else process.emitWarning(message);
    }
  }

  private reapWaiting(): void {
    for (;;) {
      const pid = this.c.waitable();
      if (pid === 0) return;
      // (a pid waitid shows but waitpid does not reap would loop for ever: stop there)
      if (this.children.has(pid) || (this.orphans && !spawnedByNode.has(pid) && this.pending === 0)) {
        if (this.reap(pid)) continue;
        return;
      }
      // libuv's, about to be reaped by it, or one whose spawn has not come back yet (that
      // one is reaped when it does); it hides the others from waitid
      for (const mine of [...this.children.keys()]) this.reap(mine);
      return;
    }
  }

  private scanOrphans(): void {
    if (this.pending > 0) return;
    for (const pid of childPids()) if (!this.children.has(pid) && !spawnedByNode.has(pid)) this.reap(pid);
  }

  /** A spawn on another thread came back: a SIGCHLD of its child may have come first. */
  settled(pid: number | null): void {
    this.pending--;
    if (pid === null) return;
    try {
      this.reap(pid);
    } catch (e) {
      process.emitWarning(`reaping pid ${pid} failed: ${(e as Error).message}`);
    }
  }

  /**
   * A child of ours that has probably exited (its output reached end of file) is reaped
   * now if it has: waitpid of one pid, not the walk of every child a sweep does.
   */
  reapIfOurs(pid: number): void {
    if (!this.children.has(pid)) return;
    try {
      this.reap(pid);
    } catch (e) {
      process.emitWarning(`reaping pid ${pid} failed: ${(e as Error).message}`);
    }
  }

  /** waitpid(pid, WNOHANG), and the status to whom it belongs; false while pid runs. */
  private reap(pid: number): boolean {
    const status = this.c.reap(pid);
    if (status === null) return false;
    const onStatus = this.children.get(pid);
    if (!onStatus) {
      this.orphans?.info(`reaped unknown pid ${pid} (${describeWaitStatus(status)})`);
      return true;
    }
    this.children.delete(pid);
    if (this.children.size === 0) this.timer.unref();
    try {
      onStatus(status);
    } catch (e) {
      process.emitWarning(`handling the exit of pid ${pid} failed: ${(e as Error).stack ?? String(e)}`);
    }
    return true;
  }
}

let sweeper: Sweeper | null = null;

function sweeperFor(c: Libc): Sweeper {
  sweeper ??= new Sweeper(c);
  return sweeper;
}

/**
 * Ready to reap children we start with posix_spawn: call before the first one, so that
 * no SIGCHLD comes before the handler.
 */
export function prepareReaping(c: Libc): void {
  sweeperFor(c);
}

/** Report `pid`'s wait status to `onStatus` once it ends (a child we posix_spawned). */
export function watchChild(c: Libc, pid: number, onStatus: (status: number) => void): void {
  sweeperFor(c).watch(pid, onStatus);
}

/** `pid` (one of ours) has probably exited: reap it now if it has, before its SIGCHLD is handled. */
export function reapIfExited(c: Libc, pid: number): void {
  sweeperFor(c).reapIfOurs(pid);
}

/**
 * A posix_spawn is starting on another thread; call what this returns with the child's
 * pid (after watchChild) or null once it has come back. Until then no unknown pid is
 * reaped as an orphan: it may be that child, whose SIGCHLD can come before its pid.
 */
export function spawnPending(c: Libc): (pid: number | null) => void {
  const s = sweeperFor(c);
  s.pending++;
  return (pid) => s.settled(pid);
}

/**
 * Start reaping orphans (and become a subreaper when asked); null, with a warning that
 * says why, where the system calls are out of reach.
 */
export function startReaper(o: ReaperOptions): Reaper | null {
  const c = libc();
  if (!existsSync(`/proc/self/task/${process.pid}/children`)) {
    o.warn('cannot reap orphaned processes (reaping is off; they stay zombies): this kernel has no /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN)');
    return null;
  }
  if (c instanceof Error) {
    o.warn(`cannot reap orphaned processes (reaping is off; they stay zombies): libc is not reachable: ${c.message}`);
    return null;
  }
  if (o.subreaper) {
    try {
      c.setChildSubreaper(true);
    } catch (e) {
      o.warn(`cannot become a child subreaper (reaping is off): ${(e as Error).message}`);
      return null;
    }
  }
  trackNodeChildren();
  const s = sweeperFor(c);
  s.orphans = o;
  return {
    sweep: () => s.sweep(true),
    stop() {
      if (s.orphans === o) s.orphans = null;
      if (o.subreaper) {
        try { c.setChildSubreaper(false); } catch { /* the flag dies with us anyway */ }
      }
    },
  };
}
