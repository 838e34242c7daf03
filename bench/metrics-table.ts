// The /metrics table of the bench: statevisord's scrape beside what a supervisord exporter pays.
import { scrapeCost } from './metrics.ts';
import type { Both } from './run.ts';
import { fmt, ratio, table } from './lib/stats.ts';

export async function metricsTable(both: Both, quick: boolean): Promise<string> {
  const scrapes = quick ? 20 : 100;
  const r = await both('/metrics scrape, 1,000 programs', (k) => scrapeCost(k, 1000, scrapes), quick ? ['statevisord'] : undefined);
  const rows = [
    ['daemon CPU per scrape, 1,000 running', fmt(r.statevisord?.cpuMsPerScrape, 1, 'ms'), fmt(r.supervisord?.cpuMsPerScrape, 1, 'ms'), ratio(r.statevisord?.cpuMsPerScrape, r.supervisord?.cpuMsPerScrape, 'less', 'more'), '< 50 ms'],
    ['  scrape latency p50', fmt(r.statevisord?.p50Ms, 1, 'ms'), fmt(r.supervisord?.p50Ms, 1, 'ms'), ratio(r.statevisord?.p50Ms, r.supervisord?.p50Ms, 'faster', 'slower'), ''],
    ['  scrape latency max', fmt(r.statevisord?.maxMs, 1, 'ms'), fmt(r.supervisord?.maxMs, 1, 'ms'), ratio(r.statevisord?.maxMs, r.supervisord?.maxMs, 'faster', 'slower'), ''],
  ];
  const notes = Object.values(r).map((x) => `${x!.kind}: ${x!.scrapes} scrapes, ${(x!.bytes / 1024).toFixed(0)} KiB each (${x!.kind === 'statevisord' ? '/metrics' : 'getAllProcessInfo'}).`);
  return `${table(['measure', 'statevisord (/metrics)', 'supervisord (getAllProcessInfo)', 'statevisord vs supervisord', 'target'], rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}`;
}
