// Loading a 2,000-program config: statevisor's loader vs supervisor's, in one run.
// Run: node --import tsx bench/config-load.ts [programs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load.ts';

const programs = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'statevisor-bench-'));
const file = join(dir, 'supervisord.conf');
const sections = [`[supervisord]\nlogfile = ${dir}/supervisord.log\nenvironment = A="1",B="2"\n`];
for (let i = 0; i < programs; i++) {
  sections.push(`[program:p${i}]\ncommand = /bin/sleep 10%(process_num)d\nprocess_name = %(program_name)s_%(process_num)02d\nnumprocs = 1\nenvironment = N="${i}",HOME="%(here)s"\nstdout_logfile = %(here)s/%(program_name)s.log\npriority = ${i % 50}\n`);
}
writeFileSync(file, sections.join('\n'));

const runs = 20;
loadConfig(file); // warm up
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  loadConfig(file);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const ours = times[Math.floor(runs / 2)];

const py = `
import time
from supervisor.options import ServerOptions
ts = []
for _ in range(5):
    o = ServerOptions(); o.configfile = ${JSON.stringify(file)}
    t0 = time.perf_counter(); o.process_config(do_usage=False); ts.append(time.perf_counter() - t0)
ts.sort(); print(ts[len(ts)//2] * 1000)
`;
const ref = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
const theirs = ref.status === 0 ? Number(ref.stdout.trim()) : null;

console.log(`config load, ${programs} programs (median)`);
console.log(`  statevisor   ${ours.toFixed(1)} ms   (${runs} runs, min ${times[0].toFixed(1)}, max ${times[runs - 1].toFixed(1)})`);
if (theirs === null) console.log(`  supervisord  not measured: ${ref.stderr.trim().split('\n').pop() ?? 'python3 failed'}`);
else console.log(`  supervisord  ${theirs.toFixed(1)} ms   (5 runs)\n  ratio        ${(theirs / ours).toFixed(1)}x faster`);
