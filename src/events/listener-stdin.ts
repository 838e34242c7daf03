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
import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** A spawn's stdin: its stream, and the fd under it while that is open (else -1). */
export interface StdinPipe {
  readonly stdin: Writable;
  readonly stdinFd: number;
}

export class ListenerStdin {
  readonly stream: Writable;

  constructor(private readonly pipe: StdinPipe) {
    // Made now, before any write: the fd is non-blocking from here on.
    this.stream = pipe.stdin;
  }

  /** Whether a write can go to the listener's stdin (else supervisor's write() would raise EPIPE). */
  get writable(): boolean {
    const s = this.stream;
    return !(s.destroyed || s.writableEnded || s.errored);
  }

  write(data: string): void {
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
