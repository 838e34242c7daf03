// The main log's line format, '%(asctime)s %(levelname)s %(message)s\n', and the asctime
// of supervisor's LogRecord.asdict: local time, milliseconds truncated, not rounded. With
// statevisor's `[supervisord] logformat = json`, one JSON object per record instead.
import { levelName } from './levels.ts';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The last second formatted, and in which TZ: a burst of lines (a stop of all) shares it. */
let last = { second: NaN, tz: undefined as string | undefined, text: '' };

/** `YYYY-MM-DD HH:MM:SS,mmm` in local time for a time in ms since the epoch. */
export function formatAsctime(ms: number): string {
  const whole = Math.floor(ms / 1000) * 1000;
  const tz = process.env.TZ;
  if (whole !== last.second || tz !== last.tz) {
    const d = new Date(whole);
    const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    last = { second: whole, tz, text: `${date} ${time},` };
  }
  return `${last.text}${pad(Math.floor(ms - whole), 3)}`;
}

/** One record, formatted once and shared by every handler (asdict caches it too). */
export interface LogRecord {
  level: number;
  message: string;
  asctime: string;
  /** When, in ms since the epoch. */
  at: number;
}

export function makeRecord(level: number, message: string, now: number): LogRecord {
  return { level, message, asctime: formatAsctime(now), at: now };
}

/** The main log's format string applied to a record. */
export const formatMainLogLine = (r: LogRecord): string => `${r.asctime} ${levelName(r.level)} ${r.message}\n`;

/** logformat=json: `{"time": ISO 8601 UTC, "level": "INFO", "message": …}`, a multi-line message in one record. */
export const formatMainLogJson = (r: LogRecord): string =>
  `{"time":"${new Date(r.at).toISOString()}","level":"${levelName(r.level)}","message":${JSON.stringify(r.message)}}\n`;

export type MainLogLineFormat = (r: LogRecord) => string;
