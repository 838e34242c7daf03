// The floor under the events row: a bare Node process playing the daemon's side of the
// listener protocol with the same listener (lib/ack-listener.py) over pipes, nothing else
// (no XML-RPC, no buffer, no machine, no log). Write an envelope, read until `RESULT 2\nOK`
// and `READY\n` are in, write the next. What any Node daemon can reach on this machine.
//   node --import tsx bench/events-floor.ts [n=2000 …]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/daemon.ts';

export interface FloorResult {
  n: number;
  /** Events per second the listener got, first to last (its stamps, as bench/events.ts reads them). */
  perSecond: number;
  /** This process's CPU (utime + stime) from the spawn to the last answer, per event. */
  cpuUsPerEvent: number;
}

const ACK = Buffer.from('RESULT 2\nOKREADY\n');

export async function floor(n: number): Promise<FloorResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-evfloor-'));
  const stampFile = join(dir, 'ack.log');
  try {
    const cpu0 = process.cpuUsage();
    const child = spawn(join(ROOT, 'bench', 'lib', 'ack-listener.py'), [stampFile], { stdio: ['pipe', 'pipe', 'inherit'] });
    let sent = 0;
    let pending = 0; // bytes of the answer still to come: READY\n first, then RESULT…READY per event
    const send = () => {
      const payload = `type:bench\n\nevent ${sent}`;
      child.stdin.write(`ver:3.0 server:supervisor serial:${sent} pool:ack poolserial:${sent} eventname:REMOTE_COMMUNICATION len:${payload.length}\n${payload}`);
      sent++;
      pending = ACK.length;
    };
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      pending = 'READY\n'.length;
      child.stdout.on('data', (chunk: Buffer) => {
        // The listener's answers are fixed bytes: counting them is all the parsing needed.
        pending -= chunk.length;
        if (pending > 0) return;
        if (sent === n) return resolve();
        send();
      });
    });
    const cpu = process.cpuUsage(cpu0);
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    const t = readFileSync(stampFile, 'utf8').split('\n').filter(Boolean).map((l) => Number(l.split(' ')[0]));
    return { n, perSecond: (n - 1) / (t[n - 1] - t[0]), cpuUsPerEvent: (cpu.user + cpu.system) / n };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of process.argv.slice(2).map(Number).concat(process.argv.length > 2 ? [] : [2000])) {
    const r = await floor(n);
    process.stdout.write(`${n} events: ${r.perSecond.toFixed(0)} /s, ${r.cpuUsPerEvent.toFixed(1)} µs CPU per event\n`);
  }
}
