// environment_file's reading, at each spawn (src/config/ext-environment-file.ts has the
// option). Spawn is synchronous (the process machine wants its report at once) and a hot
// path, so a file costs one stat per spawn: it is parsed again only when its inode, size,
// mtime or ctime moved, which an edit in place and an editor's rename-over both do.
// Parsing is dotenv's `parse` (quotes, `export`, comments, multi-line values; no `${VAR}`
// expansion), never its loading into process.env.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { parse } from 'dotenv';
import type { EnvironmentFile, EnvironmentFiles } from '../config/ext-environment-file.ts';
import { pyRepr } from '../config/pyrepr.ts';
import { SpawnError } from './errors.ts';

type Variables = Readonly<Record<string, string>>;

interface Cached {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  variables: Variables;
}

const NONE: Variables = Object.freeze({});

/** A missing file, as systemd's `-` forgives it. */
const absent = (code: string | undefined) => code === 'ENOENT' || code === 'ENOTDIR';

const unchanged = (c: Cached, s: Stats) => c.ino === s.ino && c.size === s.size && c.mtimeMs === s.mtimeMs && c.ctimeMs === s.ctimeMs;

const failure = (file: EnvironmentFile, e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  return absent(code)
    ? new SpawnError('EnvironmentFile', `can't find environment_file ${pyRepr(file.path)}`)
    : new SpawnError('EnvironmentFile', `can't read environment_file ${pyRepr(file.path)}: ${code}`);
};

export class EnvironmentFileCache {
  private readonly files = new Map<string, Cached>();

  /** The file's variables; throws a SpawnError (the spawn's spawnerr) when it cannot be read. */
  read(file: EnvironmentFile): Variables {
    let stats: Stats;
    try {
      stats = statSync(file.path);
    } catch (e) {
      this.files.delete(file.path);
      if (file.optional && absent((e as NodeJS.ErrnoException).code)) return NONE;
      throw failure(file, e);
    }
    const cached = this.files.get(file.path);
    if (cached && unchanged(cached, stats)) return cached.variables;
    let variables: Variables;
    try {
      variables = checked(file, parse(readFileSync(file.path)));
    } catch (e) {
      if (e instanceof SpawnError) throw e;
      throw failure(file, e);
    }
    this.files.set(file.path, { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, variables });
    return variables;
  }

  /**
   * Write the files' layers into `env` (the daemon's environment and the SUPERVISOR_*
   * variables): [supervisord]'s files, [supervisord] environment=, the program's files,
   * the program's environment=. `merged` is ProcessConfig.environment.
   */
  layer(env: Record<string, string>, files: EnvironmentFiles, merged: Readonly<Record<string, string>>): void {
    for (const f of files.supervisord) Object.assign(env, this.read(f));
    const own = new Set(files.environment_names);
    for (const [k, v] of Object.entries(merged)) if (!own.has(k)) env[k] = v;
    for (const f of files.program) Object.assign(env, this.read(f));
    for (const k of files.environment_names) env[k] = merged[k];
  }
}

/** execve cannot carry a NUL byte; Node would throw at spawn instead of reporting it. */
function checked(file: EnvironmentFile, variables: Record<string, string>): Variables {
  for (const [k, v] of Object.entries(variables)) {
    if (v.includes('\0')) throw new SpawnError('EnvironmentFile', `environment_file ${pyRepr(file.path)}: the value of ${k} holds a NUL byte`);
  }
  return Object.freeze(variables);
}

/** The daemon's one cache: a file named by many programs is parsed once per change. */
export const environmentFiles = new EnvironmentFileCache();
