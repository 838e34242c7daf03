// An event listener's stdin as the pool writes to it. supervisor writes an envelope at
// once: _dispatchEvent → Subprocess.write → PInputDispatcher.flush(), an os.write on the
// non-blocking pipe in the same loop iteration (dispatchers.py). Here write(2) on the
// pipe's fd does the same, without the Socket's stream machinery (its write request, its
// state, its callbacks), which cost as much as the rest of an event's dispatch.
//
// The Socket stays the pipe's owner: it is made first (libuv makes the fd non-blocking, so
// write(2) never waits on a listener that does not read), it closes the fd when the child
// is reaped (the fd is then -1 here), and it takes whatever write(2) cannot take now: a
// full pipe (EAGAIN), the rest of a partial write, anything written while it still holds
// bytes (so that the order holds), and a failed write (EPIPE: the Socket fails and closes
// as it did before, and the pool sees it not writable).
//
// The listener's stdout is read by the runtime (PipeReader); when the pool has written the
// next event from a read of the last answer, it asks the reader to poll for the answer
// (expectAnswer), as long as the listener answers within POLL_US: one whose answer took
// longer is waited for in the event loop until it answers that fast again, so a listener
// that takes its time costs one poll, not one per event.
import { writeSync } from 'node:fs';
import { monoMs } from '../util/clock.ts';
import type { Writable } from 'node:stream';

/** How long a listener's answer is polled for after its event is written, in µs. */
export const POLL_US = 100;

/** A spawn's pipes, as the runtime hands them over (ChildPipes). */
export interface ListenerPipes {
  readonly stdin: Writable;
  /** The fd under `stdin` while that is open, else -1. */
  readonly stdinFd: number;
  readonly stdout?: { pollAfter?(us: number): void };
}

export class ListenerChannel {
  readonly stream: Writable;
  /** monoMs() when the event now awaiting its answer was written; 0 when none is. */
  private sentAt = 0;
  /** Whether the last answer came within POLL_US of its event. */
  private quick = true;

  constructor(private readonly pipe: ListenerPipes) {
    // Made now, before any write: the fd is non-blocking from here on.
    this.stream = pipe.stdin;
  }

  /** Output came from the listener: the answer to the event written last, as far as timing goes. */
  answered(): void {
    if (this.sentAt === 0) return;
    this.quick = (monoMs() - this.sentAt) * 1000 <= POLL_US;
    this.sentAt = 0;
  }

  /** Called from a read of the listener's output, after an event was written: poll for the answer once this read is handled. */
  expectAnswer(): void {
    if (this.quick) this.pipe.stdout?.pollAfter?.(POLL_US);
  }

  /** Whether a write can go to the listener's stdin (else supervisor's write() would raise EPIPE). */
  get writable(): boolean {
    const s = this.stream;
    return !(s.destroyed || s.writableEnded || s.errored);
  }

  write(data: string): void {
    this.sentAt = monoMs();
    const fd = this.pipe.stdinFd;
    if (fd >= 0 && this.stream.writableLength === 0) {
      let n: number;
      try {
        n = writeSync(fd, data);
      } catch {
        n = 0; // EAGAIN, EPIPE…: the Socket's own write below meets it and reports it
      }
      if (n > 0) {
        const bytes = Buffer.byteLength(data);
        if (n === bytes) return;
        this.stream.write(Buffer.from(data).subarray(n));
        return;
      }
    }
    this.stream.write(data, 'utf8');
  }
}
