// Pure helpers of supervisor's rpcinterface.py and options.py that the daemon's
// SupervisorApi uses: _interpretProcessInfo, readFile and tailFile.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, length));
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** options.readFile: faults BAD_ARGUMENTS / FAILED as the RPC layer maps its ValueErrors. */
export function readFile(filename: string, offset: number, length: number): string {
  if (offset < 0 ? length !== 0 : length < 0) throw new RpcFault(Faults.BAD_ARGUMENTS);
  let fd: number;
  try {
    fd = openSync(filename, 'r');
  } catch {
    throw new RpcFault(Faults.FAILED);
  }
  try {
    const sz = fstatSync(fd).size;
    if (offset < 0) {
      const pos = Math.max(0, sz + offset);
      return asString(readAt(fd, pos, -offset));
    }
    return asString(readAt(fd, offset, length === 0 ? Math.max(0, sz - offset) : length));
  } catch {
    throw new RpcFault(Faults.FAILED);
  } finally {
    closeSync(fd);
  }
}

/** options.tailFile. */
export function tailFile(filename: string, offset: number, length: number): [string, number, boolean] {
  let fd: number;
  try {
    fd = openSync(filename, 'r');
  } catch {
    return ['', offset, false];
  }
  try {
    let overflow = false;
    const sz = fstatSync(fd).size;
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
    const data = length === 0 ? '' : asString(readAt(fd, offset, length));
    return [data, sz, overflow];
  } catch {
    return ['', offset, false];
  } finally {
    closeSync(fd);
  }
}

/** The last value computed from a list of parts, kept while every part is the same (===). */
export class Memo<T> {
  private parts: readonly unknown[] = [];
  private value: T | undefined;

  get(parts: readonly unknown[], compute: () => T): T {
    if (this.value === undefined || parts.length !== this.parts.length || parts.some((x, i) => x !== this.parts[i])) {
      this.value = compute();
      this.parts = parts;
    }
    return this.value;
  }
}
