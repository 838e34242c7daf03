// Small numeric and text helpers for the bench tables.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A fixed-point figure with its unit, or a dash. */
export function fmt(x: number | null | undefined, digits: number, unit = ''): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${x.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/**
 * ours vs theirs for a lower-is-better figure: `12.3× faster` / `2.1× larger` …
 * `better`/`worse` name the direction (faster/slower, smaller/larger, less/more).
 */
export function ratio(ours: number | null | undefined, theirs: number | null | undefined, better: string, worse: string): string {
  if (ours === null || ours === undefined || theirs === null || theirs === undefined) return '—';
  if (!Number.isFinite(ours) || !Number.isFinite(theirs)) return '—';
  // A zero is below the resolution (a clock tick, say): no meaningful ratio.
  if (ours <= 0 || theirs <= 0) return ours <= 0 && theirs <= 0 ? 'both 0' : `${ours <= 0 ? better : worse} (one is 0)`;
  const r = theirs / ours;
  return r >= 1 ? `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}× ${better}` : `${(1 / r) >= 10 ? (1 / r).toFixed(0) : (1 / r).toFixed(1)}× ${worse}`;
}

/** A Markdown table; columns after the first are right-aligned. */
export function table(head: string[], rows: string[][]): string {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (s: string, i: number) => (i === 0 ? s.padEnd(width[i]) : s.padStart(width[i]));
  const line = (r: string[]) => `| ${r.map(cell).join(' | ')} |`;
  const rule = `|${width.map((w, i) => (i === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

export const mb = (kb: number | null | undefined) => (kb === null || kb === undefined ? null : kb / 1024);
