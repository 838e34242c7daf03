// The daemon's fd table made as large as a start of every program needs, at once. The
// kernel doubles the table as fds are opened past its size, and a process with more than
// one thread (Node has several) then waits for an RCU grace period before it goes on
// (fs/file.c expand_fdtable: synchronize_rcu): 8–20 ms each time here, at 256, 512,
// 1,024, … fds, in the middle of an autostart. One dup2 to the highest fd the start will
// reach pays for one wait instead. The table never shrinks, and a spawn copies it only up
// to the highest fd open (fs/file.c dup_fd), so the size itself costs nothing per spawn.
import { closeSync, openSync } from 'node:fs';
import { libc } from '../runtime/native.ts';
import { SPAWNS_IN_FLIGHT } from '../runtime/posix-spawn.ts';
import { current } from './limits.ts';

/**
 * What a program keeps open: its stdin's, stdout's and stderr's pipe ends and two log
 * files; a spawn under way also holds its child's three ends.
 */
const FDS_PER_PROGRAM = 5;
const FDS_PER_SPAWN = 3;
/** The daemon's own: Node's, the main log, the servers' sockets, their clients. */
const OWN_FDS = 256;

/** Grow the fd table for `programs` (best effort: a libc out of reach, or a low RLIMIT_NOFILE, leaves it to grow as before). */
export function growFdTable(programs: number): void {
  const c = libc();
  if (c instanceof Error || programs === 0) return;
  const fd = openSync('/dev/null', 'r');
  try {
    const want = OWN_FDS + programs * FDS_PER_PROGRAM + Math.min(programs, SPAWNS_IN_FLIGHT) * FDS_PER_SPAWN;
    const [soft] = current('Max open files');
    c.touchFd(fd, soft === -1 ? want : Math.min(want, soft - 1));
  } finally {
    closeSync(fd);
  }
}
