// A statechart drawn from a machine's definition (src/web/statechart.ts): its states on
// an ellipse in definition order, one curved arrow per (source, target) pair labelled
// with the events that take it (`after <delay>` for timers, `[guard]` for eventless
// ones), self re-entries as loops. Transitions that stay in their state are listed below.
import type { Chart, ChartEdge } from '../../src/web/types.ts';

const NS = 'http://www.w3.org/2000/svg';
const W = 820;
const H = 540;
const NODE_H = 34;

interface Box { x: number; y: number; w: number; h: number }

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const labelOf = (e: ChartEdge): string => {
  const guard = e.guard ? ` [${e.guard}]` : '';
  return e.kind === 'after' ? `after ${e.event}${guard}` : e.kind === 'always' ? `[${e.guard ?? 'always'}]` : `${e.event}${guard}`;
};

/** Transitions declared on the machine itself leave from any state: drawn from this pseudo-state. */
const ANY = '*';

/** Where the segment from a box's centre towards `p` leaves the box. */
function clip(b: Box, p: { x: number; y: number }): { x: number; y: number } {
  const dx = p.x - b.x;
  const dy = p.y - b.y;
  const s = Math.min(Math.abs(dx) > 1e-6 ? b.w / 2 / Math.abs(dx) : Infinity, Math.abs(dy) > 1e-6 ? b.h / 2 / Math.abs(dy) : Infinity);
  return { x: b.x + dx * s, y: b.y + dy * s };
}

export interface DrawnChart {
  /** Highlights the current state and the edge of the last transition. */
  show(state: string, last: { from: string; to: string } | null): void;
}

/** Permutations of xs (Heap's algorithm), each a fresh array. */
function* permutations<T>(xs: T[]): Generator<T[]> {
  const a = [...xs];
  const c = a.map(() => 0);
  yield [...a];
  for (let i = 1; i < a.length; ) {
    if (c[i] < i) {
      const j = i % 2 ? c[i] : 0;
      [a[i], a[j]] = [a[j], a[i]];
      yield [...a];
      c[i]++;
      i = 1;
    } else {
      c[i++] = 0;
    }
  }
}

/**
 * The order of the states around the ellipse: the one with the fewest crossing arrows,
 * then the shortest (an arrow between neighbours stays out of the middle). Exhaustive
 * up to 9 states with the initial one fixed on top; larger machines keep their order.
 */
function arrange(ids: string[], links: [string, string][], initial: string | null): string[] {
  const first = initial && ids.includes(initial) ? initial : ids[0];
  const rest = ids.filter((id) => id !== first);
  if (ids.length > 9) return [first, ...rest];
  const n = ids.length;
  let best = [first, ...rest];
  let bestCost = Infinity;
  for (const perm of permutations(rest)) {
    const pos = new Map([first, ...perm].map((id, i) => [id, i]));
    const chords = links.map(([a, b]) => { const x = pos.get(a)!; const y = pos.get(b)!; return x < y ? [x, y] : [y, x]; });
    let cost = 0;
    for (const [x, y] of chords) cost += Math.min(y - x, n - (y - x));
    for (let i = 0; i < chords.length; i++) {
      const [a, b] = chords[i];
      for (let j = i + 1; j < chords.length; j++) {
        const [c, d] = chords[j];
        if (a !== c && a !== d && b !== c && b !== d && (a < c && c < b) !== (a < d && d < b)) cost += 4;
      }
    }
    if (cost < bestCost) [best, bestCost] = [[first, ...perm], cost];
  }
  return best;
}

export function drawChart(root: SVGSVGElement, chart: Chart, notes: HTMLElement): DrawnChart {
  root.replaceChildren();
  root.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const defs = svg('defs', {});
  for (const [id, cls] of [['arrow', 'arrowhead'], ['arrow-last', 'arrowhead last']]) {
    const m = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
    defs.append(m);
  }
  root.append(defs);
  const edges = chart.edges.map((e) => (e.source === '' && e.target ? { ...e, source: ANY } : e));
  const leaves = chart.states.filter((s) => !chart.states.some((c) => c.parent === s.id));
  if (edges.some((e) => e.source === ANY)) leaves.push({ id: ANY, key: 'any state', parent: null, initial: null, final: false, entry: [] });
  const links = edges.filter((e) => e.target && e.source && e.target !== e.source).map((e): [string, string] => [e.source, e.target!]);
  const order = arrange(leaves.map((s) => s.id), links, chart.initial);
  const atomic = order.map((id) => leaves.find((s) => s.id === id)!);
  const boxes = new Map<string, Box>();
  atomic.forEach((s, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / atomic.length;
    const label = s.parent ? `${s.parent}.${s.key}` : s.key;
    boxes.set(s.id, { x: W / 2 + (W / 2 - 110) * Math.cos(a), y: H / 2 + (H / 2 - 50) * Math.sin(a), w: Math.max(84, label.length * 8.6 + 26), h: NODE_H });
  });
  const pairs = new Map<string, ChartEdge[]>();
  const inPlace = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.target === null || !boxes.has(e.source) || (e.target === e.source && !e.reenter)) {
      const where = e.source === '' ? 'in every state' : e.source;
      (inPlace.get(where) ?? inPlace.set(where, new Set()).get(where)!).add(e.target && e.target !== e.source ? `${labelOf(e)} → ${e.target}` : labelOf(e));
      continue;
    }
    const k = `${e.source}\u0000${e.target}`;
    (pairs.get(k) ?? pairs.set(k, []).get(k)!).push(e);
  }
  const edgeEls = new Map<string, SVGGElement>();
  const edgeLayer = svg('g', { class: 'edges' });
  const labelLayer = svg('g', { class: 'labels' });
  for (const [k, list] of pairs) {
    const [src, dst] = k.split('\u0000');
    const a = boxes.get(src)!;
    const b = boxes.get(dst);
    if (!b) continue;
    const g = svg('g', { class: 'edge' });
    const labels = [...new Set(list.map(labelOf))];
    let d: string;
    let lx: number;
    let ly: number;
    if (src === dst) {
      d = `M${a.x - 14},${a.y - a.h / 2} C${a.x - 40},${a.y - a.h / 2 - 46} ${a.x + 40},${a.y - a.h / 2 - 46} ${a.x + 14},${a.y - a.h / 2}`;
      [lx, ly] = [a.x, a.y - a.h / 2 - 42];
    } else {
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      // a pair with arrows both ways bows further apart, so their labels do not meet
      const bow = (pairs.has(`${dst}\u0000${src}`) ? 0.3 : 0.14) * len;
      const c = { x: mx + (-(b.y - a.y) / len) * bow, y: my + ((b.x - a.x) / len) * bow };
      const p1 = clip(a, c);
      const p2 = clip(b, c);
      d = `M${p1.x},${p1.y} Q${c.x},${c.y} ${p2.x},${p2.y}`;
      [lx, ly] = [0.25 * p1.x + 0.5 * c.x + 0.25 * p2.x, 0.25 * p1.y + 0.5 * c.y + 0.25 * p2.y];
    }
    g.append(svg('path', { d, class: 'edge-line', 'marker-end': 'url(#arrow)' }));
    g.append(svg('title', {}, list.map((e) => `${labelOf(e)}${e.guard && e.kind !== 'always' ? ` [${e.guard}]` : ''}`).join('\n')));
    edgeLayer.append(g);
    const text = svg('text', { x: lx, y: ly, class: 'edge-label' });
    labels.forEach((l, i) => text.append(svg('tspan', { x: lx, dy: i === 0 ? `${-(labels.length - 1) * 0.55 + 0.35}em` : '1.1em' }, l)));
    labelLayer.append(text);
    edgeEls.set(k, g);
  }
  const nodeLayer = svg('g', { class: 'nodes' });
  const nodeEls = new Map<string, SVGGElement>();
  for (const s of atomic) {
    const b = boxes.get(s.id)!;
    const g = svg('g', { class: `node${s.final ? ' final' : ''}${s.id === chart.initial ? ' initial' : ''}${s.id === ANY ? ' any' : ''}`, 'data-id': s.id });
    g.append(svg('rect', { x: b.x - b.w / 2, y: b.y - b.h / 2, width: b.w, height: b.h, rx: b.h / 2 }));
    g.append(svg('text', { x: b.x, y: b.y + 5 }, s.parent ? `${s.parent}.${s.key}` : s.key));
    if (s.entry.length) g.append(svg('title', {}, `entry: ${s.entry.join(', ')}`));
    nodeLayer.append(g);
    nodeEls.set(s.id, g);
  }
  root.append(edgeLayer, nodeLayer, labelLayer);
  notes.replaceChildren(...[...inPlace].map(([where, events]) => {
    const p = document.createElement('span');
    p.textContent = `${where}: ${[...events].join(', ')}`;
    return p;
  }));
  return {
    show(state, last) {
      const current = new Set(state.split(','));
      for (const [id, g] of nodeEls) g.classList.toggle('current', current.has(id));
      const lastKey = last ? `${last.from}\u0000${last.to}` : '';
      for (const [k, g] of edgeEls) {
        const on = k === lastKey;
        g.classList.toggle('last', on);
        g.querySelector('path')!.setAttribute('marker-end', on ? 'url(#arrow-last)' : 'url(#arrow)');
      }
      root.dataset.state = state;
    },
  };
}
