// supervisor.sendProcessStdin's channel: the stdin of each process's current spawn, kept
// from the moment the child is attached until the pipe closes (the child exited or closed it).
//
// What the pipe does not take at once waits in memory until the child reads it. supervisor
// appends to its input_buffer without a limit, so a child that never reads its stdin grows
// supervisord by every call. Here at most STDIN_QUEUE_LIMIT bytes wait per process; a call
// that would pass it is refused whole with a fault, so the client learns that its bytes were
// not taken (dropping them would lose them silently) and can retry once the child reads.
import type { ChildIO, ChildPipes } from '../runtime/child-actor.ts';

const key = (group: string, name: string) => `${group}:${name}`;

/** Bytes a process's stdin may hold that its child has not read (beyond the pipe's own buffer). */
export const STDIN_QUEUE_LIMIT = 1024 * 1024;

/** What became of a write: queued, no open stdin (supervisor's EPIPE), or refused as the queue is full. */
export type StdinWrite = 'ok' | 'closed' | { full: number };

export class ProcessStdin {
  private readonly pipes = new Map<string, ChildPipes>();

  /**
   * The same output side, with every spawn's pipes recorded on the way until it is reaped;
   * its stdin stream is made only if a write comes (ChildPipes.stdin).
   */
  wrap(io: ChildIO): ChildIO {
    return {
      open: (group, config) => {
        const sinks = io.open(group, config);
        return {
          attach: (pipes) => {
            const k = key(group, config.name);
            this.pipes.set(k, pipes);
            void pipes.exited.then(() => {
              if (this.pipes.get(k) === pipes) this.pipes.delete(k);
            });
            return sinks.attach(pipes);
          },
          abandon: () => sinks.abandon(),
        };
      },
    };
  }

  /**
   * Writes or queues the bytes. Node tries the write at once and records a refusal on
   * the stream before write() returns, so a child that closed its stdin is caught on the
   * first call, as supervisor's flush() catches it.
   */
  write(group: string, name: string, chars: string): StdinWrite {
    const stdin = this.pipes.get(key(group, name))?.stdin;
    if (!stdin || stdin.destroyed || stdin.writableEnded) return 'closed';
    if (stdin.writableLength + Buffer.byteLength(chars, 'utf8') > STDIN_QUEUE_LIMIT) return { full: stdin.writableLength };
    stdin.write(chars, 'utf8');
    return stdin.errored === null ? 'ok' : 'closed';
  }
}
