// Preloaded into statevisord by the bench's memory experiments only (node --import
// bench/lib/probe.mjs): on SIGWINCH it appends one JSON line to $STATEVISOR_BENCH_PROBE with
// the daemon's memory as V8 and Node see it, then does the same after a forced full GC.
// Plain JavaScript: the daemon runs without a TypeScript loader.
import { appendFileSync, readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const out = process.env.STATEVISOR_BENCH_PROBE;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
delete process.env.STATEVISOR_BENCH_PROBE;

const rssKb = () => Number(/^VmRSS:\s*(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);

function sample(label) {
  const m = process.memoryUsage();
  const spaces = {};
  for (const s of getHeapSpaceStatistics()) spaces[s.space_name] = { size: s.space_size, used: s.space_used_size, committed: s.physical_space_size };
  return { label, rssKb: rssKb(), heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, spaces };
}

if (out) {
  process.on('SIGWINCH', () => {
    appendFileSync(out, `${JSON.stringify(sample('idle'))}\n`);
    gc();
    appendFileSync(out, `${JSON.stringify(sample('after full GC'))}\n`);
  });
}
