// The operators of a pool's RxJS pipeline (pool.ts): its subscription filter, and the
// coalescing of its wake-ups into one dispatch per microtask.
import { Observable, type MonoTypeOperatorFunction, type OperatorFunction } from 'rxjs';
import type { BusEvent } from './event.ts';
import { isA, type EventTypeName } from './types.ts';

/**
 * The pool's subscription filter, as notify() calls its callbacks: the pool subscribed one
 * callback per `events=` type, so an event matching two of them (EVENT and PROCESS_STATE)
 * passes twice, as supervisor accepts it twice.
 */
export const acceptedBy = (types: readonly EventTypeName[]): OperatorFunction<BusEvent, BusEvent> => (source) =>
  new Observable<BusEvent>((out) => source.subscribe({
    next: (e) => {
      for (const t of types) if (isA(e.type, t)) out.next(e);
    },
    error: (err) => out.error(err),
    complete: () => out.complete(),
  }));

/**
 * One value per microtask, after whatever code is running: auditTime(0, asapScheduler)'s
 * meaning without its timer observable and action per burst, which cost more than the
 * dispatch they lead to.
 */
export const oncePerMicrotask = <T>(): MonoTypeOperatorFunction<T> => (source) =>
  new Observable<T>((out) => {
    let pending = false;
    let last: T;
    const flush = (): void => {
      pending = false;
      if (!out.closed) out.next(last);
    };
    return source.subscribe({
      next: (v) => {
        last = v;
        if (pending) return;
        pending = true;
        queueMicrotask(flush);
      },
      error: (err) => out.error(err),
      complete: () => out.complete(),
    });
  });
