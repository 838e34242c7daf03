// What a V8 .heapsnapshot holds, by class: shallow size (the objects themselves) and
// retained size (what would be freed with them), from a dominator tree over the snapshot
// graph (weak edges ignored, as DevTools does). Retained size of a class counts only its
// objects that no other object of the same class dominates, so nested ones are not
// counted twice.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface ClassRow { name: string; count: number; shallow: number; retained: number }

export interface HeapSummary {
  nodes: number;
  totalShallow: number;
  byClass: ClassRow[];
  /** Closures grouped by function name: which code makes them. */
  closures: ClassRow[];
}

/** A node's class: the constructor name for objects, else its type in parentheses, as DevTools groups them. */
function classOf(type: string, name: string): string {
  switch (type) {
    case 'object': return name.startsWith('system / ') ? `(${name})` : name;
    case 'closure': return '(closure)';
    case 'string': case 'concatenated string': case 'sliced string': return '(string)';
    case 'code': return '(compiled code)';
    case 'array': return '(array)';
    case 'hidden': return `(system) ${name.replace(/^system \/ /, '')}`;
    case 'native': return name.startsWith('Detached ') ? name : `(native) ${name.split(' ')[0]}`;
    default: return `(${type})`;
  }
}

export function summarize(file: string): HeapSummary {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const nf = s.snapshot.meta.node_fields, ef = s.snapshot.meta.edge_fields;
  const NF = nf.length, EF = ef.length;
  const nType = nf.indexOf('type'), nName = nf.indexOf('name'), nSize = nf.indexOf('self_size'), nEdges = nf.indexOf('edge_count');
  const eType = ef.indexOf('type'), eTo = ef.indexOf('to_node');
  const nodeTypes = s.snapshot.meta.node_types[0], edgeTypes = s.snapshot.meta.edge_types[0];
  const weak = edgeTypes.indexOf('weak');
  const N = s.nodes.length / NF;

  const firstEdge = new Uint32Array(N + 1);
  for (let i = 0, e = 0; i < N; i++) { firstEdge[i] = e; e += s.nodes[i * NF + nEdges] * EF; firstEdge[i + 1] = e; }
  const targets = (i: number, f: (j: number) => void) => {
    for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += EF) if (s.edges[e + eType] !== weak) f(s.edges[e + eTo] / NF);
  };

  // Post-order from the root (node 0), iteratively.
  const order = new Int32Array(N).fill(-1); // post-order number
  const byOrder = new Int32Array(N);
  let count = 0;
  const stack: number[] = [0], cursor = new Uint32Array(N);
  const visited = new Uint8Array(N); visited[0] = 1;
  for (let i = 0; i < N; i++) cursor[i] = firstEdge[i];
  while (stack.length) {
    const v = stack[stack.length - 1];
    let pushed = false;
    while (cursor[v] < firstEdge[v + 1]) {
      const e = cursor[v]; cursor[v] += EF;
      if (s.edges[e + eType] === weak) continue;
      const w = s.edges[e + eTo] / NF;
      if (!visited[w]) { visited[w] = 1; stack.push(w); pushed = true; break; }
    }
    if (!pushed) { stack.pop(); order[v] = count; byOrder[count++] = v; }
  }
  // Predecessors of reachable nodes.
  const predCount = new Uint32Array(N + 1);
  for (let i = 0; i < N; i++) if (order[i] >= 0) targets(i, (j) => { predCount[j + 1]++; });
  for (let i = 0; i < N; i++) predCount[i + 1] += predCount[i];
  const preds = new Uint32Array(predCount[N]); const fill = predCount.slice(0, N);
  for (let i = 0; i < N; i++) if (order[i] >= 0) targets(i, (j) => { preds[fill[j]++] = i; });
  // Cooper, Harvey, Kennedy: iterate idom in reverse post-order until stable.
  const idom = new Int32Array(N).fill(-1); idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (order[a] < order[b]) a = idom[a];
      while (order[b] < order[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let k = count - 2; k >= 0; k--) {
      const v = byOrder[k];
      let d = -1;
      for (let p = predCount[v]; p < predCount[v + 1]; p++) {
        const u = preds[p];
        if (idom[u] === -1) continue;
        d = d === -1 ? u : intersect(u, d);
      }
      if (d !== -1 && idom[v] !== d) { idom[v] = d; changed = true; }
    }
  }
  // Retained sizes: children before parents, i.e. in post-order.
  const retained = new Float64Array(N);
  for (let i = 0; i < N; i++) retained[i] = s.nodes[i * NF + nSize];
  for (let k = 0; k < count - 1; k++) { const v = byOrder[k]; if (idom[v] >= 0 && idom[v] !== v) retained[idom[v]] += retained[v]; }

  const cls: string[] = new Array(N);
  const rows = new Map<string, ClassRow>();
  const closures = new Map<string, ClassRow>();
  let totalShallow = 0;
  for (let i = 0; i < N; i++) {
    if (order[i] < 0) continue;
    const name = classOf(nodeTypes[s.nodes[i * NF + nType]], s.strings[s.nodes[i * NF + nName]]);
    cls[i] = name;
    const size = s.nodes[i * NF + nSize];
    totalShallow += size;
    const r = rows.get(name) ?? { name, count: 0, shallow: 0, retained: 0 };
    r.count++; r.shallow += size;
    rows.set(name, r);
    if (name === '(closure)') {
      const fn = s.strings[s.nodes[i * NF + nName]] || '(anonymous)';
      const c = closures.get(fn) ?? { name: fn, count: 0, shallow: 0, retained: 0 };
      c.count++; c.shallow += size; c.retained += retained[i];
      closures.set(fn, c);
    }
  }
  // A class's retained size: its objects with no same-class object above them in the dominator tree.
  const kids = new Map<number, number[]>();
  for (let k = 0; k < count; k++) { const v = byOrder[k]; if (v !== 0) { const d = idom[v]; (kids.get(d) ?? kids.set(d, []).get(d)!).push(v); } }
  const onPath = new Map<string, number>();
  const walk: Array<[number, boolean]> = [[0, false]];
  while (walk.length) {
    const [v, leaving] = walk.pop()!;
    const c = cls[v];
    if (leaving) { onPath.set(c, onPath.get(c)! - 1); continue; }
    if (!onPath.get(c)) rows.get(c)!.retained += retained[v];
    onPath.set(c, (onPath.get(c) ?? 0) + 1);
    walk.push([v, true]);
    for (const w of kids.get(v) ?? []) walk.push([w, false]);
  }
  return { nodes: count, totalShallow, byClass: [...rows.values()], closures: [...closures.values()] };
}

const mb = (n: number) => `${(n / 1048576).toFixed(2)} MB`;

export function formatSummary(h: HeapSummary, top = 25, perUnit?: { n: number; label: string }): string {
  const lines = [`${h.nodes} reachable objects, ${mb(h.totalShallow)} shallow in all`];
  const unit = (n: number) => (perUnit ? `  ${(n / perUnit.n / 1024).toFixed(2).padStart(7)} kB/${perUnit.label}` : '');
  const table = (title: string, rows: ClassRow[], key: 'shallow' | 'retained') => {
    lines.push(title);
    for (const r of rows.sort((a, b) => b[key] - a[key]).slice(0, top)) {
      lines.push(`  ${mb(r[key]).padStart(10)}${unit(r[key])}  ${String(r.count).padStart(7)} × ${r.name}`);
    }
  };
  table('by shallow size', [...h.byClass], 'shallow');
  lines.push('closures by function name (count, shallow size)');
  for (const r of [...h.closures].sort((a, b) => b.count - a.count).slice(0, top)) {
    lines.push(`  ${String(r.count).padStart(7)} × ${r.name.padEnd(32)} ${mb(r.shallow).padStart(10)}${perUnit ? `  ${(r.count / perUnit.n).toFixed(1).padStart(6)}/${perUnit.label}` : ''}`);
  }
  table('by retained size (outermost objects of each class)', h.byClass.filter((r) => !/^\((system|native)\)|^\(GC roots\)|^\(Document|^\(synthetic/.test(r.name) && r.name !== ''), 'retained');
  return lines.join('\n');
}
