// Handing back the pages start-up touched and running does not need. Two thirds of an
// idle daemon's RSS are pages of the node binary and its libraries (200 programs: 44 of
// 64 MB), mapped in as start-up ran through them: the module loader, the parser, the
// compilers, ICU. They are clean copies of the files, so dropping them from the daemon's
// page tables (madvise(MADV_DONTNEED), madvise(2)) loses nothing: the page cache keeps
// them, and the next read of one faults it back in without any disk I/O. What the daemon
// then runs comes back (a crash → restart loop brings about 20 MB back); the rest stays
// out of its RSS, and out of its PSS for the kernel's reclaim. glibc's malloc_trim gives
// back what start-up freed in its heaps (malloc_trim(3)).
import { readFileSync } from 'node:fs';
import { libc } from '../runtime/native.ts';

export interface Mapping {
  start: bigint;
  end: bigint;
  /** As /proc shows them: "r-xp". */
  perms: string;
  inode: number;
  path: string;
  /** Pages of it copied on write (relocations, RELRO): these are ours, not the file's. */
  anonymousKb: number;
}

const HEADER = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ (\d+)\s*(.*)$/;
const ANONYMOUS = /^Anonymous:\s+(\d+) kB/;

/** The mappings of /proc/<pid>/smaps (proc(5)). */
export function parseSmaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split('\n')) {
    const h = HEADER.exec(line);
    if (h) {
      out.push({ start: BigInt(`0x${h[1]}`), end: BigInt(`0x${h[2]}`), perms: h[3], inode: Number(h[4]), path: h[5], anonymousKb: 0 });
      continue;
    }
    const a = ANONYMOUS.exec(line);
    if (a && out.length > 0) out[out.length - 1].anonymousKb = Number(a[1]);
  }
  return out;
}

/**
 * The mappings whose resident pages are the file's own: private, read-only, of a file on
 * disk, none copied on write (a library's RELRO part is read-only now but was written by
 * the dynamic linker: dropping it would undo the relocations).
 */
export const fileCopies = (maps: Mapping[]): Mapping[] =>
  maps.filter((m) => m.inode !== 0 && m.path.startsWith('/') && m.perms[1] === '-' && m.perms[3] === 'p' && m.anonymousKb === 0);

/**
 * Drop the daemon's resident file pages and trim malloc's heaps; false where /proc or
 * libc is out of reach (nothing is done then).
 *
 * The mappings are read and advised in one synchronous run; the only ones that could be
 * unmapped meanwhile are a library's on dlclose, which Node never does.
 */
export function releasePages(): boolean {
  const c = libc();
  if (c instanceof Error) return false;
  let smaps: string;
  try {
    smaps = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return false;
  }
  c.mallocTrim();
  for (const m of fileCopies(parseSmaps(smaps))) {
    try {
      c.dropPages(m.start, m.end - m.start);
    } catch {
      // a locked mapping (mlockall) refuses the advice (EINVAL): it stays resident
    }
  }
  return true;
}
