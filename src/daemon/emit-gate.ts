// The tree's emitted events on their way to the daemon (main log, event bus, watchers),
// each handled at the end of the step that emitted it (machines/emitted.ts), except in a
// step run through hold(): there they wait, in order, until the step is over.
//
// What holds: a child's exit (runtime/child-actor.ts exitStep). Its step logs the exit,
// publishes PROCESS_STATE_EXITED and, under autorestart, enters STARTING, whose new child
// actor starts the spawn inside the same step, after the step's events in XState's order.
// Held, the log writes and the event deliveries come after the spawn has gone to the
// kernel instead of before it (bench/README.md, crash → restart). Their order among
// themselves is kept; only a line the runtime logs itself inside the step (a CRIT for a
// bug of ours while the spawn starts) would come before them.
import type { Emitted } from '../../machines/emitted.ts';

export class EmitGate {
  private readonly held: Emitted[] = [];
  private holding = false;

  constructor(private readonly handle: (e: Emitted) => void) {}

  /** The tree's `publish`. */
  readonly emit = (e: Emitted): void => {
    if (this.holding) this.held.push(e);
    else this.handle(e);
  };

  /** Runs `step`, then handles what it emitted (handle must not throw). */
  hold(step: () => void): void {
    if (this.holding) return step();
    this.holding = true;
    try {
      step();
    } finally {
      // Still holding: an event that handling one of these causes waits its turn behind them.
      for (let i = 0; i < this.held.length; i++) this.handle(this.held[i]);
      this.held.length = 0;
      this.holding = false;
    }
  }
}
