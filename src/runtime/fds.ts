// supervisor's child closes every fd from 3 to minfds before exec. Node's spawn closes
// nothing: it relies on every fd being close-on-exec, which holds for all Node opens
// itself, but not for what the daemon inherited (a shell's fd 3, a CI runner's pipe).
// Those would leak into every child. Node has no fcntl to set FD_CLOEXEC, so each such fd
// is reopened through /proc (libuv opens with O_CLOEXEC) and the original closed: the
// daemon keeps holding what it inherited, as supervisord does, and children see none of it.
import { closeSync, constants, openSync, readdirSync, readFileSync } from 'node:fs';

const O_CLOEXEC = 0o2000000;
const O_ACCMODE = 0o3;

let sealed = false;

/** fds above 2 without close-on-exec, with their open(2) flags. */
export function inheritableFds(): Map<number, number> {
  const found = new Map<number, number>();
  let names: string[];
  try { names = readdirSync('/proc/self/fdinfo'); } catch { return found; }
  for (const name of names) {
    const fd = Number(name);
    if (!(fd > 2)) continue;
    let info: string;
    try { info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'); } catch { continue; }
    const flags = parseInt(/^flags:\s*([0-7]+)/m.exec(info)?.[1] ?? 'x', 8);
    if (!Number.isNaN(flags) && (flags & O_CLOEXEC) === 0) found.set(fd, flags);
  }
  return found;
}

/**
 * Makes every inherited fd above 2 close-on-exec (by reopen + close); once per process is
 * enough, since Node opens nothing without O_CLOEXEC. Returns the fds it replaced.
 */
export function sealInheritedFds(): number[] {
  if (sealed) return [];
  sealed = true;
  const replaced: number[] = [];
  for (const [fd, flags] of inheritableFds()) {
    // O_NONBLOCK: reopening a pipe's write end blocks forever when it has no reader.
    const reopen = (flags & O_ACCMODE) | (flags & constants.O_APPEND) | constants.O_NONBLOCK;
    try { openSync(`/proc/self/fd/${fd}`, reopen); } catch { /* a socket or a dead pipe: nothing to keep */ }
    try { closeSync(fd); } catch { /* closed meanwhile */ }
    replaced.push(fd);
  }
  return replaced;
}
