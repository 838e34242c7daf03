// `exit_on` (a statevisor key of [program:x]): in a container the daemon is the workload,
// and the engine (Docker's restart policy, Kubernetes' pod restart, systemd's Restart=)
// decides what a failure means. So when a process marked with it ends as it says, the
// daemon logs why, stops everything in priority order and exits with that process's own
// exit status (1 where it has none: killed by a signal, or never started; 1 for a failure
// that exited 0).
//   fatal       it goes FATAL (gave up starting it);
//   unexpected  also: it exits with a status not in its exitcodes after it was RUNNING;
//   exit        also: it exits at all, RUNNING or still STARTING.
// Stops the daemon itself asked for (stop, shutdown, reload) never count.
import type { ProcessStateChange } from '../../machines/emitted.ts';
import type { ExitOn } from '../config/ext-containers.ts';
import type { ChildExit } from '../runtime/child.ts';
import { signame } from '../states.ts';

export interface ExitOnOptions {
  /** The process's exit_on, or null (also for a process the daemon no longer has). */
  exitOn(group: string, name: string): ExitOn | null;
  /** Log `reason` and stop everything; the daemon then exits with `status`. */
  shutdown(status: number, reason: string): void;
}

const key = (group: string, name: string) => `${group}:${name}`;

/**
 * The process's own exit status, as the engine will see the daemon's; a failure (FATAL,
 * an unexpected exit) never exits 0, or the engine would take it for success.
 */
const statusOf = (exit: ChildExit | undefined, failure: boolean): number => {
  const code = exit?.code ?? 1;
  return failure && code === 0 ? 1 : code;
};

function describe(exit: ChildExit | undefined): string {
  if (!exit) return 'no exit status';
  return exit.code !== null ? `exit status ${exit.code}` : `terminated by ${exit.signal ?? signame(exit.signo ?? 0)}`;
}

export class ExitOnWatch {
  /** Each process's exit since its latest STARTING: absent while it runs or when it failed to spawn. */
  private readonly exits = new Map<string, ChildExit>();
  private fired = false;

  constructor(private readonly o: ExitOnOptions) {}

  /** The runtime saw a child end (before its machine hears of it). */
  childExited(group: string, name: string, exit: ChildExit): void {
    this.exits.set(key(group, name), exit);
  }

  /** A state change from the tree; `stopping`: the daemon is shutting down or reloading. */
  stateChanged(e: ProcessStateChange, stopping: boolean): void {
    const k = key(e.group, e.name);
    if (e.to === 'STARTING') this.exits.delete(k);
    const exitOn = this.fired || stopping ? null : this.o.exitOn(e.group, e.name);
    if (exitOn === null) return;
    const exit = this.exits.get(k);
    const why = this.reason(exitOn, e, exit);
    if (why === null) return;
    this.fired = true;
    const status = statusOf(exit, why !== 'exited' && why !== 'exited while starting');
    const spec = e.group === e.name ? e.name : k;
    this.o.shutdown(status, `exit_on=${exitOn}: '${spec}' ${why} (${describe(exit)}); shutting down with exit status ${status}`);
  }

  private reason(exitOn: ExitOn, e: ProcessStateChange, exit: ChildExit | undefined): string | null {
    if (e.to === 'FATAL') return 'went FATAL';
    if (exitOn === 'fatal') return null;
    if (e.to === 'EXITED' && !e.expected) return 'exited unexpectedly';
    if (exitOn === 'unexpected') return null;
    if (e.to === 'EXITED') return 'exited';
    // STARTING → BACKOFF after an exit (not after a spawn error)
    return e.to === 'BACKOFF' && exit ? 'exited while starting' : null;
  }
}
