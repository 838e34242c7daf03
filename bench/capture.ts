// Child log capture through the daemon: one program writes 256 MB to its stdout as fast as
// its pipe takes it, and the daemon logs it to its AUTO stdout file with the default rotation
// (50MB, 10 backups), as a user's config would. The writer is dd from /dev/zero in 128 KiB
// writes: C speed, one write(2) per 128 KiB, so the daemon's reading and writing is what the
// clock sees. Both daemons log `spawned:` right after the fork and `exited:` when they reap
// the writer, which has then handed its last byte to the pipe; the time between the two
// lines' arrival on the daemon's stdout (the same path for both lines, so its lag cancels)
// is the figure, and the log files are checked to hold all 256 MB once the daemon is done.
// Beside it, the writer alone straight into a file in the same directory: the ceiling that
// the writer and the disk set, with no daemon in between.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { withDaemon, type Kind } from './lib/daemon.ts';
import { cpuSeconds } from './lib/proc.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const CAPTURE_MB = 256;
const BLOCK_KB = 128;
const WRITER = `/bin/dd if=/dev/zero bs=${BLOCK_KB}k count=${(CAPTURE_MB * 1024) / BLOCK_KB} status=none`;

export interface CaptureResult {
  kind: Kind;
  /** spawned: → exited:, seconds. */
  seconds: number;
  mbps: number;
  /** The daemon's utime+stime over that time. */
  cpuS: number;
  /** Files the output landed in (the live one and its backups). */
  files: number;
}

const program = ['[program:writer]', `command = ${WRITER}`, 'startsecs = 0', 'autorestart = false', ''].join('\n');

/** Bytes in the writer's stdout log and its backups (AUTO names start with the program's). */
function logged(dir: string): { bytes: number; files: number } {
  const names = readdirSync(dir).filter((n) => n.startsWith('writer-stdout'));
  return { bytes: names.reduce((n, f) => n + statSync(join(dir, f)).size, 0), files: names.length };
}

export async function capture(kind: Kind): Promise<CaptureResult> {
  return withDaemon({ kind, programs: program }, async (d) => {
    const spawned = await d.waitFor(/^spawned: 'writer'/, 1, 30000);
    const cpu0 = cpuSeconds(d.pid) ?? NaN;
    const exited = await d.waitFor(/^exited: writer /, 1, 120000);
    const cpuS = (cpuSeconds(d.pid) ?? NaN) - cpu0;
    const want = CAPTURE_MB * 1024 * 1024;
    let got = logged(d.dir);
    for (const until = performance.now() + 10000; got.bytes < want && performance.now() < until; got = logged(d.dir)) await sleep(20);
    if (got.bytes !== want) throw new Error(`${kind}: the log files hold ${got.bytes} bytes, not ${want}\n${d.tail()}`);
    const seconds = (exited.t - spawned.t) / 1000;
    return { kind, seconds, mbps: CAPTURE_MB / seconds, cpuS, files: got.files };
  });
}

/** The writer alone into a file of `dir`: MB/s. */
export function writerAlone(dir: string): number {
  const file = join(dir, 'alone.out');
  const t = performance.now();
  const r = spawnSync('/bin/sh', ['-c', `${WRITER} > ${file}`], { stdio: 'ignore' });
  const seconds = (performance.now() - t) / 1000;
  rmSync(file, { force: true });
  if (r.status !== 0) throw new Error(`the writer alone failed: ${r.status ?? r.signal}`);
  return CAPTURE_MB / seconds;
}
