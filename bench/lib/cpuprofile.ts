// Summaries of a V8 .cpuprofile (node --cpu-prof): self time by function and by file, and
// total (inclusive) time of the functions that match a pattern.
import { readFileSync } from 'node:fs';

interface Frame { functionName: string; url: string; lineNumber: number }
interface Node { id: number; callFrame: Frame; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface Row { name: string; ms: number; share: number }

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/[^/]+)\/.*$/, '$1').replace(/^.*\/work\/main\//, '');
const label = (f: Frame) => `${f.functionName || '(anonymous)'} ${short(f.url) || '(native)'}${f.url ? `:${f.lineNumber + 1}` : ''}`;

export class CpuProfile {
  private readonly p: Profile;
  private readonly byId = new Map<number, Node>();
  private readonly parent = new Map<number, number>();
  private readonly selfMs = new Map<number, number>();
  readonly totalMs: number;

  /** window: only samples taken between these CLOCK_MONOTONIC times (µs, as process.hrtime). */
  constructor(file: string, window?: [number, number]) {
    this.p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    for (const n of this.p.nodes) {
      this.byId.set(n.id, n);
      for (const c of n.children ?? []) this.parent.set(c, n.id);
    }
    let total = 0;
    let at = this.p.startTime;
    this.p.samples.forEach((id, i) => {
      at += this.p.timeDeltas[i] ?? 0;
      if (window && (at < window[0] || at > window[1])) return;
      const dt = (this.p.timeDeltas[i] ?? 0) / 1000;
      total += dt;
      this.selfMs.set(id, (this.selfMs.get(id) ?? 0) + dt);
    });
    this.totalMs = total;
  }

  /** Sampled time that was not idle, (program) or (garbage collector) included. */
  get busyMs(): number {
    let idle = 0;
    for (const [id, ms] of this.selfMs) if (this.byId.get(id)?.callFrame.functionName === '(idle)') idle += ms;
    return this.totalMs - idle;
  }

  private rows(key: (n: Node) => string, top: number): Row[] {
    const acc = new Map<string, number>();
    for (const [id, ms] of this.selfMs) {
      const n = this.byId.get(id)!;
      if (n.callFrame.functionName === '(idle)') continue;
      acc.set(key(n), (acc.get(key(n)) ?? 0) + ms);
    }
    const busy = this.busyMs || 1;
    return [...acc].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms, share: ms / busy }));
  }

  selfByFunction(top = 20): Row[] {
    return this.rows((n) => label(n.callFrame), top);
  }

  selfByFile(top = 15): Row[] {
    return this.rows((n) => short(n.callFrame.url) || n.callFrame.functionName, top);
  }

  /** Inclusive time of each distinct frame matching `test` (a frame counted once per sample). */
  inclusive(test: (f: Frame) => boolean, top = 20): Row[] {
    const acc = new Map<string, number>();
    for (const [id, ms] of this.selfMs) {
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = this.parent.get(cur)) {
        const f = this.byId.get(cur)!.callFrame;
        if (!test(f)) continue;
        const l = label(f);
        if (seen.has(l)) continue;
        seen.add(l);
        acc.set(l, (acc.get(l) ?? 0) + ms);
      }
    }
    const busy = this.busyMs || 1;
    return [...acc].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms, share: ms / busy }));
  }
}

export function formatRows(title: string, rows: Row[]): string {
  return [title, ...rows.map((r) => `  ${r.ms.toFixed(0).padStart(7)} ms ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.name}`)].join('\n');
}
