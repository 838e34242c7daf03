// A child's output pipe taken before there is anywhere to put it: the AUTO log files of a
// start-up are still being made when its children are spawned (process-logs.ts). A
// PipeReader keeps what comes before its consumer in a stream of its own (a reap, end of
// file), which a consumer that reads in place (ChildOutput's direct path) cannot take over.
import { Readable } from 'node:stream';
import type { OutputSource, PipeSink } from '../runtime/pipe-reader.ts';

/** libuv's read size for streams, as PipeReader's stream. */
const CHUNK = 64 * 1024;

/**
 * The pipe, held from now on for a consumer that comes later. One that takes the reads in
 * place (`direct`, ChildOutput.readsDirect) gets them from a HeldPipe; a stream consumer
 * needs none (PipeReader.stream keeps them).
 */
export function holdPipe(pipe: OutputSource, direct: boolean): OutputSource {
  return direct ? new HeldPipe(pipe) : pipe;
}

/**
 * The pipe's consumer until the real one comes: the first read copied and the pipe paused
 * (a reap's last reads, its end or its error kept too), all handed on in order to whoever
 * sinks it, and the reads after that passed straight on. One object per held channel.
 */
class HeldPipe implements PipeSink, OutputSource {
  private readonly held: Buffer[] = [];
  private ended = false;
  private failure: Error | null = null;
  private sink: PipeSink | null = null;
  private passing = false;

  constructor(private readonly reader: OutputSource) {
    reader.sinkTo(this);
  }

  write(chunk: Buffer): boolean {
    if (this.passing) return this.sink!.write(chunk);
    this.held.push(Buffer.from(chunk));
    return false;
  }

  end(): void {
    this.ended = true;
    this.handOn();
  }

  error(e: Error): void {
    this.failure = e;
    this.handOn();
  }

  sinkTo(sink: PipeSink): void {
    this.sink = sink;
    this.handOn();
  }

  /** A sink that said false asks again here. */
  readMore(): void {
    if (this.passing) this.reader.readMore();
    else this.handOn();
  }

  /** Hand on what is held, then the end or error, or let the reads pass from now on. */
  private handOn(): void {
    const sink = this.sink;
    if (!sink) return;
    while (this.held.length > 0) if (!sink.write(this.held.shift()!)) return;
    if (this.failure || this.ended) {
      this.sink = null; // told once
      return this.failure ? sink.error(this.failure) : sink.end();
    }
    if (this.passing) return;
    this.passing = true;
    this.reader.readMore();
  }

  stream(): Readable {
    const view = new Readable({ highWaterMark: CHUNK, read: () => this.readMore() });
    this.sinkTo({ write: (chunk) => view.push(Buffer.from(chunk)), end: () => view.push(null), error: (e) => view.destroy(e) });
    return view;
  }
}
