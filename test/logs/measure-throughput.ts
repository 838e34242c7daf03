// Not a test: measures the child-output pipeline. A real child writes TOTAL MB as fast
// as its pipe allows; the time runs from spawn to the last byte being in the log files.
//   node --import tsx test/logs/measure-throughput.ts [MB=200] [maxbytes=50MB] [backups=10] [strip=0] [hwm=262144] [taps=0]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildOutput } from '../../src/logs/child-output.ts';

const [mb = 200, maxBytes = 50 * 1024 * 1024, backups = 10, strip = 0, hwm = 262144, taps = 0] = process.argv.slice(2).map(Number);
const chatty = fileURLToPath(new URL('../fixtures/logs/chatty.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'statevisor-throughput-'));
try {
  let tapped = 0;
  const out = await ChildOutput.open({
    channel: 'stdout',
    logfile: join(dir, 'chatty.log'),
    maxBytes,
    backups,
    stripAnsi: strip === 1,
    highWaterMark: hwm,
    taps: taps ? [(c) => (tapped += c.length)] : [],
  });
  const child = spawn(process.execPath, [chatty, String(mb * 1024 * 1024), '65536', 'signal'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const done = out.attach(child.stdout);
  // The clock starts when the child has built its data and begins to write.
  await new Promise((resolve) => child.stderr.once('data', resolve));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${mb} MB in ${seconds.toFixed(3)} s = ${(mb / seconds).toFixed(0)} MB/s ` +
      `(maxbytes=${maxBytes} backups=${backups} strip=${strip} hwm=${hwm} taps=${taps}${taps ? ` tapped=${tapped}` : ''}; ` +
      `our CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
