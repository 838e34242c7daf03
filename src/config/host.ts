// What the loader asks of the machine it runs on. The loader itself is pure; tests and
// the daemon hand it a host (nodeHost for the real machine).
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

export interface PasswdEntry { name: string; uid: number; gid: number; home: string }
export interface GroupEntry { name: string; gid: number; members: string[] }

export interface ConfigHost {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** os.getuid() */
  uid: number;
  /** platform.node() */
  hostname: string;
  readBytes(path: string): Uint8Array;
  exists(path: string): boolean;
  isDir(path: string): boolean;
  /** Entries of a directory, or null when it cannot be listed. */
  list(path: string): string[] | null;
  users(): PasswdEntry[];
  groups(): GroupEntry[];
  /** tempfile.gettempdir() */
  tempdir(): string;
}

function table<T>(file: string, row: (f: string[]) => T | null): T[] {
  let text = '';
  try { text = readFileSync(file, 'utf8'); } catch { return []; }
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => row(l.split(':'))).filter((r): r is T => r !== null);
}

export function nodeHost(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigHost {
  const stat = (p: string) => { try { return statSync(resolve(cwd, p)); } catch { return null; } };
  let users: PasswdEntry[] | undefined;
  let groups: GroupEntry[] | undefined;
  const host: ConfigHost = {
    env,
    cwd,
    uid: process.getuid?.() ?? 0,
    hostname: hostname(),
    readBytes: (p) => readFileSync(resolve(cwd, p)),
    exists: (p) => stat(p) !== null,
    isDir: (p) => stat(p)?.isDirectory() ?? false,
    list: (p) => { try { return readdirSync(resolve(cwd, p)); } catch { return null; } },
    users: () => (users ??= table('/etc/passwd', (f) => (f.length >= 7 ? { name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] } : null))),
    groups: () => (groups ??= table('/etc/group', (f) => (f.length >= 3 ? { name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) } : null))),
    // Python's candidates, in its order: the first directory we may write in.
    tempdir: () => {
      const candidates = [env.TMPDIR, env.TEMP, env.TMP, '/tmp', '/var/tmp', '/usr/tmp', cwd].filter((d): d is string => !!d);
      for (const dir of candidates) {
        const abs = isAbsolute(dir) ? resolve(dir) : resolve(cwd, dir);
        try {
          if (statSync(abs).isDirectory()) { accessSync(abs, constants.W_OK); return abs; }
        } catch { /* next candidate */ }
      }
      return resolve(cwd);
    },
  };
  return host;
}

/** The same host, remembering what it found on disk: one load asks about a path once. */
export function cachingStats(host: ConfigHost): ConfigHost {
  const exists = new Map<string, boolean>();
  const dirs = new Map<string, boolean>();
  const remember = (cache: Map<string, boolean>, ask: (p: string) => boolean) => (p: string) => {
    let v = cache.get(p);
    if (v === undefined) cache.set(p, (v = ask(p)));
    return v;
  };
  return { ...host, exists: remember(exists, host.exists), isDir: remember(dirs, host.isDir) };
}
