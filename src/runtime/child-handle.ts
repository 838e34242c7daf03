// The handle startChild() returns (child.ts): one spawned child, its pipes and its exit.
// When the reaper hears of the exit it ends the output pipes as supervisor's finish()
// does (drain what they hold, close them) and closes the stdin pipe, then resolves
// `exited`: the exit is told after the output.
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { Writable, type Readable } from 'node:stream';
import type { Attempt, ChildExit, ChildHandle } from './child.ts';
import type { PipeReader } from './pipe-reader.ts';
import { noSuchProcess, sendSignal, type SignalFailure } from './signal.ts';

export class Child implements ChildHandle {
  readonly pid: number;
  exit: ChildExit | null = null;
  readonly exited: Promise<ChildExit>;

  /** The daemon's end of the stdin pipe: an fd until the first use of `stdin`, then its Socket. */
  private stdinEnd: number | Writable;

  constructor(
    started: Extract<Attempt, { pid: number }>,
    readonly startedAt: number,
    stdinFd: number,
    private readonly out: PipeReader,
    private readonly err: PipeReader | null,
    private readonly note: PipeReader | null,
    readonly failure: string | null,
    now: () => number,
  ) {
    this.stdinEnd = stdinFd;
    this.pid = started.pid;
    if (started.ended) {
      out.onEof = started.ended;
      if (err) err.onEof = started.ended;
    }
    this.exited = new Promise((resolve) => {
      started.onExit((exit) => {
        this.exit = { ...exit, at: now() };
        this.closeStdin();
        out.reap();
        err?.reap();
        // What the child wrote before it exited still reaches `notify`; a grandchild may
        // hold the pipe, so it ends here all the same.
        note?.reap();
        resolve(this.exit);
      });
    });
  }

  signal(sig: number | NodeJS.Signals, toGroup = false): SignalFailure | null {
    return this.exit ? noSuchProcess() : sendSignal(this.pid, sig, toGroup);
  }

  get output(): ChildHandle['output'] {
    return { stdout: this.out, stderr: this.err };
  }

  get stdout(): Readable {
    return this.out.stream();
  }

  get stderr(): Readable | null {
    return this.err?.stream() ?? null;
  }

  get notify(): Readable | null {
    return this.note?.stream() ?? null;
  }

  /**
   * Made at the first use: most programs never get a byte on stdin (sendProcessStdin), and
   * a Socket is about 1 KB of heap. Once the pipe is closed, a destroyed stream.
   */
  get stdin(): Writable {
    if (typeof this.stdinEnd !== 'number') return this.stdinEnd;
    const fd = this.stdinEnd;
    const socket = fd < 0 ? new Writable() : new Socket({ fd, readable: false, writable: true });
    if (fd < 0) socket.destroy();
    // A child that exits with unread stdin makes writes fail with EPIPE; supervisor then
    // just closes the channel. Consumers may listen too.
    else socket.on('error', () => socket.destroy());
    this.stdinEnd = socket;
    return socket;
  }

  private closeStdin(): void {
    const end = this.stdinEnd;
    if (typeof end !== 'number') end.destroy();
    else if (end >= 0) {
      this.stdinEnd = -1;
      closeSync(end);
    }
  }

  close(): void {
    this.closeStdin();
    this.out.destroy();
    this.err?.destroy();
    this.note?.destroy();
  }
}
