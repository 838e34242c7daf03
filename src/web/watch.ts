// The actor system seen through XState's inspection stream: each machine actor's state
// changes (one per microstep that moved it, so BACKOFF → FATAL inside one step shows
// both), kept as a short history per actor, and a note of which actors changed, for
// the page's batched row updates. Generic over any machine: nothing here knows the
// process, group or listener machines.
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import { stateIdOf } from './statechart.ts';
import type { Transition } from './types.ts';

/** Transitions kept per actor for its view. */
export const HISTORY_LENGTH = 40;

/** An actor's key for the page: its systemId (`process:g:n`, `group:g`), `supervisor` for the root. */
export function actorKey(actor: AnyActorRef): string {
  const systemId = (actor as { systemId?: string }).systemId;
  if (systemId) return systemId;
  return actor._parent ? actor.sessionId : 'supervisor';
}

/** `xstate.after.startsecs.process.STARTING` → `after startsecs`; `xstate.init` stays. */
const eventName = (type: string): string => (type.startsWith('xstate.after.') ? `after ${type.split('.')[2]}` : type);

type TransitionListener = (key: string, t: Transition) => void;

/** Observers of the inspection streams of several actor systems (the tree's, each listener's), added as they come. */
export class InspectionFanOut implements Observer<InspectionEvent> {
  private readonly observers: Observer<InspectionEvent>[] = [];
  constructor(...first: (Observer<InspectionEvent> | undefined)[]) {
    for (const o of first) if (o) this.observers.push(o);
  }
  add(o: Observer<InspectionEvent>): void {
    this.observers.push(o);
  }
  next(e: InspectionEvent): void {
    for (const o of this.observers) o.next?.(e);
  }
}

export class ActorWatch {
  private last = new WeakMap<object, string>();
  /** Actors by key as they register: those outside the tree's system (listeners) are found here. */
  private readonly actors = new Map<string, AnyActorRef>();
  private readonly histories = new Map<string, Transition[]>();
  private readonly listeners = new Set<TransitionListener>();
  /** Actors whose snapshot changed since the last take() (any change: a pid, a context field). */
  private changed = new Set<string>();
  private onChange: (() => void) | null = null;

  readonly observer: Observer<InspectionEvent> = {
    next: (e) => {
      if (e.type !== '@xstate.microstep' && e.type !== '@xstate.snapshot') return;
      const value = (e.snapshot as { value?: unknown }).value;
      if (value === undefined) return; // not a state machine (the child callback actors)
      const actor = e.actorRef as AnyActorRef;
      const key = actorKey(actor);
      if (e.type === '@xstate.snapshot') {
        // registered here, not at @xstate.actor: a root actor's systemId is set after that event
        this.actors.set(key, actor);
        this.changed.add(key);
        this.onChange?.();
        return;
      }
      const to = stateIdOf(value);
      // An actor first seen mid-run (the tree is watched only while a page is open): its
      // snapshot is still the one before this macrostep, which XState replaces after it.
      const from = this.last.get(actor) ?? this.current(actor);
      this.last.set(actor, to);
      if (from === undefined || from === to) return;
      const t: Transition = { from, to, event: eventName(e.event.type), at: Date.now() };
      let h = this.histories.get(key);
      if (!h) this.histories.set(key, (h = []));
      h.push(t);
      if (h.length > HISTORY_LENGTH) h.shift();
      for (const l of this.listeners) l(key, t);
    },
  };

  private current(actor: AnyActorRef): string | undefined {
    const value = (actor.getSnapshot() as { value?: unknown } | undefined)?.value;
    return value === undefined ? undefined : stateIdOf(value);
  }

  /**
   * The tree is no longer watched: what is known of its actors goes stale, so forget the
   * states and histories; a view then starts a fresh history when a page watches again.
   */
  forget(): void {
    this.last = new WeakMap();
    this.histories.clear();
  }

  /** Calls `fn` (at most once per call of take()) when some actor has changed. */
  notify(fn: () => void): void {
    this.onChange = fn;
  }

  /** The keys changed since the last call. */
  take(): Set<string> {
    const c = this.changed;
    this.changed = new Set();
    return c;
  }

  /** A live actor seen registering under `key`. */
  actor(key: string): AnyActorRef | undefined {
    const a = this.actors.get(key);
    return a && a.getSnapshot().status === 'active' ? a : undefined;
  }

  history(key: string): Transition[] {
    return [...(this.histories.get(key) ?? [])];
  }

  onTransition(fn: TransitionListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
