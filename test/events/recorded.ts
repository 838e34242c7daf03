// What the fixture listener (fixtures/events/record.py, on supervisor.childutils) wrote:
// one JSON line per event received. Helpers to wait on it, normalise it and check its serials.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Side } from '../compat/daemons.ts';

export const EVENT_FIXTURES = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
export const RECORD = `${EVENT_FIXTURES}record.py`;
export const TALK = `${EVENT_FIXTURES}talk.py`;

export interface Received {
  /** The header line as read, newline included. */
  line: string;
  headers: Record<string, string>;
  payload: string;
  listener: string;
}

export const parseReceived = (text: string | null): Received[] =>
  (text ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Received);

export function received(dir: string, file = 'events.jsonl'): Received[] {
  try {
    return parseReceived(readFileSync(join(dir, file), 'utf8'));
  } catch {
    return [];
  }
}

/** Waits until the side's listener has received `count` events matching `match`. */
export function waitForEvents(side: Side, match: (r: Received) => boolean, count = 1, file = 'events.jsonl', timeoutMs = 40_000): Promise<void> {
  return side.waitUntil(() => received(side.dir, file).filter(match).length >= count, `${count} event(s) in ${file}`, timeoutMs);
}

export const named = (...names: string[]) => (r: Received) => names.includes(r.headers.eventname);

/** The header line and payload with serials, pids and tick times replaced; the rest byte for byte. */
export function normalised(r: Received): string {
  const line = r.line.replace(/ serial:\d+ /, ' serial:<s> ').replace(/ poolserial:\d+ /, ' poolserial:<p> ');
  const payload = r.payload.replace(/\bpid:\d+/g, 'pid:<pid>').replace(/^when:\d+$/, 'when:<when>');
  return line + payload;
}

/** What an event is about: its process, or its kind for supervisor-wide ones. */
export function subject(r: Received): string {
  const p = /^processname:(\S+)/.exec(r.payload);
  return p ? p[1] : r.headers.eventname.replace(/_[^_]*$/, '');
}

/** Per subject, the normalised events in the order the listener got them. */
export function bySubject(rs: Received[], keep: (r: Received) => boolean = () => true): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of rs.filter(keep)) (out[subject(r)] ??= []).push(normalised(r));
  return out;
}

/**
 * Serial rules of one pool's stream with no event re-sent: poolserial counts 0, 1, 2, …
 * and serial rises strictly. Returns what breaks them.
 */
export function serialProblems(rs: Received[]): string[] {
  const problems: string[] = [];
  rs.forEach((r, i) => {
    if (Number(r.headers.poolserial) !== i) problems.push(`event ${i} has poolserial ${r.headers.poolserial}`);
    if (i > 0 && Number(r.headers.serial) <= Number(rs[i - 1].headers.serial)) problems.push(`event ${i} has serial ${r.headers.serial} after ${rs[i - 1].headers.serial}`);
  });
  return problems;
}
