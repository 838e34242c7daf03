// The lifecycle table of bench/README.md (--only=lifecycle), from bench/lifecycle.ts.
import { chain, healthIdle } from './lifecycle.ts';
import type { Both } from './run.ts';
import { fmt, ratio, table } from './lib/stats.ts';

export async function lifecycleTable(both: Both, quick: boolean): Promise<string> {
  const n = 50;
  const seconds = quick ? 20 : 30;
  const c = (await both(`chain of ${n} with tcp ready checks`, () => chain(n), ['statevisord'])).statevisord;
  const checked = await both('200 health-checked programs, idle', (k) => healthIdle(k, 200, true, seconds));
  const plain = (await both('200 programs without checks, idle', (k) => healthIdle(k, 200, false, seconds), ['statevisord'])).statevisord;
  const rows: string[][] = [
    [`chain of ${n}: launch to all RUNNING (each waits for the previous one's port)`, fmt(c && c.launchMs / 1000, 2, 's'), '—', '—'],
    ['  one link: success: → next success: (median)', fmt(c?.linkMs, 0, 'ms'), '—', '—'],
    ['  one listener alone: exec → port accepts (median of 5)', fmt(c?.floorMs, 0, 'ms'), '—', '—'],
    ['  daemon CPU to get there', fmt(c?.launchCpuS, 2, 's'), '—', '—'],
    [`idle CPU, 200 programs health-checked every 10 s (${seconds} s)`, fmt(checked.statevisord?.idleCpuPct, 2, '%'), fmt(checked.supervisord?.idleCpuPct, 2, '%'),
      ratio(checked.statevisord?.idleCpuPct, checked.supervisord?.idleCpuPct, 'less', 'more')],
    ['  the same 200 without health checks', fmt(plain?.idleCpuPct, 2, '%'), '—', '—'],
  ];
  return `${table(['measure', 'statevisord', 'supervisord (ignores the keys)', 'statevisord vs supervisord'], rows)}`;
}
