// A child's resource use as the kernel counts it in /proc/<pid>/stat (proc(5)): its
// resident set and the CPU time it spent, in user and system mode.
import { readFileSync } from 'node:fs';
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

/** The pid's counters, or null when it is gone. */
export function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    rssBytes: Number(fields[RSS]) * units.pageSize,
    cpuSeconds: (Number(fields[UTIME]) + Number(fields[STIME])) / units.clockTicks,
  };
}
