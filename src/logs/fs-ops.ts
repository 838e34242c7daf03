// File procedures written once and run two ways. A child's log must not block the event
// loop on a slow disk, so once its inline writes stall, its writes and rotations go to
// libuv's pool (rotating-file.ts); the main log writes synchronously (see main-log.ts), so
// the same rotation code has to run inline too.
// A procedure is a generator that yields operations; a runner performs each one either
// with the *Sync call or with the callback call, and sends the result back in.
import * as fs from 'node:fs';

/** One file-system call, in both flavours. */
export interface Op<T> {
  sync(): T;
  async(): Promise<T>;
}

export type Proc<T> = Generator<Op<unknown>, T, unknown>;

/** Perform `op` inside a procedure and get its result (the one cast lives here). */
export function* call<T>(op: Op<T>): Proc<T> {
  return (yield op) as T;
}

export function runSync<T>(proc: Proc<T>): T {
  let step = proc.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = step.value.sync();
    } catch (e) {
      step = proc.throw(e);
      continue;
    }
    step = proc.next(result);
  }
  return step.value;
}

export async function runAsync<T>(proc: Proc<T>): Promise<T> {
  let step = proc.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = await step.value.async();
    } catch (e) {
      step = proc.throw(e);
      continue;
    }
    step = proc.next(result);
  }
  return step.value;
}

const promised = <T>(start: (done: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));

export const openOp = (path: string, flags: number, mode = 0o666): Op<number> => ({
  sync: () => fs.openSync(path, flags, mode),
  async: () => promised<number>((done) => fs.open(path, flags, mode, done)),
});

export const closeOp = (fd: number): Op<void> => ({
  sync: () => fs.closeSync(fd),
  async: () => promised<void>((done) => fs.close(fd, (err) => done(err, undefined))),
});

export const fstatOp = (fd: number): Op<fs.Stats> => ({
  sync: () => fs.fstatSync(fd),
  async: () => promised<fs.Stats>((done) => fs.fstat(fd, done)),
});

/** os.path.exists: true when stat succeeds, false on any error. */
export const existsOp = (path: string): Op<boolean> => ({
  sync: () => fs.existsSync(path),
  async: () => new Promise((resolve) => fs.stat(path, (err) => resolve(!err))),
});

export const unlinkOp = (path: string): Op<void> => ({
  sync: () => fs.unlinkSync(path),
  async: () => promised<void>((done) => fs.unlink(path, (err) => done(err, undefined))),
});

export const renameOp = (from: string, to: string): Op<void> => ({
  sync: () => fs.renameSync(from, to),
  async: () => promised<void>((done) => fs.rename(from, to, (err) => done(err, undefined))),
});

/** One write(v) at the fd's current position; returns the bytes written (may be short). */
export const writevOp = (fd: number, buffers: Buffer[]): Op<number> =>
  // A lone buffer takes write(2): Node's writev path costs several µs more per call,
  // which is most of a main-log line.
  buffers.length === 1
    ? {
        sync: () => fs.writeSync(fd, buffers[0]),
        async: () => promised<number>((done) => fs.write(fd, buffers[0], (err, n) => done(err, n))),
      }
    : {
        sync: () => fs.writevSync(fd, buffers),
        async: () => promised<number>((done) => fs.writev(fd, buffers, (err, n) => done(err, n))),
      };

/** The buffers left after the first `n` bytes of `bufs` were written. */
function advance(bufs: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < bufs.length && n >= bufs[i].length) n -= bufs[i++].length;
  const rest = bufs.slice(i);
  if (n > 0) rest[0] = rest[0].subarray(n);
  return rest;
}

/** Write every byte, looping over short writes; `wrote(n)` counts each writev's bytes. */
export function* writeAll(fd: number, bufs: Buffer[], wrote: (n: number) => void): Proc<void> {
  let rest = bufs;
  while (rest.length > 0) {
    const n = yield* call(writevOp(fd, rest));
    if (n <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
    wrote(n);
    rest = advance(rest, n);
  }
}

export const errnoCode = (e: unknown): string | undefined =>
  e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
