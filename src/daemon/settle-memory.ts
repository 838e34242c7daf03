// Giving back what start-up took. Launching many programs leaves V8's old generation about
// twice the size of what lives in it (1,000 programs: 50 MB committed for 29 MB live), and
// V8's memory reducer compacts it only 8 s after its last full GC, and only if the daemon
// is idle then. So once no process has been STARTING for a quiet moment, the daemon asks
// for that compacting full GC itself, once per run: at 1,000 programs it takes the RSS
// from about 110 MB to 87 MB for some 150 ms of CPU (bench/README.md). Programs that
// flap are never quiet for that long, and a daemon with none to start sees no change at
// all: 30 s after the daemon started it settles whatever is going on.
//
// A GC on request needs --expose-gc (bin/statevisord's shebang); without it (node run on
// dist/ directly) there is none. V8 compacts every page only in its memory-reducing
// GCs or under --compact-on-every-full-gc, which is set for this one GC alone.
// Then glibc's malloc hands back the free memory start-up left in its heaps
// (malloc_trim(3)): about 0.45 MB at 200 programs.
import { setFlagsFromString } from 'node:v8';
import type { ProcessStateChange } from '../../machines/emitted.ts';
import { libc } from '../runtime/native.ts';
import { releaseOptimizer } from './start-up-tiering.ts';

/**
 * No state change for this long, none STARTING: start-up is over. Short, because the GC
 * holds the daemon up (15 ms at 10 programs, 150 ms at 1,000): at 1 s it met the first
 * command of anyone who acts a second after the last `success:` (the scaling bench's
 * stopAllProcesses did, every time). A backoff retry is 1 s away at the least, so a
 * quarter second still tells the end of start-up from a gap in it.
 */
const QUIET_MS = 250;
/** Settle by then at the latest (from the settler's creation, as the daemon starts). */
const LATEST_MS = 30_000;

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

/** TurboFan back (start-up-tiering.ts), the GC, then malloc's free memory. */
function settleMemory(): void {
  releaseOptimizer();
  compactingGc?.();
  const c = libc();
  if (!(c instanceof Error)) c.mallocTrim();
}

export class MemorySettler {
  private starting = 0;
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private readonly latest: NodeJS.Timeout;

  constructor(private readonly collect: () => void = settleMemory, private readonly quietMs = QUIET_MS, latestMs = LATEST_MS) {
    this.latest = setTimeout(() => this.settle(), latestMs).unref();
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
    clearTimeout(this.latest);
    this.done = true;
  }

  private settle(): void {
    this.close();
    this.collect();
  }
}
