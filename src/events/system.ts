// One run's event system: the listener pools, and the translation of what the actor
// tree emits into supervisor's events, in supervisor's order. The bus (its global serial,
// its tick slices) outlives runs; pools are made again on each, as supervisord's run()
// clears every subscription and makes new groups.
import type { Unsubscribable } from 'rxjs';
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import type { Emitted } from '../../machines/emitted.ts';
import type { GroupConfig } from '../config/types.ts';
import { decodeOrRepr } from '../logs/output-copy.ts';
import type { EventBus } from './bus.ts';
import { groupEvent, processStateEvent, supervisorStateEvent, type BusEvent } from './event.ts';
import type { ListenerChannel } from './listener-channel.ts';
import { EventListenerPool, type ListenerActor, type PoolLog } from './pool.ts';

export interface EventSystemOptions {
  bus: EventBus;
  identifier: string;
  log: PoolLog;
  /** The configuration of an [eventlistener:x] group the tree is making; undefined for other groups. */
  poolConfig: (name: string) => GroupConfig | undefined;
  /** Sees the listener machines' inspection events all along (--inspect); see also inspectListeners(). */
  inspect?: Observer<InspectionEvent>;
}

/** A listener machine one watcher watches. */
interface Watched {
  actor: ListenerActor;
  subscription: Unsubscribable;
}

const watch = (actor: ListenerActor, observer: Observer<InspectionEvent>): Watched => ({ actor, subscription: actor.system.inspect(observer) });

export class EventSystem {
  private readonly pools = new Map<string, { pool: EventListenerPool; connected: boolean }>();
  /** Observers that watch the listener machines for a while (a web page open), see inspectListeners(). */
  private readonly watchers = new Map<Observer<InspectionEvent>, Watched[]>();
  constructor(private readonly o: EventSystemOptions) {}

  publish(e: BusEvent): void {
    this.o.bus.publish(e);
  }

  /** What the actor tree emitted, as events, in the order supervisor notifies them. */
  onEmitted(e: Emitted): void {
    switch (e.type) {
      case 'state':
        this.publish(processStateEvent(e));
        // After the event itself: a listener's own EXITED is buffered before the event it held.
        this.pools.get(e.group)?.pool.processState(e);
        return;
      case 'mood':
        if (e.to === 'RUNNING' && e.from === null) {
          this.publish(supervisorStateEvent('RUNNING'));
          this.o.bus.ticks.start();
        } else if (e.from === 'RUNNING') this.publish(supervisorStateEvent('STOPPING'));
        return;
      case 'groupAdded': {
        // make_group() subscribes the new pool before the group's ADDED event is notified.
        const entry = this.pool(e.group);
        if (entry && !entry.connected) {
          entry.pool.connect(this.o.bus.events$);
          entry.connected = true;
        }
        this.publish(groupEvent('ADDED', e.group));
        return;
      }
      case 'groupRemoved':
        // before_remove() unsubscribes first: a pool does not hear of its own removal.
        this.removePool(e.group);
        this.publish(groupEvent('REMOVED', e.group));
        return;
      case 'log':
        return;
    }
  }

  /** A listener process was spawned: where its stdout goes, or null for any other process. */
  attachListener(group: string, name: string, pid: number, stdin: ListenerChannel): ((chunk: Uint8Array) => void) | null {
    return this.pool(group)?.pool.attach(name, pid, stdin) ?? null;
  }

  /**
   * Each listener machine's inspection events, from now until the returned function is
   * called, for the machines alive now and those made meanwhile. XState builds inspection
   * events only for a system with observers: nobody watching costs a listener nothing.
   */
  inspectListeners(observer: Observer<InspectionEvent>): () => void {
    this.watchers.set(observer, [...this.pools.values()].flatMap(({ pool }) => [...pool.actors()].map((a) => watch(a, observer))));
    return () => {
      for (const w of this.watchers.get(observer) ?? []) w.subscription.unsubscribe();
      this.watchers.delete(observer);
    };
  }

  /** The live listener machine `listener:<pool>:<name>`, for a view of it. */
  listenerActor(key: string): AnyActorRef | undefined {
    for (const { pool } of this.pools.values()) for (const a of pool.actors()) if (a.system.get(key) === a) return a;
    return undefined;
  }

  /** Each pool's name and how many events wait in its buffer. */
  buffered(): [string, number][] {
    return [...this.pools].map(([name, { pool }]) => [name, pool.buffered]);
  }

  close(): void {
    this.o.bus.ticks.stop();
    for (const name of [...this.pools.keys()]) this.removePool(name);
  }

  /**
   * The pool of an [eventlistener:x] group, made on first need: the tree may spawn a
   * group's listeners before it tells of the group, and the pool must be there for them.
   * It hears events only from the group's ADDED on.
   */
  private pool(name: string) {
    let entry = this.pools.get(name);
    const config = entry ? undefined : this.o.poolConfig(name);
    if (config) {
      // A new spawn's machine is a system of its own: the current watchers watch it too,
      // and let go of the stopped ones (a listener that keeps restarting under an open page).
      const started = (actor: ListenerActor) => {
        for (const [observer, watched] of this.watchers) {
          const live: Watched[] = [];
          for (const w of watched) {
            if (w.actor.getSnapshot().status === 'active') live.push(w);
            else w.subscription.unsubscribe();
          }
          this.watchers.set(observer, [...live, watch(actor, observer)]);
        }
      };
      const pool = new EventListenerPool({ config, identifier: this.o.identifier, globalSerial: this.o.bus.globalSerial, log: this.o.log, describeLine: decodeOrRepr, inspect: this.o.inspect, started, watched: () => this.watchers.size > 0 });
      this.pools.set(name, (entry = { pool, connected: false }));
    }
    return entry;
  }

  private removePool(name: string): void {
    const entry = this.pools.get(name);
    if (!entry) return;
    entry.pool.close();
    this.pools.delete(name);
  }
}
