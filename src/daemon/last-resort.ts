// The last line of defence: an exception nothing caught (a callback of a stream, a timer,
// an actor without an error observer, whose error XState rethrows from a timer) or a
// promise nobody awaited is logged at CRIT with its stack, and the daemon carries on, as
// supervisord's loop logs "uncaptured python exception" and keeps serving. Errors are
// contained where they happen wherever a place knows better (a listener's protocol closes
// its channel, pool.ts); this only keeps one missed place from orphaning every child.
// Before the main log exists there is nothing to keep running: the default (print, exit).
export interface CritLog {
  critical(message: string): void;
}

const stackOf = (e: unknown): string => (e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));

export class LastResort {
  private log: CritLog | null = null;
  private readonly onException = (e: unknown) => this.report('uncaptured exception', e);
  private readonly onRejection = (e: unknown) => this.report('unhandled promise rejection', e);

  /** From now on uncaught errors go to `log` and the process lives on; null gives them back to Node. */
  use(log: CritLog | null): void {
    if (log && !this.log) {
      process.on('uncaughtException', this.onException);
      process.on('unhandledRejection', this.onRejection);
    } else if (!log && this.log) {
      process.off('uncaughtException', this.onException);
      process.off('unhandledRejection', this.onRejection);
    }
    this.log = log;
  }

  private report(what: string, e: unknown): void {
    const text = `${what}, the daemon carries on: ${stackOf(e)}`;
    try {
      this.log!.critical(text);
    } catch {
      // the log itself failed: stderr is all that is left
      process.stderr.write(`statevisord: CRIT ${text}\n`);
    }
  }
}
