// The actor system's delayed events, indexed by the actor that scheduled them.
//
// XState 5 (5.33, system.js createSystem) keeps every delayed event of a system in one
// table, and each actor's stop (Actor._stopProcedure → scheduler.cancelAll) scans that
// whole table for the actor's own events. A stop-all over N processes stops N child
// actors while each of the N processes holds its STOPPING timers: N² looks (a third of a
// 2,000-program stopAllProcesses). The index below makes cancelAll look at the stopping
// actor's events only. It goes through the system's public `scheduler` and the `clock`
// createActor takes; the machines keep their named delays, and a SimulatedClock still
// drives them where no index is attached.
import type { AnyActorRef, EventObject } from 'xstate';

/** What createActor's `clock` option takes (xstate's Clock). */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

type Scheduler = AnyActorRef['system']['scheduler'];

const realClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Each scheduling's own mark: an id scheduled again replaces the entry, not the old timer's forgetting. */
type Pending = Map<string, object>;

export class TimerIndex {
  /** Per source actor: the ids of its delayed events that are pending. */
  private readonly bySource = new Map<AnyActorRef, Pending>();
  /** The event being scheduled while the scheduler calls clock.setTimeout. */
  private scheduling: { source: AnyActorRef; id: string; mark: object } | null = null;

  /** The clock to give createActor: a timer that fires leaves the index. */
  readonly clock: Clock;

  constructor(base: Clock = realClock) {
    this.clock = {
      setTimeout: (fn, ms) => {
        const s = this.scheduling;
        return base.setTimeout(s ? () => (this.forget(s.source, s.id, s.mark), fn()) : fn, ms);
      },
      clearTimeout: (handle) => base.clearTimeout(handle),
    };
  }

  /** Wrap the system's scheduler (of an actor created with `clock`), before it starts. */
  attach(system: { scheduler: Scheduler }): void {
    const s: Scheduler = system.scheduler;
    const schedule = s.schedule.bind(s);
    const cancel = s.cancel.bind(s);
    s.schedule = (source: AnyActorRef, target: AnyActorRef, event: EventObject, delay: number, givenId: string | undefined) => {
      // xstate's own default for an event without an id
      const id = givenId ?? Math.random().toString(36).slice(2);
      const mark = {};
      this.scheduling = { source, id, mark };
      try {
        schedule(source, target, event, delay, id);
      } finally {
        this.scheduling = null;
      }
      let pending = this.bySource.get(source);
      if (!pending) this.bySource.set(source, (pending = new Map()));
      pending.set(id, mark);
    };
    s.cancel = (source: AnyActorRef, id: string) => {
      cancel(source, id);
      this.forget(source, id);
    };
    s.cancelAll = (source: AnyActorRef) => {
      const pending = this.bySource.get(source);
      if (!pending) return;
      this.bySource.delete(source);
      for (const id of pending.keys()) cancel(source, id);
    };
  }

  /** How many actors have pending delayed events (tests). */
  get sources(): number {
    return this.bySource.size;
  }

  private forget(source: AnyActorRef, id: string, mark?: object): void {
    const pending = this.bySource.get(source);
    if (!pending || (mark && pending.get(id) !== mark)) return;
    pending.delete(id);
    if (pending.size === 0) this.bySource.delete(source);
  }
}
