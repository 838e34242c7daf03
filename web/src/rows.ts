// The status table: one row per process under its group's header row, built once and
// then patched field by field. Updates are queued and applied once per animation frame,
// so a burst of 1,000 state changes costs one layout, not 1,000. Rows are grid boxes,
// not table rows: each contains its own layout and the browser skips the ones off
// screen (content-visibility), so a change costs its row, not the 2,000 of a table.
import type { GroupRow, ProcessRow } from '../../src/web/types.ts';
import { timedelta } from '../../src/util/timedelta.ts';

interface RowView {
  data: ProcessRow;
  tr: HTMLElement;
  state: HTMLElement;
  desc: HTMLElement;
  pid: HTMLElement;
  /** Seconds to add to the daemon's clock to get ours, when the row was received. */
  skew: number;
}

/** supervisor's CSS classes for a state (web.py css_class_for_state). */
export const stateClass = (s: string): string => (s === 'RUNNING' ? 'statusrunning' : s === 'FATAL' || s === 'BACKOFF' ? 'statuserror' : 'statusnominal');
/** web.py actions_for_process: which buttons a state offers. */
const canStart = (s: string) => s === 'STOPPED' || s === 'EXITED' || s === 'FATAL';
const canStop = (s: string) => s === 'RUNNING';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const button = (action: string, label: string, title: string): HTMLButtonElement => {
  const b = el('button', `act act-${action}`, label);
  b.dataset.action = action;
  b.title = title;
  return b;
};

export class StatusTable {
  private readonly views = new Map<string, RowView>();
  private readonly groupRows = new Map<string, HTMLElement>();
  private pending = new Map<string, ProcessRow>();
  private frame = 0;
  /** Row updates applied so far, and the time spent applying them (the bench reads both). */
  applied = 0;
  busyMs = 0;

  constructor(private readonly body: HTMLElement) {}

  render(groups: GroupRow[], processes: ProcessRow[]): void {
    this.views.clear();
    this.groupRows.clear();
    const byGroup = new Map<string, ProcessRow[]>();
    for (const p of processes) (byGroup.get(p.group) ?? byGroup.set(p.group, []).get(p.group)!).push(p);
    const frag = document.createDocumentFragment();
    const now = Date.now() / 1000;
    for (const g of groups) {
      const members = byGroup.get(g.name) ?? [];
      frag.append(this.groupRow(g, members.length));
      for (const p of members) frag.append(this.row(p, now, g.listener));
    }
    this.body.replaceChildren(frag);
  }

  private groupRow(g: GroupRow, count: number): HTMLElement {
    const tr = el('div', 'row group');
    const td = el('div', 'cell');
    const name = el('strong', '', g.name);
    const info = el('span', 'group-info', `${count} process${count === 1 ? '' : 'es'} · ${g.strategy}${g.maxRestarts ? ` · at most ${g.maxRestarts} restarts in ${g.restartWindow} s` : ''}`);
    const state = el('span', 'group-state', g.state);
    const view = button('machine', 'state machine', `State machine of group ${g.name}`);
    view.dataset.actor = g.actor;
    td.append(name, info, state, view);
    tr.append(td);
    this.groupRows.set(g.name, tr);
    return tr;
  }

  private row(p: ProcessRow, now: number, listener: boolean): HTMLElement {
    const tr = el('div', 'row proc');
    tr.dataset.ns = p.ns;
    const state = el('span', 'badge');
    const desc = el('div', 'cell desc');
    const pid = el('div', 'cell c-pid');
    const name = el('div', 'cell name');
    const link = el('a', '', p.ns);
    link.href = `tail.html?processname=${encodeURIComponent(p.ns)}`;
    link.dataset.tail = p.ns;
    name.append(link);
    const actions = el('div', 'cell c-actions');
    actions.append(
      button('start', 'Start', 'Start'), button('stop', 'Stop', 'Stop'), button('restart', 'Restart', 'Restart'),
      button('clearlog', 'Clear log', 'Clear the log'), button('tail', 'Tail', 'Tail -f stdout'), button('machine', 'Machine', 'State machine'),
    );
    if (listener) {
      const protocol = button('machine', 'Protocol', 'Event listener protocol state (its current spawn)');
      protocol.dataset.actor = `listener:${p.group}:${p.name}`;
      protocol.classList.add('act-protocol');
      actions.append(protocol);
    }
    const stateTd = el('div', 'cell c-state');
    stateTd.append(state);
    tr.append(stateTd, desc, pid, name, actions);
    const view: RowView = { data: p, tr, state, desc, pid, skew: now - p.now };
    this.views.set(p.ns, view);
    this.paint(view, p);
    return tr;
  }

  private paint(v: RowView, p: ProcessRow): void {
    if (v.data.statename !== p.statename || !v.state.textContent) {
      v.state.textContent = p.statename.toLowerCase();
      v.state.className = `badge ${stateClass(p.statename)}`;
      v.tr.dataset.state = p.statename;
      v.tr.classList.toggle('can-start', canStart(p.statename));
      v.tr.classList.toggle('can-stop', canStop(p.statename));
    }
    v.data = p;
    v.desc.textContent = p.description;
    v.pid.textContent = p.pid ? String(p.pid) : '';
  }

  /** Queue rows; they are painted on the next frame (the last update of a row wins). */
  update(rows: ProcessRow[]): void {
    for (const r of rows) this.pending.set(r.ns, r);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    const t0 = performance.now();
    const now = Date.now() / 1000;
    for (const [ns, r] of this.pending) {
      const v = this.views.get(ns);
      if (!v) continue;
      v.skew = now - r.now;
      this.paint(v, r);
      this.applied++;
    }
    this.pending = new Map();
    this.busyMs += performance.now() - t0;
  }

  updateGroups(groups: GroupRow[]): void {
    for (const g of groups) {
      const s = this.groupRows.get(g.name)?.querySelector('.group-state');
      if (s) s.textContent = g.state;
    }
  }

  /** RUNNING rows count their uptime here, as getProcessInfo would say it now. */
  tick(): void {
    const now = Date.now() / 1000;
    for (const v of this.views.values()) {
      const p = v.data;
      if (p.statename !== 'RUNNING') continue;
      // What the daemon adds after the uptime (a health check's `, healthy`) stays.
      const rest = p.description.replace(/^pid \d+, uptime [^,]*/, '');
      const text = `pid ${p.pid}, uptime ${timedelta(Math.max(0, Math.floor(now - v.skew - p.start)))}${rest}`;
      if (v.desc.textContent !== text) v.desc.textContent = text;
    }
  }

  get size(): number {
    return this.views.size;
  }
}
