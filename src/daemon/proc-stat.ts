// A child's resource use as the kernel counts it in /proc/<pid>/stat (proc(5)): its
// resident set and the CPU time it spent, in user and system mode.
import { closeSync, openSync, readSync } from 'node:fs';
import { libc } from '../runtime/native.ts';

export interface ProcStat {
  rssBytes: number;
  cpuSeconds: number;
}

// Linux's usual values, for where sysconf() is out of reach.
const units = (() => {
  const c = libc();
  return c instanceof Error ? { clockTicks: 100, pageSize: 4096 } : { clockTicks: c.clockTicks, pageSize: c.pageSize };
})();

/** proc(5)'s field numbers, counted from 1 (pid), 2 (comm), 3 (state). */
const UTIME = 14;
const STIME = 15;
const RSS = 24;

const SPACE = 0x20;
const CLOSE_PAREN = 0x29;
const ZERO = 0x30;

/** One line of /proc/PID/stat fits (52 fields and a 16-byte comm): one read(2) takes it. */
const buffer = Buffer.alloc(1024);

/**
 * The numeric fields UTIME, STIME and RSS of the `length` bytes in `buffer`, read in place:
 * a scrape reads 1,000 of these, and splitting each line into 52 strings left 52,000 for
 * the collector. comm (field 2) may hold spaces and parentheses, so fields are counted
 * from the last `)`.
 */
function parse(length: number): ProcStat | null {
  // a negative offset would search from the end of the buffer, through an older line
  if (length <= 0) return null;
  let at = buffer.lastIndexOf(CLOSE_PAREN, length - 1);
  if (at < 0) return null;
  let field = 2;
  let utime = 0;
  let stime = 0;
  let rss = 0;
  // `) S …`: each space after the `)` starts the next field
  for (at++; at < length && field <= RSS; at++) {
    const c = buffer[at]!;
    if (c === SPACE) field++;
    else if (field === UTIME) utime = utime * 10 + (c - ZERO);
    else if (field === STIME) stime = stime * 10 + (c - ZERO);
    else if (field === RSS) rss = rss * 10 + (c - ZERO);
  }
  if (field <= RSS) return null;
  return { rssBytes: rss * units.pageSize, cpuSeconds: (utime + stime) / units.clockTicks };
}

/** The pid's counters, or null when it is gone. */
export function procStat(pid: number): ProcStat | null {
  let length: number;
  try {
    const fd = openSync(`/proc/${pid}/stat`, 'r');
    try {
      length = readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  return parse(length);
}
