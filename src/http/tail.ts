// A `tail -f` over HTTP as supervisor's tail_f_producer: the last 1024 bytes first, then
// whatever the file grows by; a new inode at the path (rotation) starts over on the new
// file, a shrink says `==> File truncated <==`. supervisor looks every 0.1 s; a source
// that can say when it changed replaces the polling. Reads wait for the client (drain),
// and a client that goes away stops everything: timer, watch, file handle.
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

export const TAIL_HEAD_BYTES = 1024;
export const TAIL_POLL_MS = 100;
export const TRUNCATED = '==> File truncated <==\n';
const READ_CHUNK = 64 * 1024;

export interface TailSource {
  /** The log file to follow. A path that does not exist is answered 404. */
  path: string;
  /**
   * Call `changed` whenever the file may have grown, rotated or shrunk; returns the
   * unsubscribe. Without it the tail looks every 100 ms, as supervisor's producer does.
   */
  watch?(changed: () => void): () => void;
}

export class TailStream {
  private stopped = false;
  private signalled = false;
  private wakeUp: (() => void) | null = null;
  private readonly unwatch: (() => void) | null;
  /** Settles once the loop has ended and the file is closed. */
  readonly finished: Promise<void>;

  private constructor(
    private readonly res: ServerResponse,
    private readonly source: TailSource,
    private fh: FileHandle,
    private ino: number,
    private sz: number,
  ) {
    this.unwatch = source.watch ? source.watch(() => this.wake()) : null;
    res.once('close', () => this.stop());
    this.finished = this.run();
  }

  /** Opens the file, or resolves null when it is not there (the caller answers 404). */
  static async open(res: ServerResponse, source: TailSource, headers: Record<string, string>): Promise<TailStream | null> {
    let fh: FileHandle;
    try {
      fh = await open(source.path, 'r');
    } catch {
      return null;
    }
    const st = await fh.stat();
    if (res.destroyed) {
      await fh.close();
      return null;
    }
    res.writeHead(200, { 'Last-Modified': new Date(Math.floor(st.mtimeMs / 1000) * 1000).toUTCString(), ...headers });
    res.flushHeaders();
    return new TailStream(res, source, fh, st.ino, st.size >= TAIL_HEAD_BYTES ? st.size - TAIL_HEAD_BYTES : 0);
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  private wake(): void {
    this.signalled = true;
    this.wakeUp?.();
  }

  private nextChange(): Promise<void> {
    if (this.signalled || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.unwatch ? null : setTimeout(() => this.wake(), TAIL_POLL_MS);
      this.wakeUp = () => {
        if (timer) clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        this.signalled = false;
        await this.follow();
        await this.sendNew();
        await this.nextChange();
      }
    } catch {
      this.res.destroy();
    } finally {
      this.unwatch?.();
      await this.fh.close().catch(() => {});
    }
  }

  private async follow(): Promise<void> {
    let ino: number;
    try {
      ino = (await stat(this.source.path)).ino;
    } catch {
      return; // unlinked: keep reading what we have open
    }
    if (ino === this.ino) return;
    await this.fh.close();
    this.fh = await open(this.source.path, 'r');
    this.ino = (await this.fh.stat()).ino;
    this.sz = 0;
  }

  private async sendNew(): Promise<void> {
    const size = (await this.fh.stat()).size;
    if (size < this.sz) {
      await this.write(TRUNCATED);
      this.sz = 0;
    }
    while (this.sz < size && !this.stopped) {
      const want = Math.min(READ_CHUNK, size - this.sz);
      const { bytesRead, buffer } = await this.fh.read(Buffer.allocUnsafe(want), 0, want, this.sz);
      if (bytesRead === 0) return;
      this.sz += bytesRead;
      await this.write(buffer.subarray(0, bytesRead));
    }
  }

  private write(data: string | Buffer): Promise<void> {
    if (this.stopped || this.res.write(data)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
