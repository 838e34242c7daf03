// The floor under the events row: the daemon's side of the listener protocol and nothing
// else (no XML-RPC, no buffer, no machine, no log), with the same listener
// (lib/ack-listener.py) over pipes: write an envelope, read until `RESULT 2\nOK` and
// `READY\n` are in, write the next. Played by a bare Node process (what any Node daemon
// can reach on this machine) and by plain Python with blocking reads (lib/ack-floor.py:
// what any daemon can reach with this listener).
//   node --import tsx bench/events-floor.ts [n=2000 …]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/daemon.ts';

const LIB = join(ROOT, 'bench', 'lib');
const LISTENER = join(LIB, 'ack-listener.py');

export interface FloorResult {
  n: number;
  /** Events per second the listener got, first to last (its stamps, as bench/events.ts reads them). */
  perSecond: number;
  /** The daemon side's CPU (utime + stime) from the listener's spawn to the last answer, per event. */
  cpuUsPerEvent: number;
}

const ACK_BYTES = 'RESULT 2\nOKREADY\n'.length;

/** n events played by `play`, which returns its CPU in seconds; the rate from the listener's stamps. */
async function measure(n: number, play: (stamps: string) => Promise<number>): Promise<FloorResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-evfloor-'));
  try {
    const stampFile = join(dir, 'ack.log');
    const cpuS = await play(stampFile);
    const t = readFileSync(stampFile, 'utf8').split('\n').filter(Boolean).map((l) => Number(l.split(' ')[0]));
    if (t.length !== n) throw new Error(`the listener stamped ${t.length} events of ${n}`);
    return { n, perSecond: (n - 1) / (t[n - 1] - t[0]), cpuUsPerEvent: (cpuS * 1e6) / n };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** This Node process plays the daemon's side. Run it in a fresh process: JIT warm-up is part of the figure. */
export function nodeFloor(n: number): Promise<FloorResult> {
  return measure(n, async (stamps) => {
    const cpu0 = process.cpuUsage();
    const child = spawn(LISTENER, [stamps], { stdio: ['pipe', 'pipe', 'inherit'] });
    let sent = 0;
    // Bytes of the answer still to come: READY\n first, then RESULT…READY per event.
    let pending = 'READY\n'.length;
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        pending -= chunk.length;
        if (pending > 0) return;
        if (sent === n) return resolve();
        const payload = `type:bench\n\nevent ${sent}`;
        child.stdin.write(`ver:3.0 server:supervisor serial:${sent} pool:ack poolserial:${sent} eventname:REMOTE_COMMUNICATION len:${payload.length}\n${payload}`);
        sent++;
        pending = ACK_BYTES;
      });
    });
    const cpu = process.cpuUsage(cpu0);
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    return (cpu.user + cpu.system) / 1e6;
  });
}

/** lib/ack-floor.py plays it. */
export function pythonFloor(n: number): Promise<FloorResult> {
  return measure(n, async (stamps) => {
    const r = spawnSync(join(LIB, 'ack-floor.py'), [LISTENER, String(n), stamps], { encoding: 'utf8', timeout: 300000 });
    if (r.status !== 0) throw new Error(`ack-floor.py: ${r.stderr}`);
    return Number(r.stdout.trim());
  });
}

/** nodeFloor(n) in a fresh Node process, as a fresh daemon would run it. */
export function freshNodeFloor(n: number): FloorResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(import.meta.url)}).then(async (m) => process.stdout.write(JSON.stringify(await m.nodeFloor(${n}))))`], { encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(`nodeFloor(${n}): ${r.stderr}`);
  return JSON.parse(r.stdout) as FloorResult;
}

/** One line for the bench's notes. */
export const describeFloor = (who: string, r: FloorResult): string => `${who} ${r.n} events: ${r.perSecond.toFixed(0)} /s, ${r.cpuUsPerEvent.toFixed(1)} µs CPU per event`;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of process.argv.length > 2 ? process.argv.slice(2).map(Number) : [2000]) {
    process.stdout.write(`${describeFloor('bare Node', freshNodeFloor(n))}\n${describeFloor('plain Python', await pythonFloor(n))}\n`);
  }
}
