// The tree's emitted events on their way to the daemon (main log, event bus, watchers),
// each handled at the end of the step that emitted it (machines/emitted.ts), except after
// a step run through hold() that started a spawn.
//
// What holds: a child's exit (runtime/child-actor.ts exitStep). Its step logs the exit,
// publishes PROCESS_STATE_EXITED and, under autorestart, enters STARTING, whose new child
// actor submits the next spawn inside the same step, after the step's events in XState's
// order. Held, the events wait until the daemon has something else to tell (the spawn's
// SPAWNED step, any other event, a main-log line, a bus event: flush() first) or
// HOLD_LIMIT_MS, so the main thread leaves the CPU to the spawn's clone and exec instead
// of logging and publishing before the spawn, or beside it (bench/README.md, crash →
// restart). Their order among themselves and against everything else the daemon tells
// is kept; only their handling is later, by about a spawn.
import type { Emitted } from '../../machines/emitted.ts';

/** The longest held events wait when nothing else comes (a spawn returns in about a millisecond). */
const HOLD_LIMIT_MS = 20;

export class EmitGate {
  private readonly held: Emitted[] = [];
  /** Inside a hold() step, or handling what was held: new events queue behind. */
  private holding = false;
  private draining = false;
  /** The held step started a spawn. */
  private spawning = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly handle: (e: Emitted) => void) {}

  /** The tree's `publish`. */
  readonly emit = (e: Emitted): void => {
    if (this.holding || this.draining) return void this.held.push(e);
    this.flush();
    this.handle(e);
  };

  /** Runs `step`; what it emits waits for its spawn, if it started one (spawnStarted), else is handled now. */
  hold(step: () => void): void {
    if (this.holding) return step();
    this.flush();
    this.holding = true;
    this.spawning = false;
    try {
      step();
    } finally {
      this.holding = false;
      if (this.spawning && this.held.length > 0) this.timer = setTimeout(() => this.flush(), HOLD_LIMIT_MS);
      else this.flush();
    }
  }

  /** A spawn was submitted: inside a held step, its events may wait for it. */
  spawnStarted(): void {
    if (this.holding) this.spawning = true;
  }

  /** Handle what is held, in order; call before the daemon tells anything else (handle must not throw). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.draining || this.held.length === 0) return;
    this.draining = true;
    try {
      // an event that handling one of these causes waits its turn behind them
      for (let i = 0; i < this.held.length; i++) this.handle(this.held[i]);
    } finally {
      this.held.length = 0;
      this.draining = false;
    }
  }
}
