// Pure helpers of supervisor's rpcinterface.py and options.py that the daemon's
// SupervisorApi uses: _interpretProcessInfo, readFile and tailFile.
import { open, type FileHandle } from 'node:fs/promises';
import { Faults, RpcFault } from '../faults.ts';
import { ProcessStates } from '../states.ts';
import type { ProcessInfo } from '../client/wire.ts';
import { timedelta } from '../util/timedelta.ts';

export { timedelta };

/** supervisor's capped_int over a time in ms: whole seconds, clamped to 32 bits. */
export const cappedSeconds = (ms: number): number => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(ms / 1000)));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') of a local time (seconds). */
export function stopTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const h12 = d.getHours() % 12 || 12;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${p2(d.getDate())} ${p2(h12)}:${p2(d.getMinutes())} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
}

/** _interpretProcessInfo. */
export function interpretProcessInfo(info: Omit<ProcessInfo, 'description'>): string {
  const state = info.state;
  if (state === ProcessStates.RUNNING) return `pid ${info.pid}, uptime ${timedelta(Math.max(0, info.now - info.start))}`;
  if (state === ProcessStates.FATAL || state === ProcessStates.BACKOFF) return info.spawnerr || `unknown error (try "tail ${info.name}")`;
  if (state === ProcessStates.STOPPED || state === ProcessStates.EXITED) return info.start ? stopTime(info.stop) : 'Not started';
  return '';
}

/** Bytes as supervisor's as_string decodes them (UTF-8, invalid bytes replaced). */
const asString = (b: Buffer): string => b.toString('utf8');

/** The most one read of a log asks for: memory grows with what is read, not with what is asked. */
const READ_CHUNK = 1024 * 1024;

/**
 * Up to `length` bytes from `position`, or fewer at the end of the file, as Python's
 * f.read(length). A caller may ask for 2 GiB of a 10-byte file: nothing is allocated
 * for bytes that are not there, and the event loop reads in chunks instead of waiting.
 */
async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const expected = Math.max(0, (await fh.stat()).size - position);
  const chunks: Buffer[] = [];
  let got = 0;
  while (got < length) {
    const want = Math.min(length - got, READ_CHUNK, Math.max(expected - got, 64 * 1024));
    const buf = Buffer.allocUnsafe(want);
    const { bytesRead } = await fh.read(buf, 0, want, position + got);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    got += bytesRead;
  }
  return Buffer.concat(chunks, got);
}

/** options.readFile: faults BAD_ARGUMENTS / FAILED as the RPC layer maps its ValueErrors. */
export async function readFile(filename: string, offset: number, length: number): Promise<string> {
  if (offset < 0 ? length !== 0 : length < 0) throw new RpcFault(Faults.BAD_ARGUMENTS);
  let fh: FileHandle;
  try {
    fh = await open(filename, 'r');
  } catch {
    throw new RpcFault(Faults.FAILED);
  }
  try {
    if (offset < 0) {
      const pos = Math.max(0, (await fh.stat()).size + offset);
      return asString(await readAt(fh, pos, -offset));
    }
    return asString(await readAt(fh, offset, length === 0 ? Infinity : length));
  } catch {
    throw new RpcFault(Faults.FAILED);
  } finally {
    await fh.close();
  }
}

/** options.tailFile. */
export async function tailFile(filename: string, offset: number, length: number): Promise<[string, number, boolean]> {
  let fh: FileHandle;
  try {
    fh = await open(filename, 'r');
  } catch {
    return ['', offset, false];
  }
  try {
    let overflow = false;
    const sz = (await fh.stat()).size;
    if (sz > offset + length) {
      overflow = true;
      offset = sz - 1;
    }
    if (offset + length > sz) {
      if (offset > sz - 1) length = 0;
      offset = sz - length;
    }
    if (offset < 0) offset = 0;
    if (length < 0) length = 0;
    const data = length === 0 ? '' : asString(await readAt(fh, offset, length));
    return [data, sz, overflow];
  } catch {
    return ['', offset, false];
  } finally {
    await fh.close();
  }
}

/**
 * The last value computed from a list of parts, kept while every part is the same (===).
 * A long list (every process's snapshot) is given as `items` and read by `part` one by
 * one: a reply polled thousands of times a second then checks it without allocating.
 */
export class Memo<T> {
  private parts: readonly unknown[] = [];
  private each: unknown[] = [];
  private value: T | undefined;

  get<X = never>(parts: readonly unknown[], compute: () => T, items: readonly X[] = [], part: (x: X) => unknown = (x) => x): T {
    if (this.value === undefined || !this.same(parts, items, part)) {
      this.parts = parts;
      this.each = items.map(part);
      this.value = compute();
    }
    return this.value;
  }

  /** get([a, b], () => compute(a, b)), allocating nothing while the value is kept: the poll path. */
  get2<A, B>(a: A, b: B, compute: (a: A, b: B) => T): T {
    const p = this.parts;
    if (this.value === undefined || p.length !== 2 || p[0] !== a || p[1] !== b || this.each.length !== 0) {
      this.parts = [a, b];
      this.each = [];
      this.value = compute(a, b);
    }
    return this.value;
  }

  private same<X>(parts: readonly unknown[], items: readonly X[], part: (x: X) => unknown): boolean {
    if (parts.length !== this.parts.length || items.length !== this.each.length) return false;
    for (let i = 0; i < parts.length; i++) if (parts[i] !== this.parts[i]) return false;
    for (let i = 0; i < items.length; i++) if (part(items[i]!) !== this.each[i]) return false;
    return true;
  }
}
