// Where statevisord's CPU goes while one listener drains its buffer (the events row):
// bench/events.ts's throughput case under --cpu-prof, the profile cut to the drain.
//   node --import tsx bench/profile-events.ts [n=20000]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuProfile, formatRows } from './lib/cpuprofile.ts';
import { throughput } from './events.ts';

const n = Number(process.argv[2] ?? 20000);
const dir = mkdtempSync(join(tmpdir(), 'bench-evprof-'));
try {
  const r = await throughput('statevisord', n, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100']);
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!);
  // The drain: the listener's first stamp to its last, as CLOCK_MONOTONIC µs.
  const p = new CpuProfile(file, r.window);
  const ours = (f: { url: string }) => /\/(dist|src|machines)\//.test(f.url) || /node_modules\/(xstate|rxjs)/.test(f.url);
  process.stdout.write([
    `${n} events, ${r.perSecond.toFixed(0)} /s under the profiler; ${(p.totalMs / 1000).toFixed(2)} s sampled, ${(p.busyMs / 1000).toFixed(2)} s not idle (${((p.busyMs * 1000) / n).toFixed(1)} µs per event)`,
    formatRows('self time by function', p.selfByFunction(30)),
    formatRows('self time by file', p.selfByFile(15)),
    formatRows('inclusive time, statevisor, xstate and rxjs frames', p.inclusive(ours, 30)),
  ].join('\n\n') + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
