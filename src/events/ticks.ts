// TICK_5 / TICK_60 / TICK_3600: supervisord's tick(). Each period's current slice
// (int(now - now % period)) is recorded at the first start without an event; whenever a
// slice changes, its event carries the new slice's start. supervisord notices a new slice
// on its next loop iteration (up to a second late); here a timer fires at the boundary.
// Like supervisord's `ticks`, the slices outlive a reload: a boundary passed while the
// daemon was restarting is told when the next run starts.
import { tickEvent, type BusEvent, type TickPeriod } from './event.ts';

const PERIODS: readonly TickPeriod[] = [5, 60, 3600];

/** supervisord.timeslice(). */
export const timeslice = (period: number, when: number): number => Math.trunc(when - (when % period));

export class TickSource {
  private readonly last = new Map<TickPeriod, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly publish: (e: BusEvent) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.timer) return;
    const s = this.now() / 1000;
    if (this.last.size) this.tick();
    else for (const p of PERIODS) this.last.set(p, timeslice(p, s));
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** tick(): one event per period whose slice changed, shortest period first. */
  tick(): void {
    const s = this.now() / 1000;
    for (const p of PERIODS) {
      const slice = timeslice(p, s);
      if (slice !== this.last.get(p)) {
        this.last.set(p, slice);
        this.publish(tickEvent(p, slice));
      }
    }
  }

  /** Every period is a multiple of 5: wake just past the next 5-second boundary. */
  private arm(): void {
    const ms = this.now();
    const next = (timeslice(5, ms / 1000) + 5) * 1000;
    this.timer = setTimeout(() => {
      this.tick();
      this.arm();
    }, next - ms + 1);
    this.timer.unref();
  }
}
