// The /metrics exposition, built with prom-client from what DaemonMetrics counts and the
// actor tree shows. Loaded at the first scrape (metrics.ts).
//
// A scrape at 1,000 processes renders some 6,000 series. Two registries keep it cheap:
// one for the series that change only when a process does (up, state, start time,
// restarts), whose text prom-client renders again only after a change, and one for what
// changes by itself (each child's /proc counters, events, the daemon's own metrics),
// rendered at every scrape.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ProcessSample, Tallies } from './metrics.ts';
import { openFdsGauge } from './open-fds.ts';
import { procStat } from './proc-stat.ts';

const EXPENSIVE_DEFAULTS = ['nodejs_active_handles', 'nodejs_active_handles_total', 'nodejs_active_resources', 'nodejs_active_resources_total'];
const PROCESS_LABELS = ['group', 'name'] as const;

export class Exposition {
  /** Rendered at every scrape. */
  private readonly live = new Registry();
  /** The processes' states: rendered again only when they (or the restart counts) change. */
  private readonly states = new Registry();
  private statesText: { of: readonly ProcessSample[]; restarts: number; text: string } | null = null;
  private rendering: Promise<{ contentType: string; body: string }> | null = null;
  private readonly up: Gauge<'group' | 'name'>;
  private readonly state: Gauge<'group' | 'name' | 'state'>;
  private readonly startTime: Gauge<'group' | 'name'>;
  private readonly rss: Gauge<'group' | 'name'>;
  private readonly cpu: Counter<'group' | 'name'>;
  private readonly buffered: Gauge<'pool'>;

  constructor(private readonly tallies: Tallies) {
    const live = [this.live];
    const states = [this.states];
    // the counts so far, as prom-client counters: set again from the tallies at each render
    new Counter({
      name: 'statevisor_events_total', help: 'Events published on the event bus, by type.', labelNames: ['type'], registers: live,
      collect() {
        this.reset();
        for (const [type, n] of tallies.events) this.inc({ type }, n);
      },
    });
    new Counter({
      name: 'statevisor_process_restarts_total', help: 'Starts of a process after its first one.', labelNames: PROCESS_LABELS, registers: states,
      collect() {
        this.reset();
        for (const r of tallies.restarts.values()) this.inc(r.labels, r.count);
      },
    });
    this.up = new Gauge({ name: 'statevisor_process_up', help: '1 when the process is RUNNING, else 0.', labelNames: PROCESS_LABELS, registers: states });
    this.state = new Gauge({ name: 'statevisor_process_state', help: 'The process state: one series per process, for its current state, always 1.', labelNames: [...PROCESS_LABELS, 'state'], registers: states });
    this.startTime = new Gauge({ name: 'statevisor_process_start_time_seconds', help: 'When the process last started, in seconds since the epoch.', labelNames: PROCESS_LABELS, registers: states });
    this.rss = new Gauge({ name: 'statevisor_process_resident_memory_bytes', help: "The running child's resident set size (/proc/PID/stat).", labelNames: PROCESS_LABELS, registers: live });
    this.cpu = new Counter({ name: 'statevisor_process_cpu_seconds_total', help: "The running child's user and system CPU time (/proc/PID/stat).", labelNames: PROCESS_LABELS, registers: live });
    this.buffered = new Gauge({ name: 'statevisor_listener_pool_buffered_events', help: "Events waiting in an event listener pool's buffer.", labelNames: ['pool'], registers: live });
    this.addDefaults();
  }

  /** Scrapes that arrive while one is being rendered share it. */
  render(): Promise<{ contentType: string; body: string }> {
    this.rendering ??= this.renderNow().finally(() => (this.rendering = null));
    return this.rendering;
  }

  private async renderNow(): Promise<{ contentType: string; body: string }> {
    const processes = this.tallies.source?.processes() ?? [];
    const restarts = this.tallies.restartsVersion;
    if (this.statesText?.of !== processes || this.statesText.restarts !== restarts) {
      this.sampleStates(processes);
      this.statesText = { of: processes, restarts, text: await this.states.metrics() };
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
    collectDefaultMetrics({ register: this.live, eventLoopMonitoringPrecision: 100 });
    // These walk every libuv handle, three or four per child: at 1,000 processes they were
    // a fifth of a scrape's cost, and statevisor_process_* says more about the children.
    for (const name of EXPENSIVE_DEFAULTS) this.live.removeSingleMetric(name);
    // the same gauge, counted without listing every fd (open-fds.ts)
    this.live.removeSingleMetric('process_open_fds');
    openFdsGauge(this.live);
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
    for (const [pool, count] of this.tallies.source?.pools() ?? []) this.buffered.set({ pool }, count);
  }
}
