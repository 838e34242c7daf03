// log_format's cost on the child-output pipeline: raw (no stage) beside timestamped and
// json. A real child (test/fixtures/logs/chatty.mjs) writes MB of numbered lines of 20-170
// bytes (90 on average) as fast as its pipe takes them; the clock runs from its first write
// to the last byte in the log file (maxbytes 50MB, 10 backups, as supervisor's defaults).
// Prints, per format, the median of RUNS: input MB/s, the daemon side's CPU seconds, the
// bytes written, and the ratio to raw. supervisord has no formats: raw is its behaviour.
//
//   node --import tsx bench/log-formats.ts [MB=100] [RUNS=5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildLogFormat } from '../src/config/ext-log-format.ts';
import { ChildOutput } from '../src/logs/child-output.ts';
import { lineFormat } from '../src/logs/line-format.ts';
import { fmt, median, table } from './lib/stats.ts';

const [mb = 100, runs = 5] = process.argv.slice(2).map(Number);
const CHATTY = fileURLToPath(new URL('../test/fixtures/logs/chatty.mjs', import.meta.url));
const FORMATS: ChildLogFormat[] = ['raw', 'timestamped', 'json'];

interface Run { mbps: number; cpu: number; written: number }

async function once(format: ChildLogFormat): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'statevisor-logformat-'));
  try {
    const out = await ChildOutput.open({
      channel: 'stdout', logfile: join(dir, 'chatty.log'), maxBytes: 50 * 1024 * 1024, backups: 10, stripAnsi: false,
      lineFormat: lineFormat(format, 'bench', 'chatty', 'stdout'),
    });
    const child = spawn(process.execPath, [CHATTY, String(mb * 1024 * 1024), '65536', 'signal'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const done = out.attach(child.stdout);
    await new Promise((resolve) => child.stderr.once('data', resolve));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await done;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const written = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    return { mbps: mb / seconds, cpu: (cpu.user + cpu.system) / 1e6, written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = new Map<ChildLogFormat, Run[]>(FORMATS.map((f) => [f, []]));
// Interleaved, so a change in the machine's load touches every format alike.
for (let i = 0; i < runs; i++) for (const f of FORMATS) results.get(f)!.push(await once(f));

const med = (f: ChildLogFormat, k: keyof Run) => median(results.get(f)!.map((r) => r[k]));
const rows = FORMATS.map((f) => [
  f,
  fmt(med(f, 'mbps'), 0, 'MB/s'),
  fmt(med(f, 'cpu'), 2, 's'),
  fmt(med(f, 'written') / (1024 * 1024), 0, 'MB'),
  fmt(med(f, 'mbps') / med('raw', 'mbps'), 2, '×'),
  fmt(med(f, 'cpu') / med('raw', 'cpu'), 2, '×'),
]);
console.log(`${mb} MB of 20-170-byte lines, median of ${runs} runs each\n`);
console.log(table(['log_format', 'throughput', 'CPU', 'written', 'throughput ÷ raw', 'CPU ÷ raw'], rows));
