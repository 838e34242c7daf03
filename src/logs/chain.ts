// stream.pipeline() for the child-output stages, without its weight: pipeline() gives each
// chain an AbortController and each stream several end-of-stream watchers (six closures
// apiece), about 12 kB a child for its two channels that live as long as the child does
// (bench --heap). Here each stream has one 'error' and one 'close' listener, and pipe()
// carries the bytes with back-pressure. What pipeline() promises is kept: the promise
// resolves once the last stream has finished and closed (a log file's fd is closed then;
// Node's default autoDestroy makes a finished Writable close), or rejects with the first
// error or premature close of any stream, and then every stream is destroyed.
import type { Readable, Writable } from 'node:stream';

export type Stage = Readable | Writable;

/** Node's ERR_STREAM_PREMATURE_CLOSE, the error pipeline() reports for a stream closed early. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** Whether a stage closed before its end: a readable before 'end', the last one before 'finish'. */
const cutShort = (s: Stage, last: boolean): boolean =>
  last ? !(s as Writable).writableFinished : !(s as Readable).readableEnded;

export function chain(stages: readonly Stage[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      for (const s of stages) s.destroy();
      reject(e);
    };
    const end = stages.length - 1;
    stages.forEach((s, i) => {
      if (i < end) (s as Readable).pipe(stages[i + 1] as Writable);
      s.on('error', fail);
      s.once('close', () => {
        if (cutShort(s, i === end)) fail(prematureClose());
        else if (i === end && !settled) {
          settled = true;
          resolve();
        }
      });
    });
  });
}
