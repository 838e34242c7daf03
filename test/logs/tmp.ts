// Temp dirs for the log tests: each suite makes what it needs and removes all in `after`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

export interface TempDirs {
  make(): string;
  removeAll(): void;
}

export function tempDirs(prefix = 'statevisor-logs-'): TempDirs {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every file in `dir` with its contents, sorted by name. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = readFileSync(join(dir, name), 'latin1');
  return out;
}

/** Resolve when the stream's write callback fires (the bytes reached the fd). */
export function written(stream: Writable, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (err?: Error | null) => (err ? reject(err) : resolve()));
  });
}
