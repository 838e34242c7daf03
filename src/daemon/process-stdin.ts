// supervisor.sendProcessStdin's channel: the stdin of each process's current spawn, kept
// from the moment the child is attached until the pipe closes (the child exited or closed it).
import type { Writable } from 'node:stream';
import type { ChildIO } from '../runtime/child-actor.ts';

const key = (group: string, name: string) => `${group}:${name}`;

export class ProcessStdin {
  private readonly pipes = new Map<string, Writable>();

  /** The same output side, with every spawn's stdin recorded on the way. */
  wrap(io: ChildIO): ChildIO {
    return {
      open: (group, config) => {
        const sinks = io.open(group, config);
        return {
          attach: (pipes) => {
            const k = key(group, config.name);
            this.pipes.set(k, pipes.stdin);
            pipes.stdin.once('close', () => {
              if (this.pipes.get(k) === pipes.stdin) this.pipes.delete(k);
            });
            return sinks.attach(pipes);
          },
          abandon: () => sinks.abandon(),
        };
      },
    };
  }

  /**
   * Writes or queues the bytes; false when the process has no open stdin (supervisor's
   * EPIPE). Node tries the write at once and records a refusal on the stream before
   * write() returns, so a child that closed its stdin is caught on the first call, as
   * supervisor's flush() catches it.
   */
  write(group: string, name: string, chars: string): boolean {
    const stdin = this.pipes.get(key(group, name));
    if (!stdin || stdin.destroyed || stdin.writableEnded) return false;
    stdin.write(chars, 'utf8');
    return stdin.errored === null;
  }
}
