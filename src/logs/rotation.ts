// supervisor's FileHandler open and RotatingFileHandler.doRollover, as procedures that
// run synchronously or on libuv's pool (fs-ops.ts). Names and order of renames match
// loggers.py exactly, so an external tool sees the same files appear in the same order.
import { constants as C } from 'node:fs';
import { call, closeOp, errnoCode, existsOp, fstatOp, openOp, renameOp, unlinkOp, type Proc } from './fs-ops.ts';

/** open(path, 'ab'): O_APPEND, so a file shared with `>>` writers is never overwritten. */
export const APPEND_FLAGS = C.O_WRONLY | C.O_CREAT | C.O_APPEND;
/** open(path, 'wb'): the fallback for special files that refuse 'ab' with ESPIPE. */
export const WRITE_FLAGS = C.O_WRONLY | C.O_CREAT | C.O_TRUNC;
// After a rollover supervisor opens the new file 'wb'. O_APPEND on top changes nothing
// for our own writes (we are at the end anyway) but keeps a copytruncate-style external
// rotation from leaving a sparse file behind our offset.
export const ROLLOVER_FLAGS = WRITE_FLAGS | C.O_APPEND;

export interface OpenedFile {
  fd: number;
  /** The flags that reopen() must use: append, or write after an ESPIPE fallback. */
  flags: number;
  /** Current size of a regular file; 0 for pipes and devices. */
  size: number;
  /** Only regular files are rotated: see RotatingFile for why. */
  regular: boolean;
}

function* describe(fd: number, flags: number): Proc<OpenedFile> {
  const st = yield* call(fstatOp(fd));
  return { fd, flags, size: st.isFile() ? st.size : 0, regular: st.isFile() };
}

/** FileHandler.__init__: open 'ab', and on ESPIPE retry 'wb' (python bug 27805). */
export function* openLogFile(path: string, flags = APPEND_FLAGS): Proc<OpenedFile> {
  let fd: number;
  try {
    fd = yield* call(openOp(path, flags));
  } catch (e) {
    if (flags !== APPEND_FLAGS || errnoCode(e) !== 'ESPIPE') throw e;
    flags = WRITE_FLAGS;
    fd = yield* call(openOp(path, flags));
  }
  try {
    return yield* describe(fd, flags);
  } catch (e) {
    yield* call(closeOp(fd));
    throw e;
  }
}

export const backupName = (path: string, n: number): string => `${path}.${n}`;

/** removeAndRename: a vanished destination or source is a race to ignore, not an error. */
function* removeAndRename(from: string, to: string): Proc<void> {
  if (yield* call(existsOp(to))) {
    try {
      yield* call(unlinkOp(to));
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e;
    }
  }
  try {
    yield* call(renameOp(from, to));
  } catch (e) {
    // The active log was deleted by someone else (a cleanup script): nothing to keep.
    if (errnoCode(e) !== 'ENOENT') throw e;
  }
}

/**
 * doRollover after the caller has closed the file: shift .N-1→.N … .1→.2, base→.1
 * (backups=0: no renames, the reopen truncates), then open a fresh base file.
 */
export function* rollover(path: string, backups: number): Proc<OpenedFile> {
  if (backups > 0) {
    for (let i = backups - 1; i > 0; i--) {
      const from = backupName(path, i);
      if (yield* call(existsOp(from))) yield* removeAndRename(from, backupName(path, i + 1));
    }
    yield* removeAndRename(path, backupName(path, 1));
  }
  return yield* openLogFile(path, ROLLOVER_FLAGS);
}
