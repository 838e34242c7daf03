// log_format's cost on the child-output pipeline: raw (no stage) beside timestamped and
// json, each through bench/log-pipeline.ts (a real child into a real pipe, maxbytes 50MB,
// 10 backups, as supervisor's defaults).
// Prints, per format, the median of RUNS: input MB/s, the daemon side's CPU seconds, the
// bytes written, and the ratio to raw. supervisord has no formats: raw is its behaviour.
//
//   node --import tsx bench/log-formats.ts [MB=100] [RUNS=5]
import type { ChildLogFormat } from '../src/config/ext-log-format.ts';
import { lineFormat } from '../src/logs/line-format.ts';
import { runPipeline, type PipelineRun } from './log-pipeline.ts';
import { fmt, median, table } from './lib/stats.ts';

const [mb = 100, runs = 5] = process.argv.slice(2).map(Number);
const FORMATS: ChildLogFormat[] = ['raw', 'timestamped', 'json'];

const once = (format: ChildLogFormat): Promise<PipelineRun> =>
  runPipeline(mb, { maxBytes: 50 * 1024 * 1024, backups: 10, stripAnsi: false, lineFormat: lineFormat(format, 'bench', 'chatty', 'stdout') });

const results = new Map<ChildLogFormat, PipelineRun[]>(FORMATS.map((f) => [f, []]));
// Interleaved, so a change in the machine's load touches every format alike.
for (let i = 0; i < runs; i++) for (const f of FORMATS) results.get(f)!.push(await once(f));

const med = (f: ChildLogFormat, k: keyof PipelineRun) => median(results.get(f)!.map((r) => r[k]));
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
