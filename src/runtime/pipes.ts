// Real pipes for a child's stdio, which Node cannot make: its stdio 'pipe' is a
// socketpair, and a socket as fd 1 breaks what supervisor's os.pipe() allows. Opening
// /dev/stdout or /proc/self/fd/1 fails with ENXIO (nginx's `access_log /dev/stdout`,
// `echo x > /dev/stderr` in sh), `[ -p /dev/stdin ]` is false, the buffer is not 64 KiB.
// Node also never hands us the child's end of that socketpair, so stderr could not share
// stdout's pipe for redirect_stderr. With our own pipe we hold both ends as fds.
//
// How: pipe2(O_CLOEXEC) through libc (native.ts). Where libc is out of reach (and with
// STATEVISOR_SPAWN=node, which runs that path), without pipe(2): mkfifo(1) makes named
// FIFOs in a private directory, 128 per exec. Each pipe takes one: open it O_RDWR (never
// blocks on Linux) to bring the pipe into being, unlink the name, and open /proc/self/fd/N
// twice, for reading and for writing; those reach the same pipe with no name left to find
// it by. The child sees a FIFO whose /proc link reads `/tmp/statevisor-pipes-…/7 (deleted)`
// rather than `pipe:[…]`.
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Libc } from './native.ts';

export interface Pipe {
  read: number;
  write: number;
}

// A spawn takes up to three; the pool is topped up in the background (an execFileSync of
// mkfifo blocks the loop for a fork's time) and refilled synchronously only when empty.
const BATCH = 128;
const LOW_WATER = 48;
const MKFIFO = ['/usr/bin/mkfifo', '/bin/mkfifo'].find((p) => existsSync(p)) ?? 'mkfifo';

let dir: string | null = null;
let serial = 0;
let toppingUp = false;
const pool: string[] = [];

/** The directory a process makes its FIFOs in is named for its pid: `${PREFIX}${pid}-${ns}-…`. */
export const PREFIX = 'statevisor-pipes-';

/**
 * The pid namespace's inode: a pid means a process only within its namespace, and a daemon
 * in a container (or `unshare --pid`) may share /tmp with daemons outside it.
 */
function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
  } catch {
    return '0';
  }
}

// A daemon that was SIGKILLed could not remove its directory; the next one in the same pid
// namespace does.
function sweepDead(ns: string): void {
  let names: string[] = [];
  try { names = readdirSync(tmpdir()); } catch { /* nothing to sweep */ }
  for (const name of names) {
    const [pid, owner] = name.startsWith(PREFIX) ? name.slice(PREFIX.length).split('-') : [];
    if (owner === ns && Number(pid) > 0 && !existsSync(`/proc/${pid}`)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function nextNames(): string[] {
  if (dir === null) {
    const ns = pidNamespace();
    sweepDead(ns);
    const made = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-${ns}-`));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    dir = made;
  }
  const names: string[] = [];
  for (let i = 0; i < BATCH; i++) names.push(join(dir, String(serial++)));
  return names;
}

const mkfifoArgs = (names: string[]) => ['-m', '600', '--', ...names];

function topUp(): void {
  if (toppingUp || pool.length >= LOW_WATER) return;
  toppingUp = true;
  const names = nextNames();
  execFile(MKFIFO, mkfifoArgs(names), (error) => {
    toppingUp = false;
    if (!error) pool.push(...names);
  });
}

/**
 * A new pipe (through `c`, else an anonymous-in-effect FIFO), both ends blocking and
 * close-on-exec (libuv opens every fd O_CLOEXEC; spawn dups the child's end into 0/1/2
 * without it). Throws the pipe2(2) or open(2) error (EMFILE, ENFILE…) with its `code`.
 */
export function makePipe(c: Libc | null): Pipe {
  if (c) return c.pipe();
  if (pool.length === 0) {
    const names = nextNames();
    execFileSync(MKFIFO, mkfifoArgs(names), { stdio: 'ignore' });
    pool.push(...names);
  }
  const name = pool.pop() ?? '';
  topUp();
  const anchor = openSync(name, constants.O_RDWR);
  try {
    unlinkSync(name);
    const self = `/proc/self/fd/${anchor}`;
    const read = openSync(self, constants.O_RDONLY);
    try {
      return { read, write: openSync(self, constants.O_WRONLY) };
    } catch (e) {
      closeSync(read);
      throw e;
    }
  } finally {
    closeSync(anchor);
  }
}
