// AUTO child log files: supervisor's get_autochildlog_name (tempfile.mkstemp in
// childlogdir) and clear_autochildlogdir (the startup sweep, skipped with nocleanup).
// The name shape is what users' cleanup scripts, `ls` habits and the sweep itself key on.
import { randomInt } from 'node:crypto';
import { closeSync, constants as C, openSync, promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { join as pyJoin } from '../config/pypath.ts';
import { pyRepr } from '../config/pyrepr.ts';

export type Channel = 'stdout' | 'stderr';

/** tempfile._RandomNameSequence: eight of these characters. */
export const MKSTEMP_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';
/** tempfile.TMP_MAX: how many names mkstemp tries before giving up. */
const TMP_MAX = 10000;
// mkstemp's flags and mode: the file is created empty and private (0600); supervisor then
// appends to it, so AUTO logs stay 0600 until their first rotation opens a new file.
const MKSTEMP_FLAGS = C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW;

export const randomMkstempName = (): string => {
  let s = '';
  for (let i = 0; i < 8; i++) s += MKSTEMP_CHARS[randomInt(MKSTEMP_CHARS.length)];
  return s;
};

/** `<procname>-<channel>---<identifier>-`: the mkstemp prefix; the suffix is `.log`. */
export const autoChildLogPrefix = (procName: string, channel: Channel, identifier: string): string =>
  `${procName}-${channel}---${identifier}-`;

export interface AutoNameOptions {
  /** Replaces the random part, for tests. */
  random?: () => string;
}

function candidates(dir: string, procName: string, channel: Channel, identifier: string, opts: AutoNameOptions): () => string {
  const prefix = autoChildLogPrefix(procName, channel, identifier);
  const random = opts.random ?? randomMkstempName;
  // mkstemp returns abspath(join(dir, name)).
  return () => resolve(dir, `${prefix}${random()}.log`);
}

const exhausted = (): Error =>
  Object.assign(new Error('No usable temporary file name found'), { code: 'EEXIST' });

/** Create the AUTO log file exclusively and return its absolute path (group creation). */
export function createAutoChildLogSync(
  dir: string,
  procName: string,
  identifier: string,
  channel: Channel,
  opts: AutoNameOptions = {},
): string {
  const next = candidates(dir, procName, channel, identifier, opts);
  for (let i = 0; i < TMP_MAX; i++) {
    const path = next();
    try {
      closeSync(openSync(path, MKSTEMP_FLAGS, 0o600));
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw exhausted();
}

/**
 * re.compile(r'.+?---%s-\S+\.log\.{0,1}\d{0,4}' % identifier).match: anchored at the start
 * only, so the `\.{0,1}\d{0,4}` tail never constrains anything (`x---supervisor-a.logger`
 * matches too). The identifier goes in unescaped, as a regex, exactly as supervisor does;
 * an identifier that is not a valid pattern throws, as re.compile would.
 */
export function autoChildLogPattern(identifier: string): RegExp {
  return new RegExp(`^.+?---${identifier}-\\S+\\.log\\.{0,1}\\d{0,4}`);
}

/**
 * Delete this identifier's AUTO logs (and their backups) from `dir`; returns the paths
 * removed. Failures are warnings with supervisor's texts, never fatal.
 */
export async function clearAutoChildLogDir(
  dir: string,
  identifier: string,
  warn: (message: string) => void,
): Promise<string[]> {
  const pattern = autoChildLogPattern(identifier);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    warn('Could not clear childlog dir');
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const path = pyJoin(dir, name);
    try {
      await fsp.unlink(path);
      removed.push(path);
    } catch {
      warn(`Failed to clean up ${pyRepr(path)}`);
    }
  }
  return removed;
}
