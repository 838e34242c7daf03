// TICK_5 / TICK_60 / TICK_3600: supervisord's tick(). Each period's current slice
// (int(now - now % period)) is recorded at the first start without an event; whenever a
// slice changes, its event carries the new slice's start. supervisord notices a new slice
// on its next loop iteration (up to a second late); here a timer fires at the boundary.
// Like supervisord's `ticks`, the slices outlive a reload: a boundary passed while the
// daemon was restarting is told when the next run starts.
//
// The wake-ups are an RxJS stream: a timer to just past the next 5-second boundary,
// repeated, each delay measured again from the clock. interval(5000) would drift by each
// callback's lateness and, after enough of them, skip a slice.
import { asyncScheduler, defer, repeat, timer, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { tickEvent, type BusEvent, type TickPeriod } from './event.ts';

const PERIODS: readonly TickPeriod[] = [5, 60, 3600];

/** supervisord.timeslice(). */
export const timeslice = (period: number, when: number): number => Math.trunc(when - (when % period));

/** Every period is a multiple of 5: a wake-up just past each 5-second boundary of `now` (ms). */
export function boundaries(now: () => number, scheduler: SchedulerLike = asyncScheduler): Observable<number> {
  return defer(() => {
    const ms = now();
    return timer((timeslice(5, ms / 1000) + 5) * 1000 - ms + 1, scheduler);
  }).pipe(repeat());
}

export class TickSource {
  private readonly last = new Map<TickPeriod, number>();
  private subscription: Subscription | null = null;

  constructor(
    private readonly publish: (e: BusEvent) => void,
    private readonly now: () => number = Date.now,
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  start(): void {
    if (this.subscription) return;
    const s = this.now() / 1000;
    if (this.last.size) this.tick();
    else for (const p of PERIODS) this.last.set(p, timeslice(p, s));
    this.subscription = boundaries(this.now, this.scheduler).subscribe(() => this.tick());
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
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
}
