// The daemon's read end of a child's stdout or stderr pipe, whose output ends either at
// end-of-file or when the child is reaped, whichever comes first.
//
// Ending at end-of-file alone is not enough: a program that leaves a background process
// (`sh -c 'sleep 300 & …'`) passes it the pipe's write end, so end-of-file never comes and
// every restart would leave two fds and a log pipeline behind, and shutdown would wait on
// them. supervisor's Subprocess.finish() (process.py) calls drain(), one read of each
// readable dispatcher, then close_parent_pipes(); reap() does the same: it takes what the
// pipe holds at that moment (a few reads) and ends the stream, closing the fd at once.
//
// How: libuv reads through a net.Socket with `onread`, which hands each read to a callback
// instead of the Socket's own stream, so `pause()` stops the reads synchronously. libuv
// made the fd non-blocking (uv_pipe_open), so reap()'s readSync returns EAGAIN rather than
// waiting when the pipe is empty and a grandchild holds the write end.
//
// The reads go to one consumer. The plain pipe → file case (no taps, no stages) takes
// them without a stream: sinkTo() hands each read, still in the shared scratch buffer, to
// a synchronous consumer, so the hot path pays neither a copy nor an allocation per read
// (logs/child-output.ts), and no Readable is made (about 1.4 KB of heap a pipe, two
// pipes a program). stream() makes one, at its first call, for every other consumer.
import { readSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { monoMs } from '../util/clock.ts';
import { Readable } from 'node:stream';
import { libc, type Libc } from './native.ts';

/** libuv's read size for streams. */
const CHUNK = 64 * 1024;
/** reap() reads at most this many chunks: what a dead child left (one pipe's 64 KiB), bounded. */
const DRAIN_READS = 4;
/** A read's polls (pollAfter) go on for at most this long before the event loop has its turn. */
const POLL_BUDGET_MS = 2;

/** The calls pollAfter needs, or null where libc is out of reach (no polling then); libc() keeps its answer. */
const pollCalls = (): Libc | null => {
  const c = libc();
  return c instanceof Error ? null : c;
};

// Every read lands here and is copied out at once: libuv reads on the main thread only,
// and a small chunk then holds a small buffer instead of 64 KiB until it is written.
const scratch = Buffer.allocUnsafe(CHUNK);

/** Node's Socket constructor takes `onread` as connect() does; @types/node lists it for connect() only. */
type PipeSocketOptions = SocketConstructorOpts & { onread: OnReadOpts };

/** The one consumer of the reads (see sinkTo). */
export interface PipeSink {
  /** One read; `chunk` is valid only during the call. false: read no more until readMore(). */
  write(chunk: Buffer): boolean;
  /** End of file, or the child was reaped: no more writes. */
  end(): void;
  /** The pipe failed (a read error): no more writes, and no end(). */
  error(e: Error): void;
}

/** A child's output pipe as its consumers take it: in place (sinkTo) or as a stream. */
export interface OutputSource {
  sinkTo(sink: PipeSink): void;
  readMore(): void;
  stream(): Readable;
  /** See PipeReader.pollAfter. */
  pollAfter?(us: number): void;
}

export class PipeReader implements OutputSource {
  private readonly socket: Socket;
  private ended = false;
  private sink: PipeSink | null = null;
  private view: Readable | null = null;
  /** Called after the output has ended at end of file (not at reap()). */
  onEof: (() => void) | null = null;
  /** What the consumer asked of pollAfter during the delivery under way: µs to poll, 0 for none. */
  private pollUs = 0;
  private delivering = false;

  constructor(private readonly fd: number) {
    const options: PipeSocketOptions = {
      fd, readable: true, writable: false,
      // false pauses the socket, as a refused push must.
      onread: { buffer: scratch, callback: (n: number) => this.delivered(n) },
    };
    this.socket = new Socket(options);
    // No read before a consumer takes them, then only while it wants more.
    this.socket.pause();
    this.socket.once('end', () => {
      this.finish();
      this.onEof?.();
    });
    this.socket.once('error', (e) => {
      this.close();
      this.consumer().error(e);
    });
  }

  /** Read again after a PipeSink said false. */
  readMore(): void {
    if (!this.ended) this.socket.resume();
  }

  /** Hand every read to `sink` from now on; reading starts now. */
  sinkTo(sink: PipeSink): void {
    if (this.sink) throw new Error('this pipe already has its consumer');
    this.sink = sink;
    this.readMore();
  }

  /** The reads as a Readable (each one a copy), made at the first call; it is the consumer then. */
  stream(): Readable {
    if (this.view) return this.view;
    if (this.sink) throw new Error('this pipe already has its consumer');
    const view = new Readable({
      highWaterMark: CHUNK,
      read: () => this.readMore(),
      destroy: (error, cb) => {
        this.close();
        cb(error);
      },
    });
    this.view = view;
    // read() asks for the first read, as the stream's consumer comes
    this.sink = { write: (chunk) => view.push(Buffer.from(chunk)), end: () => view.push(null), error: (e) => view.destroy(e) };
    return view;
  }

  /** The consumer; a stream to hold what comes before anyone took the reads. */
  private consumer(): PipeSink {
    if (!this.sink) this.stream();
    return this.sink!;
  }

  private deliver(chunk: Buffer): boolean {
    this.delivering = true;
    try {
      return this.consumer().write(chunk);
    } finally {
      this.delivering = false;
    }
  }

  /**
   * Asked by the consumer while it takes a read: the child is about to answer (an event
   * listener was just written its next event), so once this read is handed over, read
   * the pipe again at once, giving the CPU to any other runnable task between tries, for
   * up to `us` µs, instead of going back to sleep in the event loop. On a machine whose
   * idle cores take tens of µs to wake (a VM), a sleep and a wake-up on each side of each
   * exchange set the pace of a listener that answers in a few µs.
   */
  pollAfter(us: number): void {
    // Asked outside a delivery (a consumer behind a stream), it would apply to some later read.
    if (this.delivering) this.pollUs = us;
  }

  /** libuv read `n` bytes into the scratch buffer: hand them over, then poll as asked (pollAfter). */
  private delivered(n: number): boolean {
    let more = this.deliver(scratch.subarray(0, n));
    const calls = this.pollUs > 0 ? pollCalls() : null;
    if (!calls) {
      this.pollUs = 0;
      return more;
    }
    // The event loop waits for this at most POLL_BUDGET_MS (timers, signals, other pipes).
    const budgetEnd = monoMs() + POLL_BUDGET_MS;
    for (let now = monoMs(); more && this.pollUs > 0 && !this.ended && now < budgetEnd; now = monoMs()) {
      const end = Math.min(budgetEnd, now + this.pollUs / 1000);
      this.pollUs = 0;
      let got = calls.readNow(this.fd, scratch);
      while (got < 0 && monoMs() < end) {
        calls.yieldCpu();
        got = calls.readNow(this.fd, scratch);
      }
      // End of file and errors are libuv's to find (it reads the same fd next).
      if (got <= 0) break;
      more = this.deliver(scratch.subarray(0, got));
    }
    this.pollUs = 0;
    return more;
  }

  /**
   * The child was reaped: hand over what the pipe holds now (up to DRAIN_READS chunks),
   * close the fd and end the output. Nothing later a grandchild writes is read, as in
   * supervisor.
   */
  reap(): void {
    if (this.ended) return;
    this.socket.pause();
    for (let i = 0; i < DRAIN_READS; i++) {
      let n: number;
      try {
        n = readSync(this.fd, scratch, 0, CHUNK, null);
      } catch {
        break; // EAGAIN: empty for now; any other error ends the pipe as well
      }
      if (n === 0) break;
      this.deliver(scratch.subarray(0, n));
    }
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.close();
    this.consumer().end();
  }

  /** Close the fd; nothing more is read or told. */
  private close(): void {
    this.ended = true;
    this.socket.destroy();
  }

  /** Close the pipe without ending the output (the daemon drops the child). */
  destroy(): void {
    this.close();
    this.view?.destroy();
  }
}
