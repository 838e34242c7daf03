// The passive ready checks: `log:REGEX` (a line of the program's stdout or stderr
// matches) and `fd:N` (s6's notification-fd: the program writes a newline on fd N).
// The output pipeline and the child runtime report here; the `watch` actor of
// machines/checks.ts waits here. A signal counts for the spawn it came from only.
import type { Readable } from 'node:stream';
import { fromCallback } from 'xstate';
import type { WatchInput } from '../../../machines/checks.ts';
import type { OutputTap } from '../../logs/child-output.ts';

/** A line longer than this is tested in pieces (a regex over megabytes would stall the daemon). */
const MAX_LINE = 64 * 1024;

const key = (group: string, name: string) => `${group}:${name}`;

export class ReadySignals {
  private readonly passed = new Set<string>();
  private readonly waiters = new Map<string, () => void>();

  /** A new spawn of the process: what the last one signalled no longer counts. */
  reset(group: string, name: string): void {
    this.passed.delete(key(group, name));
  }

  pass(group: string, name: string): void {
    const k = key(group, name);
    this.passed.add(k);
    this.waiters.get(k)?.();
  }

  /** A tap for one spawn's stdout or stderr that passes the check on a matching line. */
  lineTap(group: string, name: string, pattern: string): OutputTap {
    const regex = new RegExp(pattern);
    let partial = '';
    return (chunk) => {
      if (this.passed.has(key(group, name))) return;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!.slice(-MAX_LINE);
      if (lines.some((l) => regex.test(l.replace(/\r$/, '')))) this.pass(group, name);
    };
  }

  /** The daemon's end of a notification fd: the first newline passes the check. */
  notifyPipe(group: string, name: string, pipe: Readable): void {
    const onData = (chunk: Buffer) => {
      if (!chunk.includes(0x0a)) return;
      pipe.off('data', onData);
      this.pass(group, name);
    };
    pipe.on('data', onData);
    pipe.on('error', () => pipe.destroy());
  }

  /** The `watch` actor: PASSED once the spawn has signalled (at once if it already has). */
  readonly watch = fromCallback<{ type: 'never' }, WatchInput, { type: 'PASSED' }>(({ input, sendBack }) => {
    const k = key(input.group, input.config.name);
    if (this.passed.has(k)) {
      sendBack({ type: 'PASSED' });
      return;
    }
    this.waiters.set(k, () => sendBack({ type: 'PASSED' }));
    return () => this.waiters.delete(k);
  });
}
