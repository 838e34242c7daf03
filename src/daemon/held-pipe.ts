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
  const reader = pipe as DirectSource;
  const held: Buffer[] = [];
  let ended = false;
  let sink: PipeSink | null = null;
  // An 'error' nobody hears would take the daemon down: kept for the consumer.
  let failure: Error | null = null;
  const keep = (e: Error) => (failure = e);
  reader.once('error', keep);
  /** Hand on what is held, then the reader itself once it is all out (the end too). */
  const flush = (): void => {
    while (sink && held.length > 0) if (!sink.write(held.shift()!)) return;
    if (!sink) return;
    if (ended) return sink.end();
    reader.off('error', keep);
    reader.sinkTo(sink);
  };
  reader.sinkTo({
    write: (chunk) => {
      held.push(Buffer.from(chunk));
      return false;
    },
    end: () => {
      ended = true;
      flush();
    },
  });
  const source: DirectUse = {
    sinkTo: (s) => {
      sink = s;
      flush();
    },
    // A sink that said false asks again here (ChildOutput's direct path, on the file's drain).
    readMore: flush,
    once: (_event, listener) => {
      if (failure) queueMicrotask(() => listener(failure!));
      else reader.once('error', listener);
    },
  };
  // Not a Readable: ChildOutput takes it for the DirectSource its direct path asks for.
  return source as unknown as Readable;
}
