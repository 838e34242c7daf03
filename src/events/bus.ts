// The event bus: supervisor's events.notify() as an RxJS Subject. Subscribers on
// `events$` (the listener pools) get each event synchronously, in subscription order,
// before the next one is made, as notify() calls its callbacks. Watchers that only look
// (the web page, metrics) use `watch$`, which hands events over on the asap scheduler,
// so a slow watcher never holds up dispatch to listeners.
import { asapScheduler, observeOn, share, Subject, type Observable } from 'rxjs';
import type { BusEvent } from './event.ts';
import { TickSource } from './ticks.ts';

/** sys.maxsize on 64-bit CPython; new_serial wraps to 0 after it. Out of reach in practice. */
const MAXINT = Number.MAX_SAFE_INTEGER;

/** supervisor's serial counters: -1 until the first event, then 0, 1, … */
export class SerialCounter {
  private serial = -1;

  next(): number {
    if (this.serial === MAXINT) this.serial = -1;
    return ++this.serial;
  }
}

export class EventBus {
  private readonly subject = new Subject<BusEvent>();
  readonly events$: Observable<BusEvent> = this.subject.asObservable();
  readonly watch$: Observable<BusEvent> = this.subject.pipe(observeOn(asapScheduler), share());
  /**
   * GlobalSerial: a module-level singleton in supervisor, so it survives reloads while
   * the pools' own serials start again. One bus lives as long as the daemon.
   */
  readonly globalSerial = new SerialCounter();
  /** TICK_*: started by each run once it is RUNNING, stopped when it ends. */
  readonly ticks = new TickSource((e) => this.publish(e));

  publish(event: BusEvent): void {
    this.subject.next(event);
  }
}
