// Where statevisord's CPU goes: the fleet case under --cpu-prof, the profile cut into the
// launch (exec → last success:) and the stop (SIGTERM → exit) windows, and the crash
// case's steady state. Windows are CLOCK_MONOTONIC µs, the clock V8 stamps samples with.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { crashing, limitsFor, sleepers } from './lib/configs.ts';
import { CpuProfile, formatRows } from './lib/cpuprofile.ts';
import { withDaemon } from './lib/daemon.ts';

const us = () => Number(process.hrtime.bigint() / 1000n);
const ours = (f: { url: string; functionName: string }) => /\/(dist|src|machines)\//.test(f.url) || /node_modules\/xstate/.test(f.url);

function report(title: string, file: string, window: [number, number], per: { n: number; label: string }): string {
  const p = new CpuProfile(file, window);
  return [
    // Samples are wall-clock on the main thread: a blocking call (spawn() waits for the
    // child's exec) counts as busy, idle time in the event loop does not.
    `### ${title}: ${(p.totalMs / 1000).toFixed(2)} s sampled, ${(p.busyMs / 1000).toFixed(2)} s not idle (${(p.busyMs / per.n).toFixed(2)} ms per ${per.label})`,
    formatRows('self time by function', p.selfByFunction(20)),
    formatRows('self time by file', p.selfByFile(12)),
    formatRows('inclusive time, statevisor and xstate frames', p.inclusive(ours, 25)),
  ].join('\n\n');
}

export async function profile(n: number, log: (s: string) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'));
  const flags = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'];
  const out: string[] = [];
  try {
    log(`profile: ${n} programs under --cpu-prof …`);
    const w: Record<string, number> = {};
    await withDaemon({ kind: 'statevisord', programs: sleepers(n), nodeFlags: flags, ...limitsFor(n) }, async (d) => {
      w.exec = us();
      await d.waitFor(/^success: /, n, 60000 + n * 300);
      w.running = us();
      await new Promise((r) => setTimeout(r, 2000));
      w.term = us();
      d.signal('SIGTERM');
      await d.exited;
      w.exit = us();
    });
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!);
    out.push(report(`launch, ${n} programs`, file, [w.exec, w.running], { n, label: 'program' }));
    out.push(report(`stop, ${n} programs`, file, [w.term, w.exit], { n, label: 'program' }));
    rmSync(file);

    log('profile: crash → restart, 100 cycles …');
    const cycles = 100;
    await withDaemon({ kind: 'statevisord', programs: crashing(), nodeFlags: flags }, async (d) => {
      await d.waitFor(/^spawned: /, 5, 60000);
      w.from = us();
      const t0 = performance.now();
      await d.waitFor(/^spawned: /, 5 + cycles, 120000);
      w.to = us();
      log(`profile: ${((performance.now() - t0) / cycles).toFixed(1)} ms per cycle under the profiler`);
      d.signal('SIGTERM');
      await d.exited;
    });
    const crash = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!);
    out.push(report(`crash → restart, ${cycles} cycles`, crash, [w.from, w.to], { n: cycles, label: 'cycle' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out.join('\n\n');
}
