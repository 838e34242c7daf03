// Reaping orphans, as an init must. As PID 1 (a container's entrypoint), or as a child
// subreaper (prctl(PR_SET_CHILD_SUBREAPER)), the daemon inherits every descendant whose
// parent dies first: `sh -c 'sleep 9 & exit 0'` leaves its sleep to us. supervisord reaps
// them with waitpid(-1) and logs `reaped unknown pid N (exit status S)` (supervisord.py,
// Supervisor.reap). Node cannot: libuv waitpid()s only the pids it spawned, and a
// waitpid(-1) of ours would steal its children's exit statuses. So we reap only the
// children libuv did not spawn: on SIGCHLD and on a 1 s timer, list our children
// (/proc/self/task/*/children) and waitpid(pid, WNOHANG) each one libuv does not know.
import { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { signame } from '../states.ts';
import { libc, type Libc } from './native.ts';

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

class OrphanReaper implements Reaper {
  private scheduled = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onChild = () => {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.sweep();
    });
  };

  constructor(private readonly c: Libc, private readonly o: ReaperOptions) {
    process.on('SIGCHLD', this.onChild);
    // SIGCHLDs merge, and one may come while a sweep runs: the timer catches what they miss
    this.timer = setInterval(() => this.sweep(), SCAN_INTERVAL_MS).unref();
  }

  sweep(): void {
    try {
      for (const pid of childPids()) {
        if (spawnedByNode.has(pid)) continue;
        const status = this.c.reap(pid);
        if (status !== null) this.o.info(`reaped unknown pid ${pid} (${describeWaitStatus(status)})`);
      }
    } catch (e) {
      // a failure here must not take the daemon down; the next sweep tries again
      this.o.warn(`reaping orphaned processes failed: ${(e as Error).message}`);
    }
  }

  stop(): void {
    process.off('SIGCHLD', this.onChild);
    clearInterval(this.timer);
    if (this.o.subreaper) {
      try { this.c.setChildSubreaper(false); } catch { /* the flag dies with us anyway */ }
    }
  }
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
  return new OrphanReaper(c, o);
}
