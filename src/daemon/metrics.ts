// /metrics: the daemon and its processes in Prometheus' text format, built with
// prom-client. The process gauges are filled from the actor tree (no state is kept beside
// the machines' own); events and restarts are counted as they happen and, like
// prom-client's default metrics for the daemon's own Node process, live as long as the
// daemon (a reload does not reset a counter).
//
// A scrape at 1,000 processes renders some 6,000 series. Two registries keep it cheap:
// one for the series that change only when a process does (up, state, start time,
// restarts), whose text prom-client renders again only after a change, and one for what
// changes by itself (each child's /proc counters, events, the daemon's own metrics),
// rendered at every scrape.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { ProcessStateChange } from '../../machines/emitted.ts';
import type { EventBus } from '../events/bus.ts';
import type { ProcessStateName } from '../states.ts';
import { openFdsGauge } from './open-fds.ts';
import { procStat } from './proc-stat.ts';

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

const EXPENSIVE_DEFAULTS = ['nodejs_active_handles', 'nodejs_active_handles_total', 'nodejs_active_resources', 'nodejs_active_resources_total'];
const PROCESS_LABELS = ['group', 'name'] as const;

export class DaemonMetrics {
  /** Rendered at every scrape. */
  private readonly live = new Registry();
  /** The processes' states: rendered again only when they (or the restart counts) change. */
  private readonly states = new Registry();
  private statesText: { of: readonly ProcessSample[]; text: string } | null = null;
  private readonly subscription: Subscription;
  private source: MetricsSource | null = null;
  private rendering: Promise<{ contentType: string; body: string }> | null = null;
  private defaults = false;
  /** Processes started at least once, by `group:name`: a later STARTING is a restart. */
  private readonly started = new Set<string>();
  private readonly restarts: Counter<'group' | 'name'>;
  private readonly up: Gauge<'group' | 'name'>;
  private readonly state: Gauge<'group' | 'name' | 'state'>;
  private readonly startTime: Gauge<'group' | 'name'>;
  private readonly rss: Gauge<'group' | 'name'>;
  private readonly cpu: Counter<'group' | 'name'>;
  private readonly buffered: Gauge<'pool'>;

  constructor(bus: EventBus) {
    const live = [this.live];
    const states = [this.states];
    const events = new Counter({ name: 'statevisor_events_total', help: 'Events published on the event bus, by type.', labelNames: ['type'], registers: live });
    this.subscription = bus.watch$.subscribe((e) => events.inc({ type: e.type }));
    this.restarts = new Counter({ name: 'statevisor_process_restarts_total', help: 'Starts of a process after its first one.', labelNames: PROCESS_LABELS, registers: states });
    this.up = new Gauge({ name: 'statevisor_process_up', help: '1 when the process is RUNNING, else 0.', labelNames: PROCESS_LABELS, registers: states });
    this.state = new Gauge({ name: 'statevisor_process_state', help: 'The process state: one series per process, for its current state, always 1.', labelNames: [...PROCESS_LABELS, 'state'], registers: states });
    this.startTime = new Gauge({ name: 'statevisor_process_start_time_seconds', help: 'When the process last started, in seconds since the epoch.', labelNames: PROCESS_LABELS, registers: states });
    this.rss = new Gauge({ name: 'statevisor_process_resident_memory_bytes', help: "The running child's resident set size (/proc/PID/stat).", labelNames: PROCESS_LABELS, registers: live });
    this.cpu = new Counter({ name: 'statevisor_process_cpu_seconds_total', help: "The running child's user and system CPU time (/proc/PID/stat).", labelNames: PROCESS_LABELS, registers: live });
    this.buffered = new Gauge({ name: 'statevisor_listener_pool_buffered_events', help: "Events waiting in an event listener pool's buffer.", labelNames: ['pool'], registers: live });
  }

  /** The run whose tree scrapes show, until the returned function detaches it. */
  attach(source: MetricsSource): () => void {
    this.source = source;
    this.statesText = null;
    return () => {
      if (this.source !== source) return;
      this.source = null;
      this.statesText = null;
    };
  }

  stateChanged(e: ProcessStateChange): void {
    if (e.to !== 'STARTING') return;
    const key = `${e.group}:${e.name}`;
    if (!this.started.has(key)) this.started.add(key);
    else {
      this.restarts.inc({ group: e.group, name: e.name });
      this.statesText = null;
    }
  }

  /** Scrapes that arrive while one is being rendered share it. */
  render(): Promise<{ contentType: string; body: string }> {
    this.rendering ??= this.renderNow().finally(() => (this.rendering = null));
    return this.rendering;
  }

  private async renderNow(): Promise<{ contentType: string; body: string }> {
    if (!this.defaults) this.addDefaults();
    const processes = this.source?.processes() ?? [];
    if (this.statesText?.of !== processes) {
      this.sampleStates(processes);
      this.statesText = { of: processes, text: await this.states.metrics() };
    }
    const states = this.statesText.text;
    this.sampleLive(processes);
    // each registry's text ends in a newline; one more puts the blank line prom-client
    // leaves between families
    return { contentType: this.live.contentType, body: `${states}\n${await this.live.metrics()}` };
  }

  /**
   * prom-client's default metrics, from the first scrape on: their event-loop delay
   * monitor wakes the daemon on a timer, which a daemon nobody scrapes need not pay for.
   * At 100 ms, not prom-client's 10 ms: that alone would be ten times an idle daemon's CPU.
   */
  private addDefaults(): void {
    this.defaults = true;
    collectDefaultMetrics({ register: this.live, eventLoopMonitoringPrecision: 100 });
    // These walk every libuv handle, three or four per child: at 1,000 processes they were
    // a fifth of a scrape's cost, and statevisor_process_* says more about the children.
    for (const name of EXPENSIVE_DEFAULTS) this.live.removeSingleMetric(name);
    // the same gauge, counted without listing every fd (open-fds.ts)
    this.live.removeSingleMetric('process_open_fds');
    openFdsGauge(this.live);
  }

  close(): void {
    this.subscription.unsubscribe();
  }

  /** The state gauges anew: a removed process leaves no stale series. */
  private sampleStates(processes: readonly ProcessSample[]): void {
    for (const m of [this.up, this.state, this.startTime]) m.reset();
    for (const p of processes) {
      this.up.set(p.labels, p.state === 'RUNNING' ? 1 : 0);
      // the current state alone: eight series per process, seven of them 0, would make a
      // scrape at 1,000 processes cost several times as much
      this.state.set({ ...p.labels, state: p.state }, 1);
      if (p.laststart > 0) this.startTime.set(p.labels, p.laststart / 1000);
    }
  }

  /** Each running child's counters as /proc has them now, and the pools' buffers. */
  private sampleLive(processes: readonly ProcessSample[]): void {
    for (const m of [this.rss, this.cpu, this.buffered]) m.reset();
    for (const p of processes) {
      const stat = p.pid > 0 ? procStat(p.pid) : null;
      if (!stat) continue;
      this.rss.set(p.labels, stat.rssBytes);
      this.cpu.inc(p.labels, stat.cpuSeconds);
    }
    for (const [pool, count] of this.source?.pools() ?? []) this.buffered.set({ pool }, count);
  }
}
