// AUTO child log files: supervisor's get_autochildlog_name (tempfile.mkstemp in
// childlogdir) and clear_autochildlogdir (the startup sweep, skipped with nocleanup).
// The name shape is what users' cleanup scripts, `ls` habits and the sweep itself key on.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants as C, openSync, promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { join as pyJoin } from '../config/pypath.ts';
import { pyRepr } from '../config/pyrepr.ts';

export type Channel = 'stdout' | 'stderr';

/**
 * tempfile._RandomNameSequence: eight of these characters, drawn with random.Random (not a
 * cryptographic source: O_EXCL, not the name, is what makes mkstemp safe), as Math.random
 * draws them here; node:crypto would cost a daemon that serves no HTTP 0.4 MB to load.
 */
export const MKSTEMP_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';
/** tempfile.TMP_MAX: how many names mkstemp tries before giving up. */
const TMP_MAX = 10000;
// mkstemp's flags and mode: the file is created empty and private (0600); supervisor then
// appends to it, so AUTO logs stay 0600 until their first rotation opens a new file.
const MKSTEMP_FLAGS = C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW;

export const randomMkstempName = (): string => {
  let s = '';
  for (let i = 0; i < 8; i++) s += MKSTEMP_CHARS[Math.floor(Math.random() * MKSTEMP_CHARS.length)];
  return s;
};

/** `<procname>-<channel>---<identifier>-`: the mkstemp prefix; the suffix is `.log`. */
export const autoChildLogPrefix = (procName: string, channel: Channel, identifier: string): string =>
  `${procName}-${channel}---${identifier}-`;

export interface AutoNameOptions {
  /** Replaces the random part, for tests. */
  random?: () => string;
}

/** mkstemp's candidate paths for one AUTO log, each drawn afresh: abspath(join(dir, prefix + random + suffix)). */
export function autoChildLogNames(dir: string, procName: string, identifier: string, channel: Channel, opts: AutoNameOptions = {}): () => string {
  const prefix = autoChildLogPrefix(procName, channel, identifier);
  const random = opts.random ?? randomMkstempName;
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
  const next = autoChildLogNames(dir, procName, identifier, channel, opts);
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

interface Creation {
  path: string;
  next: () => string;
  settle: (result: string | Error) => void;
}

/**
 * What the maker process runs: each NUL-terminated path of its stdin opened as mkstemp
 * opens its file, then closed; one line per path, in order, on stdout: empty when made,
 * else the errno's code. Lines go out sixteen at a time, so the daemon wakes less often.
 */
const MAKER = `const fs = require('node:fs');
let input = '';
process.stdin.setEncoding('utf8').on('data', (c) => { input += c; }).on('end', () => {
  let out = '';
  const paths = input.split('\\0').slice(0, -1);
  paths.forEach((p, i) => {
    try { fs.closeSync(fs.openSync(p, ${MKSTEMP_FLAGS}, 0o600)); out += '\\n'; } catch (e) { out += (e.code || 'EIO') + '\\n'; }
    if (i % 16 === 15 || i === paths.length - 1) { fs.writeSync(1, out); out = ''; }
  });
});`;

/**
 * AUTO log files made as createAutoChildLogSync makes them (same flags, mode and
 * retries), in order, by a short-lived Node process of their own, so that the daemon's
 * main thread goes on with the start-up while the kernel allocates the inodes (0.5 ms a
 * file in a busy temp dir). Not on libuv's pool: during a launch it is full of
 * posix_spawns, and each file waited behind some thirty of them. A name taken already
 * (EEXIST) is drawn again here, synchronously, as mkstemp would; if the maker cannot run
 * or dies, the daemon makes the rest itself.
 */
export class AutoLogMaker {
  private readonly jobs: Creation[] = [];
  private done = 0;
  private child: ChildProcess | null = null;

  /** Resolves with the path made (`first`, or another draw after an EEXIST) or the error; made once start() runs. */
  create(first: string, next: () => string): Promise<string | Error> {
    return new Promise((settle) => this.jobs.push({ path: first, next, settle }));
  }

  /** Make the files asked for so far. */
  start(): void {
    if (this.jobs.length === 0) return;
    const child = spawn(process.execPath, ['-e', MAKER], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const code of lines) this.answer(code);
    });
    // Whatever the maker did not answer (it could not start, or died), the daemon makes.
    child.once('close', () => {
      this.child = null;
      while (this.done < this.jobs.length) this.answer('retry');
      this.jobs.length = 0;
    });
    child.once('error', () => {}); // 'close' follows
    child.stdin.on('error', () => {});
    child.stdin.end(this.jobs.map((j) => `${j.path}\0`).join(''));
  }

  /** The run is over: a maker still at work is stopped, and what it has not made never is. */
  close(): void {
    this.child?.kill('SIGKILL');
    this.jobs.length = this.done = 0;
  }

  private answer(code: string): void {
    const job = this.jobs[this.done++];
    if (!job) return;
    if (code === '') return job.settle(job.path);
    if (code !== 'EEXIST' && code !== 'retry') return job.settle(Object.assign(new Error(`${code}: cannot create '${job.path}'`), { code }));
    // mkstemp's loop, from the next draw (or from the same path the maker never tried)
    for (let tries = 1, path = code === 'retry' ? job.path : job.next(); tries <= TMP_MAX; tries++, path = job.next()) {
      try {
        closeSync(openSync(path, MKSTEMP_FLAGS, 0o600));
        return job.settle(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return job.settle(e as Error);
      }
    }
    job.settle(exhausted());
  }
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
