// Node's HTTP parser copies every body chunk into a fresh 64 KiB Buffer. V8 frees those
// only at a garbage collection, and the external memory they count as starts one only
// after tens of MB; malloc then keeps what it grew to. A body drained and dropped (the
// refused 100 MB call) would so raise the daemon's RSS by 30-40 MB for good. A minor GC
// every few MB of drained bytes keeps it flat: the young generation is small and cheap
// to sweep. `gc` is exposed the way Node allows after start-up, once, when first needed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'minor' | 'major' }) => void;

let gc: Gc | null = null;

function minorGc(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
  }
  gc({ type: 'minor' });
}

export const RECLAIM_EVERY_BYTES = 4 * 1024 * 1024;

/** Counts bytes read only to be dropped; sweeps the young generation every RECLAIM_EVERY_BYTES. */
export function dropper(): (chunk: Buffer) => void {
  let since = 0;
  return (chunk) => {
    since += chunk.length;
    if (since >= RECLAIM_EVERY_BYTES) {
      since = 0;
      minorGc();
    }
  };
}
