// Giving back what start-up took. Launching many programs leaves V8's old generation about
// twice the size of what lives in it (1,000 programs: 50 MB committed for 29 MB live), and
// V8's memory reducer compacts it only 8 s after its last full GC, and only if the daemon
// is idle then. So once no process has been STARTING for a quiet moment, the daemon asks
// for that compacting full GC itself, once per run: at 1,000 programs it takes the RSS
// from about 110 MB to 87 MB for some 150 ms of CPU (bench/README.md).
//
// A GC on request needs --expose-gc (bin/statevisord's shebang); without it (node run on
// dist/ directly) this does nothing. V8 compacts every page only in its memory-reducing
// GCs or under --compact-on-every-full-gc, which is set for this one GC alone.
import { setFlagsFromString } from 'node:v8';
import type { ProcessStateChange } from '../../machines/emitted.ts';

/**
 * No state change for this long, none STARTING: start-up is over. Short, because the GC
 * holds the daemon up (15 ms at 10 programs, 150 ms at 1,000): at 1 s it met the first
 * command of anyone who acts a second after the last `success:` (the scaling bench's
 * stopAllProcesses did, every time). A backoff retry is 1 s away at the least, so a
 * quarter second still tells the end of start-up from a gap in it.
 */
const QUIET_MS = 250;

/** One full GC that compacts every page; null without --expose-gc. */
export const compactingGc = typeof globalThis.gc === 'function'
  ? (): void => {
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      globalThis.gc?.();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  }
  : null;

export class MemorySettler {
  private starting = 0;
  private timer: NodeJS.Timeout | undefined;
  private done: boolean;

  constructor(private readonly collect: (() => void) | null = compactingGc, private readonly quietMs = QUIET_MS) {
    this.done = collect === null;
  }

  stateChanged(e: Pick<ProcessStateChange, 'from' | 'to'>): void {
    if (this.done) return;
    if (e.to === 'STARTING') this.starting++;
    else if (e.from === 'STARTING') this.starting--;
    clearTimeout(this.timer);
    if (this.starting === 0) this.timer = setTimeout(() => this.settle(), this.quietMs).unref();
  }

  close(): void {
    clearTimeout(this.timer);
    this.done = true;
  }

  private settle(): void {
    this.done = true;
    this.collect?.();
  }
}
