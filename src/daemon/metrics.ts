// /metrics: the daemon and its processes in Prometheus' text format. The process gauges are
// filled from the actor tree (no state is kept beside the machines' own); events and
// restarts are counted here as they happen and, like prom-client's default metrics for the
// daemon's own Node process, live as long as the daemon (a reload does not reset a count).
//
// prom-client and the registries (metrics-exposition.ts) load at the first scrape: a
// daemon nobody scrapes does not carry them (some 4 MB of its RSS, bench/README.md).
import type { Subscription } from 'rxjs';
import type { ProcessStateChange } from '../../machines/emitted.ts';
import type { EventBus } from '../events/bus.ts';
import type { ProcessStateName } from '../states.ts';
import type { Exposition } from './metrics-exposition.ts';

/** One process as a scrape sees it. */
export interface ProcessSample {
  /** Its series' labels: one object per sample, handed to prom-client as is. */
  labels: Readonly<{ group: string; name: string }>;
  state: ProcessStateName;
  /** 0 when no child runs. */
  pid: number;
  /** ms since the epoch; 0 if never started. */
  laststart: number;
}

/** What one run of the daemon shows: its processes and its listener pools. */
export interface MetricsSource {
  /** The same array (===) while no process has changed: only a new one renders the state series again. */
  processes(): readonly ProcessSample[];
  /** [pool name, events in its buffer]. */
  pools(): [string, number][];
}

/** The counts a scrape shows, kept from the daemon's start whether or not anyone scrapes. */
export interface Tallies {
  /** Events published on the bus, by type. */
  readonly events: ReadonlyMap<string, number>;
  /** Starts of a process after its first one, by `group:name`. */
  readonly restarts: ReadonlyMap<string, { labels: ProcessSample['labels']; count: number }>;
  /** Goes up with each restart counted: the state series are rendered again then. */
  readonly restartsVersion: number;
  /** The run whose tree scrapes show. */
  readonly source: MetricsSource | null;
}

export class DaemonMetrics implements Tallies {
  readonly events = new Map<string, number>();
  readonly restarts = new Map<string, { labels: ProcessSample['labels']; count: number }>();
  restartsVersion = 0;
  source: MetricsSource | null = null;
  /** Processes started at least once, by `group:name`: a later STARTING is a restart. */
  private readonly started = new Set<string>();
  private readonly subscription: Subscription;
  private exposition: Promise<Exposition> | null = null;

  constructor(bus: EventBus) {
    // A count is one map update: taken as each event is published, on events$. watch$
    // would schedule an asap action per event (a stop of 1,000 processes publishes 2,000).
    this.subscription = bus.events$.subscribe((e) => this.events.set(e.type, (this.events.get(e.type) ?? 0) + 1));
  }

  /** The run whose tree scrapes show, until the returned function detaches it. */
  attach(source: MetricsSource): () => void {
    this.source = source;
    return () => {
      if (this.source === source) this.source = null;
    };
  }

  stateChanged(e: ProcessStateChange): void {
    if (e.to !== 'STARTING') return;
    const key = `${e.group}:${e.name}`;
    if (!this.started.has(key)) return void this.started.add(key);
    const r = this.restarts.get(key);
    if (r) r.count++;
    else this.restarts.set(key, { labels: { group: e.group, name: e.name }, count: 1 });
    this.restartsVersion++;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    this.exposition ??= import('./metrics-exposition.ts').then((m) => new m.Exposition(this));
    return (await this.exposition).render();
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}
