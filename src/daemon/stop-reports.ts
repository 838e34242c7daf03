// supervisor's stop_report() (process.py): while a caller waits for a stop
// (stopProcess, stopProcessGroup, stopAllProcesses with wait=true), `waiting for x to
// stop` is logged at the stop and again every 2 s while the process is STOPPING.
// supervisor calls it from each poll of the call's deferred result (rpcinterface.py
// onwait) and throttles it to one line per 2 s. The first line is the process machine's
// (its STOPPING row); the later ones come from here, as STOP_REPORT commands.
//
// One timer serves every process whose waited stop began in the same turn of the event
// loop (all of a stopAllProcesses), instead of a timer per process.
import type { AnyActorRef } from 'xstate';
import type { ProcessCommand } from '../../machines/process-types.ts';

/** stop_report's throttle: supervisor logs `waiting for x to stop` at most every 2 s. */
export const STOP_REPORT_MS = 2000;

/** The timers a StopReports uses (Node's; tests pass their own). */
export interface ReportTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** Runs `fn` once the current turn of the event loop is over. */
  setImmediate(fn: () => void): void;
}

const nodeTimers: ReportTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  setImmediate: (fn) => void setImmediate(fn),
};

const REPORT: ProcessCommand = { type: 'STOP_REPORT' };

/** The processes whose waited stops began in one turn, and their timer. */
interface Batch {
  waiting: Set<AnyActorRef>;
  timer: unknown;
}

export class StopReports {
  /** The batch of the current turn, while it is open. */
  private open: Batch | null = null;

  constructor(private readonly timers: ReportTimers = nodeTimers) {}

  /**
   * A process has just been told to stop and a caller waits: STOP_REPORT it every 2 s
   * until the returned function is called (when the wait is over).
   */
  watch(actor: AnyActorRef): () => void {
    const batch = this.open ?? this.openBatch();
    batch.waiting.add(actor);
    return () => {
      batch.waiting.delete(actor);
      if (batch.waiting.size === 0 && batch !== this.open) this.timers.clearInterval(batch.timer);
    };
  }

  private openBatch(): Batch {
    const waiting = new Set<AnyActorRef>();
    const batch: Batch = { waiting, timer: this.timers.setInterval(() => { for (const a of waiting) a.send(REPORT); }, STOP_REPORT_MS) };
    this.open = batch;
    this.timers.setImmediate(() => {
      this.open = null;
      // Every wait of the turn ended within it (each process stopped at once).
      if (waiting.size === 0) this.timers.clearInterval(batch.timer);
    });
    return batch;
  }
}
