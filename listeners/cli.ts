// What the ready-made listeners share on their command line: flag parsing with superlance's
// exits, supervisor's size and duration suffixes, the check that they run under a
// supervisor. Usage errors go to stderr: under a supervisor, stdout is the protocol's.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { listen } from './protocol.ts';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A listener's command line; `--help` prints `usage` on stdout and exits 0. */
export interface Command {
  name: string;
  usage: string;
  /** superlance's getopt-based listeners exit 255 on a usage error, optparse-based ones 2. */
  usageExit: number;
}

/** Exits the process with the usage text on a usage error (thrown here or by the caller's checks). */
export function usageFailure(cmd: Command, message: string): never {
  process.stderr.write(`${cmd.name}: ${message}\n\n${cmd.usage}`);
  process.exit(cmd.usageExit);
}

/** Every listener's `-h/--help`, to spread into its options. */
export const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** node:util parseArgs, strict; `options` includes HELP. */
export function parseFlags<T extends OptionsConfig>(cmd: Command, argv: string[], options: T, allowPositionals = false) {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(cmd.usage);
      process.exit(0);
    }
    return parsed;
  } catch (e) {
    return usageFailure(cmd, (e as Error).message);
  }
}

/** supervisor's SuffixMultiplier: a two-part table's suffixes all have one length; case does not matter. */
function suffixMultiplier(table: Record<string, number>, what: string): (text: string) => number {
  const size = Object.keys(table)[0].length;
  return (text: string) => {
    const v = text.trim().toLowerCase();
    const m = table[v.slice(-size)];
    const digits = m === undefined ? v : v.slice(0, -size).trim();
    if (!/^[+-]?\d+$/.test(digits)) throw new UsageError(`not a ${what}: ${JSON.stringify(text)}`);
    return Number(digits) * (m ?? 1);
  };
}

/** supervisor.datatypes.byte_size: `10000`, `200KB`, `1MB`, `1GB`. */
export const byteSize = suffixMultiplier({ kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }, 'byte size');

/** memmon's seconds: `30`, `30s`, `5m`, `2h`, `1d`. */
export const seconds = suffixMultiplier({ s: 1, m: 60, h: 3600, d: 86400 }, 'duration');

/** The exit of a listener started outside a supervisor, worded as superlance words it. */
export function requireSupervisor(cmd: Command): void {
  if (process.env.SUPERVISOR_SERVER_URL) return;
  process.stderr.write(`${cmd.name} must be run as a supervisor event listener\n`);
  process.exit(1);
}

/** childutils.get_asctime: `2026-11-27 09:50:00,123` in local time. */
export function asctime(when = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${when.getFullYear()}-${p(when.getMonth() + 1)}-${p(when.getDate())} ${p(when.getHours())}:${p(when.getMinutes())}:${p(when.getSeconds())},${p(when.getMilliseconds(), 3)}`;
}


/** Whether `-p` names this process, by its name or `group:name`. */
export const named = (programs: readonly string[], group: string, name: string): boolean =>
  programs.includes(name) || programs.includes(`${group}:${name}`);

/** memmon's and httpok's loop: act on every TICK_* event, let the others pass; answer OK to all. */
export async function onEachTick(act: () => Promise<void>): Promise<void> {
  const listener = listen();
  for await (const event of listener) {
    if (event.eventname.startsWith('TICK')) await act();
    listener.ok();
  }
}
