// Resident set sizes from /proc, where superlance's memmon runs `ps` per process: VmRSS of
// /proc/<pid>/status is what `ps -orss=` prints (KiB), so the figures are the same.
import { readdirSync, readFileSync } from 'node:fs';

/** The RSS of pid in bytes, or null when it is gone (or a zombie, which has none). */
export function rssOf(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Every live pid's children, from /proc/<pid>/stat (the comm may hold spaces and parentheses). */
export function childrenByParent(): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
      out.set(parent, [...(out.get(parent) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * memmon -c: the RSS of pid and every descendant; null when pid itself is gone. One
 * snapshot of the process tree serves a whole check, not one /proc scan per process.
 */
export function cumulativeRssOf(pid: number, children: Map<number, number[]>): number | null {
  const own = rssOf(pid);
  if (own === null) return null;
  let sum = own;
  for (const queue = [...(children.get(pid) ?? [])]; queue.length; ) {
    const p = queue.shift()!;
    sum += rssOf(p) ?? 0;
    for (const c of children.get(p) ?? []) queue.push(c);
  }
  return sum;
}
