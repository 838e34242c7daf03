// The log-capture table of the bench: both daemons through bench/capture.ts, RUNS each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURE_MB, capture, writerAlone, type CaptureResult } from './capture.ts';
import type { Both } from './run.ts';
import { fmt, median, ratio, table } from './lib/stats.ts';

export async function captureTable(both: Both, quick: boolean): Promise<string> {
  const runs = quick ? 1 : 7;
  const r = await both(`log capture, ${CAPTURE_MB} MB through stdout`, async (k) => {
    const all: CaptureResult[] = [];
    for (let i = 0; i < runs; i++) all.push(await capture(k));
    return all;
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-capture-'));
  let alone: number;
  try {
    alone = median([0, 1, 2].map(() => writerAlone(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (k: 'statevisord' | 'supervisord', get: (x: CaptureResult) => number) => (r[k] ? median(r[k]!.map(get)) : undefined);
  const inv = (x: number | undefined) => (x === undefined ? undefined : 1 / x);
  const ours = med('statevisord', (x) => x.mbps), theirs = med('supervisord', (x) => x.mbps);
  const cpuOurs = med('statevisord', (x) => x.cpuS), cpuTheirs = med('supervisord', (x) => x.cpuS);
  const rows = [
    [`child log capture, ${CAPTURE_MB} MB through stdout to a file (50MB × 10 rotation)`, fmt(ours, 0, 'MB/s'), fmt(theirs, 0, 'MB/s'), ratio(inv(ours), inv(theirs), 'faster', 'slower'), '≥ 1,000 MB/s'],
    ['  daemon CPU for it', fmt(cpuOurs, 2, 's'), fmt(cpuTheirs, 2, 's'), ratio(cpuOurs, cpuTheirs, 'less', 'more'), ''],
  ];
  const spread = (k: 'statevisord' | 'supervisord') => (r[k] ? `${k} ${r[k]!.map((x) => x.mbps.toFixed(0)).join(', ')} MB/s` : `${k} not run`);
  const notes = [
    `Median of ${runs} runs on each daemon, each a fresh daemon; the log files held all ${CAPTURE_MB} MB (in ${r.statevisord?.[0]?.files ?? '?'} files) every time.`,
    `Each run: ${spread('statevisord')}; ${spread('supervisord')}.`,
    `The writer alone (the same dd straight into a file in the same temp dir): ${fmt(alone, 0, 'MB/s')}.`,
  ];
  return `${table(['measure', 'statevisord', 'supervisord', 'statevisord vs supervisord', 'target'], rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}`;
}
