// statevisord under V8/Node flags that trade speed for memory: the same fleet under each,
// its RSS (and where it goes: V8's spaces vs the rest), and what each costs in CPU. Each set
// comes after bin/statevisord's own flags (a later flag wins), as every bench case runs it.
import { crashCycle, fleet, type FleetResult } from './cases.ts';
import { STATEVISORD_FLAGS } from '../scripts/statevisord-command.ts';
import { fmt, mb, table } from './lib/stats.ts';

export const VARIANTS: string[][] = [
  [],
  // Node's default young generation, which bin/statevisord's shebang turns down.
  ['--max-semi-space-size=16'],
  ['--max-semi-space-size=2'],
  ['--max-old-space-size=128'],
  ['--optimize-for-size'],
  ['--jitless'],
  ['--lite-mode'],
  ['--single-threaded'],
  ['--max-semi-space-size=1', '--jitless'],
  // V8's own heap growth (up to 4× between full GCs), which the shebang turns down to 20 %.
  ['--heap-growing-percent=0'],
];

export interface FlagRow {
  flags: string[];
  fleet: FleetResult;
  crashOverheadMs: number;
}

export async function runFlags(n: number, variants: string[][], log: (s: string) => void): Promise<FlagRow[]> {
  const rows: FlagRow[] = [];
  for (const flags of variants) {
    const label = flags.join(' ') || `(bin's own: ${STATEVISORD_FLAGS.join(' ')})`;
    log(`  flags ${label}: ${n} programs …`);
    const f = await fleet('statevisord', n, { nodeFlags: flags, settleMs: 5000, idleSeconds: 25, probe: true });
    log(`  flags ${label}: crash cycles …`);
    const c = await crashCycle('statevisord', 20, flags);
    rows.push({ flags, fleet: f, crashOverheadMs: c.overheadMs });
    log(`  flags ${label}: RSS ${fmt(mb(f.rssKb), 1, 'MB')}, launch ${fmt(f.launchMs / 1000, 2, 's')}, launch CPU ${fmt(f.launchCpuS, 2, 's')}`);
  }
  return rows;
}

const MiB = (bytes: number | undefined) => (bytes === undefined ? null : bytes / 1048576);

export function flagTable(rows: FlagRow[]): string {
  const base = rows.find((r) => r.flags.length === 0);
  const rel = (x: number, b: number | undefined) => (b === undefined || !Number.isFinite(b) || b === 0 ? '' : ` (${x >= b ? '+' : ''}${(((x - b) / b) * 100).toFixed(0)}%)`);
  return table(
    ['node flags', 'RSS 5 s idle', 'RSS 30 s idle', 'RssAnon 30 s', 'RSS after full GC', 'V8 heap used', 'V8 committed', 'new space', 'code space', 'launch', 'launch CPU', 'idle CPU', 'crash overhead', 'stop'],
    rows.map((r) => {
      const p = r.fleet.probe;
      const committed = p ? Object.values(p.idle.spaces).reduce((a, s) => a + s.committed, 0) : undefined;
      return [
        r.flags.join(' ') || `(bin's own: ${STATEVISORD_FLAGS.join(' ')})`,
        `${fmt(mb(r.fleet.rssKb), 1, 'MB')}${rel(r.fleet.rssKb, base?.fleet.rssKb)}`,
        `${fmt(mb(r.fleet.rssLateKb), 1, 'MB')}${rel(r.fleet.rssLateKb, base?.fleet.rssLateKb)}`,
        fmt(mb(r.fleet.rssAnonLateKb), 1, 'MB'),
        fmt(p ? p.gc.rssKb / 1024 : null, 1, 'MB'),
        fmt(MiB(p?.gc.heapUsed), 1, 'MB'),
        fmt(MiB(committed), 1, 'MB'),
        fmt(MiB(p?.idle.spaces.new_space?.committed), 1, 'MB'),
        fmt(MiB(p?.idle.spaces.code_space?.committed), 1, 'MB'),
        fmt(r.fleet.launchMs / 1000, 2, 's'),
        `${fmt(r.fleet.launchCpuS, 2, 's')}${rel(r.fleet.launchCpuS, base?.fleet.launchCpuS)}`,
        fmt(r.fleet.idleCpuPct, 2, '%'),
        fmt(r.crashOverheadMs, 1, 'ms'),
        fmt(r.fleet.stopMs / 1000, 2, 's'),
      ];
    }),
  );
}
