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

/** Fields after `(comm)`, which may hold spaces and parentheses: state is field 3. */
const UTIME = 14 - 3;
const STIME = 15 - 3;
const RSS = 24 - 3;

/** One line of /proc/PID/stat fits (52 fields and a 16-byte comm): one read(2) takes it. */
const buffer = Buffer.alloc(1024);

/** The pid's counters, or null when it is gone. A scrape reads 1,000 of these: open, read, close only. */
export function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    const fd = openSync(`/proc/${pid}/stat`, 'r');
    try {
      text = buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    rssBytes: Number(fields[RSS]) * units.pageSize,
    cpuSeconds: (Number(fields[UTIME]) + Number(fields[STIME])) / units.clockTicks,
  };
}
