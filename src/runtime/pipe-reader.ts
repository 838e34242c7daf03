// The daemon's read end of a child's stdout or stderr pipe, as a Readable that ends either
// at end-of-file or when the child is reaped, whichever comes first.
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
// The plain pipe → file case (no taps, no stages) takes the reads without the stream:
// sinkTo() hands each read, still in the shared scratch buffer, to a synchronous consumer,
// so the hot path pays neither a copy nor an allocation per read (logs/child-output.ts).
import { readSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { Readable } from 'node:stream';

/** libuv's read size for streams. */
const CHUNK = 64 * 1024;
/** reap() reads at most this many chunks: what a dead child left (one pipe's 64 KiB), bounded. */
const DRAIN_READS = 4;

// Every read lands here and is copied out at once: libuv reads on the main thread only,
// and a small chunk then holds a small buffer instead of 64 KiB until it is written.
const scratch = Buffer.allocUnsafe(CHUNK);

/** Node's Socket constructor takes `onread` as connect() does; @types/node lists it for connect() only. */
type PipeSocketOptions = SocketConstructorOpts & { onread: OnReadOpts };

/** A consumer of the reads, instead of the stream (see sinkTo). */
export interface PipeSink {
  /** One read; `chunk` is valid only during the call. false: read no more until readMore(). */
  write(chunk: Buffer): boolean;
  /** End of file, or the child was reaped: no more writes. */
  end(): void;
}

export class PipeReader extends Readable {
  private readonly socket: Socket;
  private ended = false;
  private sink: PipeSink | null = null;

  constructor(private readonly fd: number) {
    super({ highWaterMark: CHUNK });
    const options: PipeSocketOptions = {
      fd, readable: true, writable: false,
      // false pauses the socket, as a refused push must.
      onread: { buffer: scratch, callback: (n: number) => this.deliver(scratch.subarray(0, n)) },
    };
    this.socket = new Socket(options);
    // Read only while our consumer wants more: _read() resumes, a refused push pauses.
    this.socket.pause();
    this.socket.once('end', () => this.finish());
    this.socket.once('error', (e) => this.destroy(e));
  }

  override _read(): void {
    this.readMore();
  }

  /** Read again after a PipeSink said false (and the stream's _read). */
  readMore(): void {
    if (!this.ended) this.socket.resume();
  }

  /** Hand every read to `sink` from now on, instead of the stream; reading starts now. */
  sinkTo(sink: PipeSink): void {
    this.sink = sink;
    this.readMore();
  }

  private deliver(chunk: Buffer): boolean {
    return this.sink ? this.sink.write(chunk) : this.push(Buffer.from(chunk));
  }

  /**
   * The child was reaped: push what the pipe holds now (up to DRAIN_READS chunks), close
   * the fd and end the stream. Nothing later a grandchild writes is read, as in supervisor.
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
    this.ended = true;
    this.socket.destroy();
    if (this.sink) this.sink.end();
    else this.push(null);
  }

  override _destroy(error: Error | null, cb: (error?: Error | null) => void): void {
    this.ended = true;
    this.socket.destroy();
    cb(error);
  }
}
