// One run's event system: the listener pools, and the translation of what the actor
// tree emits into supervisor's events, in supervisor's order. The bus (its global serial,
// its tick slices) outlives runs; pools are made again on each, as supervisord's run()
// clears every subscription and makes new groups.
import type { Writable } from 'node:stream';
import type { Subscription } from 'rxjs';
import type { InspectionEvent, Observer } from 'xstate';
import type { Emitted } from '../../machines/emitted.ts';
import type { GroupConfig } from '../config/types.ts';
import { decodeOrRepr } from '../logs/output-copy.ts';
import type { EventBus } from './bus.ts';
import { groupEvent, processStateEvent, supervisorStateEvent, type BusEvent } from './event.ts';
import { EventListenerPool, type PoolLog } from './pool.ts';

export interface EventSystemOptions {
  bus: EventBus;
  identifier: string;
  log: PoolLog;
  /** The configuration of an [eventlistener:x] group the tree is making; undefined for other groups. */
  poolConfig: (name: string) => GroupConfig | undefined;
  /** Sees the listener machines' inspection events (the web page's views, --inspect). */
  inspect?: Observer<InspectionEvent>;
}

export class EventSystem {
  private readonly pools = new Map<string, { pool: EventListenerPool; subscription: Subscription | null }>();
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
        if (entry) entry.subscription ??= this.o.bus.events$.subscribe((ev) => entry.pool.notify(ev));
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
  attachListener(group: string, name: string, pid: number, stdin: Writable): ((chunk: Uint8Array) => void) | null {
    return this.pool(group)?.pool.attach(name, pid, stdin) ?? null;
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
      const pool = new EventListenerPool({ config, identifier: this.o.identifier, globalSerial: this.o.bus.globalSerial, log: this.o.log, describeLine: decodeOrRepr, inspect: this.o.inspect });
      this.pools.set(name, (entry = { pool, subscription: null }));
    }
    return entry;
  }

  private removePool(name: string): void {
    const entry = this.pools.get(name);
    if (!entry) return;
    entry.subscription?.unsubscribe();
    entry.pool.close();
    this.pools.delete(name);
  }
}
