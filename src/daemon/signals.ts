// The daemon's signal handlers: installed once, before the pidfile exists, and kept across
// reloads, as supervisord's are. A signal that comes while no run is listening (between two
// runs of a reload) waits for the next one, as supervisord queues signals for its loop.

export const DAEMON_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR2'];

export class SignalQueue {
  private pending: NodeJS.Signals[] = [];
  private consumer: ((sig: NodeJS.Signals) => void) | null = null;
  private readonly receive = (sig: NodeJS.Signals) => {
    if (this.consumer) this.consumer(sig);
    else if (!this.pending.includes(sig)) this.pending.push(sig);
  };

  constructor() {
    for (const sig of DAEMON_SIGNALS) process.on(sig, this.receive);
  }

  /** Hand signals to `fn`, those waiting first; returns the way to stop. */
  consume(fn: (sig: NodeJS.Signals) => void): () => void {
    this.consumer = fn;
    for (const sig of this.pending.splice(0)) fn(sig);
    return () => {
      if (this.consumer === fn) this.consumer = null;
    };
  }

  close(): void {
    for (const sig of DAEMON_SIGNALS) process.off(sig, this.receive);
  }
}
