// Shared by the runtime tests: fixture paths, output collection, and cleanup that kills
// whatever a test started.
import { readdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Test } from 'uvu';
import { setSpawnMethod, startChild, type ChildHandle, type ChildSpec, type SpawnMethod } from '../../src/runtime/child.ts';
import { resolveCommand } from '../../src/runtime/command.ts';
import { libc } from '../../src/runtime/native.ts';
import { suite } from '../harness.ts';

export const PROGRAMS = fileURLToPath(new URL('../fixtures/programs/', import.meta.url));
export const program = (name: string): string => PROGRAMS + name;

/** Everything a stream yields until it ends; resolves at once for one already closed. */
export function collect(stream: Readable): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  return new Promise((resolve, reject) => {
    if (stream.destroyed) return resolve(text);
    stream.once('close', () => resolve(text));
    stream.once('error', reject);
  });
}

/** startChild on a command line, with a plain environment unless one is given. */
export function start(command: string, spec: Partial<ChildSpec> = {}): ChildHandle {
  const env = spec.env ?? { PATH: '/usr/bin:/bin' };
  return startChild({ name: 'test', ...resolveCommand(command, env, process.env.PATH), env, ...spec });
}

/** Kills the child's group if it still runs, waits for the exit, closes the pipes. */
export async function finish(child: ChildHandle | undefined): Promise<void> {
  if (!child) return;
  if (!child.exit) child.signal('SIGKILL', true);
  await child.exited;
  child.close();
}

/** Our children that are zombies: each must be reaped by the time its exit is told. */
export function zombieChildren(): number[] {
  const pids: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    let text = '';
    try { text = readFileSync(`/proc/self/task/${tid}/children`, 'latin1'); } catch { continue; }
    for (const p of text.split(' ').filter(Boolean)) {
      try { if (readFileSync(`/proc/${p}/stat`, 'latin1').replace(/^.*\) /s, '')[0] === 'Z') pids.push(Number(p)); } catch { /* gone */ }
    }
  }
  return pids;
}

/** True while pid runs (a zombie counts as gone: it can do nothing more). */
export function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

export function killQuietly(pid: number | undefined): void {
  if (pid === undefined) return;
  try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
}

/**
 * Waits for a process we are not the parent of to end: no exit event reaches us, so this
 * polls /proc until it does, failing after timeoutMs.
 */
export async function waitUntilGone(pid: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} still alive after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The first line a stream yields. */
export function firstLine(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl >= 0) { stream.off('data', onData); stream.pause(); resolve(text.slice(0, nl)); }
    };
    stream.on('data', onData);
    stream.once('close', () => reject(new Error(`stream closed before a line; got ${JSON.stringify(text)}`)));
  });
}

/**
 * Defines and runs a suite twice: with posix_spawn (the default) and with the fallback,
 * Node's child_process and FIFOs, which runs where libc cannot be loaded.
 */
export function withEachSpawnMethod(name: string, define: (test: Test, method: SpawnMethod) => void, timeoutMs?: number): void {
  for (const method of ['native', 'node'] as const) {
    const test = suite(`${name} (${method})`, {}, timeoutMs);
    test.before(() => setSpawnMethod(method));
    test.after(() => setSpawnMethod('native'));
    define(test, method);
    test.run();
  }
}

/**
 * The suite's test where posix_spawn through libc can be reached, else its skip (said once,
 * with the reason): the suites of the native spawn path have nothing to run without it.
 */
export function nativeSpawnTest(suiteName: string, test: Test): Test | Test['skip'] {
  const c = libc();
  const reason = c instanceof Error ? c.message : c.spawner instanceof Error ? c.spawner.message : null;
  if (reason === null) return test;
  console.warn(`SKIPPED ${suiteName}: posix_spawn is out of reach here: ${reason}`);
  return test.skip;
}
