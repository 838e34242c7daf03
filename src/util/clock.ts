// Monotonic milliseconds, as performance.now() gives them, without the `performance`
// global: its first read loads node:perf_hooks and eight more modules (about 0.35 MB of a
// daemon's RSS, bench/README.md) for a clock that process.hrtime already is.

/** Milliseconds from an arbitrary fixed point; only differences mean anything. */
export function monoMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/** The wall clock when this module loaded, less monoMs() then. */
const wallOrigin = Date.now() - monoMs();

/** Epoch milliseconds that never step back (performance.timeOrigin + performance.now()). */
export const monoEpochMs = (): number => wallOrigin + monoMs();
