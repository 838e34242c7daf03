// The child-output pipeline in-process, on the daemon's own path: a real child
// (test/fixtures/logs/chatty.mjs) writes MB of numbered lines of 20-170 bytes into a real pipe
// (runtime/pipes.ts) as fast as it takes them; PipeReader reads it into a ChildOutput. The
// clock runs from the child's first write (it says "go" on stderr once its data is built) to
// the last byte in the closed log file. bench/log-formats.ts runs it per log_format; run alone
// it prints one measurement:
//   node --import tsx bench/log-pipeline.ts [MB=200] [maxbytes=50MB] [backups=10] [strip=0] [hwm=262144] [taps=0]
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildOutput, type ChildOutputOptions } from '../src/logs/child-output.ts';
import { libc } from '../src/runtime/native.ts';
import { makePipe } from '../src/runtime/pipes.ts';
import { PipeReader } from '../src/runtime/pipe-reader.ts';

/** The daemon's way to make a pipe: pipe2(2) through libc where it loads, else FIFOs. */
const nativeOrNull = () => {
  const c = libc();
  return c instanceof Error ? null : c;
};

const CHATTY = fileURLToPath(new URL('../test/fixtures/logs/chatty.mjs', import.meta.url));

export interface PipelineRun {
  mbps: number;
  /** This process's CPU seconds over the run: the daemon side's cost. */
  cpu: number;
  /** Bytes in the log files afterwards. */
  written: number;
}

/** One run: `mb` MB through a ChildOutput made of `options` (channel and logfile are set here). */
export async function runPipeline(mb: number, options: Omit<ChildOutputOptions, 'channel' | 'logfile'>): Promise<PipelineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'statevisor-pipeline-'));
  try {
    const out = ChildOutput.openSync({ ...options, channel: 'stdout', logfile: join(dir, 'chatty.log') });
    const pipe = makePipe(nativeOrNull());
    const child = spawn(process.execPath, [CHATTY, String(mb * 1024 * 1024), '65536', 'signal'], { stdio: ['ignore', pipe.write, 'pipe'] });
    closeSync(pipe.write);
    const done = out.attach(new PipeReader(pipe.read));
    await new Promise((resolve) => child.stderr!.once('data', resolve));
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mb = 200, maxBytes = 50 * 1024 * 1024, backups = 10, strip = 0, hwm = 262144, taps = 0] = process.argv.slice(2).map(Number);
  let tapped = 0;
  const r = await runPipeline(mb, { maxBytes, backups, stripAnsi: strip === 1, highWaterMark: hwm, taps: taps ? [(c) => (tapped += c.length)] : [] });
  console.log(
    `${mb} MB at ${r.mbps.toFixed(0)} MB/s (maxbytes=${maxBytes} backups=${backups} strip=${strip} hwm=${hwm} taps=${taps}${taps ? ` tapped=${tapped}` : ''}; ` +
      `our CPU ${r.cpu.toFixed(2)} s)`,
  );
}
