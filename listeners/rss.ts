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

/** Every live pid's parent, read from /proc/<pid>/stat (the comm may hold spaces and parentheses). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      out.set(Number(entry), Number(fields[1]));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** pid and all its descendants. */
export function treeOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents()) children.set(parent, [...(children.get(parent) ?? []), child]);
  const out: number[] = [];
  for (const queue = [pid]; queue.length; ) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** memmon -c: the RSS of pid and every descendant; null when pid itself is gone. */
export function cumulativeRssOf(pid: number): number | null {
  const own = rssOf(pid);
  if (own === null) return null;
  return treeOf(pid).slice(1).reduce((sum, p) => sum + (rssOf(p) ?? 0), own);
}
