// A child's output pipe taken before there is anywhere to put it: the AUTO log files of a
// start-up are still being made when its children are spawned (process-logs.ts). Waiting
// to read the pipe is not enough: a child reaped meanwhile ends its PipeReader with nobody
// there, and a consumer that comes later would wait for an end that was never told.
import { PassThrough, pipeline, type Readable } from 'node:stream';
import type { DirectSource } from '../logs/child-output.ts';
import type { PipeSink } from '../runtime/pipe-reader.ts';

/** What ChildOutput's direct path uses of a DirectSource (child-output.ts direct()). */
interface DirectUse {
  sinkTo(sink: PipeSink): void;
  readMore(): void;
  once(event: 'error', listener: (e: Error) => void): unknown;
}

/**
 * The pipe's reads, held from now on for a consumer that comes later. For one that takes
 * them in place (`direct`, ChildOutput.readsDirect): the first read copied and the pipe
 * paused (a reap's last reads and its end kept too), all handed on in order to whoever
 * sinks the returned source, and the pipe then handed to it. For a stream consumer, a
 * PassThrough holds them.
 */
export function holdPipe(pipe: Readable, direct: boolean): Readable {
  if (!direct || typeof (pipe as Partial<DirectSource>).sinkTo !== 'function') return pipeline(pipe, new PassThrough(), () => {});
  // Not a Readable: ChildOutput takes it for the DirectSource its direct path asks for.
  return new HeldPipe(pipe as DirectSource) as unknown as Readable;
}

/** One object per held channel (a child's life long, for the consumer's closures): the pipe's sink and the consumer's source. */
class HeldPipe implements PipeSink, DirectUse {
  private readonly held: Buffer[] = [];
  private ended = false;
  private sink: PipeSink | null = null;
  private failure: Error | null = null;
  // An 'error' nobody hears would take the daemon down: kept for the consumer.
  private readonly keep = (e: Error): void => {
    this.failure = e;
  };

  constructor(private readonly reader: DirectSource) {
    reader.once('error', this.keep);
    reader.sinkTo(this);
  }

  /** The pipe's reads while held: copied, and no more read until the consumer comes. */
  write(chunk: Buffer): boolean {
    this.held.push(Buffer.from(chunk));
    return false;
  }

  end(): void {
    this.ended = true;
    this.readMore();
  }

  sinkTo(sink: PipeSink): void {
    this.sink = sink;
    this.readMore();
  }

  /** Hand on what is held, then the pipe itself (or its end). A sink that said false asks again here. */
  readMore(): void {
    const sink = this.sink;
    if (!sink) return;
    while (this.held.length > 0) if (!sink.write(this.held.shift()!)) return;
    if (this.ended) {
      this.sink = null; // told once
      return sink.end();
    }
    this.reader.off('error', this.keep);
    this.reader.sinkTo(sink);
  }

  once(_event: 'error', listener: (e: Error) => void): this {
    const failure = this.failure;
    if (failure) queueMicrotask(() => listener(failure));
    else this.reader.once('error', listener);
    return this;
  }
}
