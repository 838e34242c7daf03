// The state-machine view of one actor: its chart, its current state lit, its recent
// transitions in order with their times, its context's plain facts; all live from
// /api/actor-events. Each transition is applied on its own, in order, so a view that
// gets STOPPING and STOPPED in one message still passes through both.
import type { ActorView, Transition } from '../../src/web/types.ts';
import { stream } from './api.ts';
import { drawChart, type DrawnChart } from './chart.ts';

const time = (ms: number): string => {
  const d = new Date(ms);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

/** Epoch milliseconds (laststart, a group's restart times) read better as times. */
const fact = (v: string | number): string => (typeof v === 'number' && v > 1e12 && v < 1e14 ? time(v) : String(v));

export class MachineView {
  private es: EventSource | null = null;
  private chart: DrawnChart | null = null;
  private last: Transition | null = null;

  constructor(private readonly overlay: HTMLElement) {}

  private get(id: string): HTMLElement {
    return this.overlay.querySelector(`#${id}`)!;
  }

  open(key: string): void {
    this.close();
    this.overlay.hidden = false;
    this.overlay.dataset.actor = key;
    this.get('machine-title').textContent = key;
    this.get('history').replaceChildren();
    this.es = stream(`api/actor-events?id=${encodeURIComponent(key)}`, {
      view: (d) => this.view(d as ActorView),
      transition: (d) => this.transition(d as Transition),
      state: (d) => this.state(d as Pick<ActorView, 'state' | 'facts'>),
    });
  }

  private view(v: ActorView): void {
    this.get('machine-title').textContent = `${v.id} — ${v.chart.machine} machine`;
    this.chart = drawChart(this.overlay.querySelector('#chart')!, v.chart, this.get('chart-notes'));
    this.get('history').replaceChildren();
    for (const t of v.history) this.addHistory(t);
    this.last = v.history.at(-1) ?? null;
    this.state(v);
  }

  private addHistory(t: Transition): void {
    const list = this.get('history');
    const li = document.createElement('li');
    li.dataset.from = t.from;
    li.dataset.to = t.to;
    const when = document.createElement('time');
    when.textContent = time(t.at);
    const what = document.createElement('span');
    what.className = 'move';
    what.textContent = `${t.from} → ${t.to}`;
    const why = document.createElement('code');
    why.textContent = t.event;
    li.append(when, what, why);
    list.append(li);
    while (list.children.length > 40) list.firstElementChild!.remove();
    list.scrollTop = list.scrollHeight;
  }

  private transition(t: Transition): void {
    this.addHistory(t);
    this.last = t;
    this.chart?.show(t.to, t);
  }

  private state(s: Pick<ActorView, 'state' | 'facts'>): void {
    this.chart?.show(s.state, this.last && this.last.to === s.state ? this.last : null);
    const dl = this.get('facts');
    dl.replaceChildren(...Object.entries(s.facts).flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = Array.isArray(v) ? (v.length ? v.map(fact).join(', ') : '—') : fact(v);
      return [dt, dd];
    }));
  }

  close(): void {
    this.es?.close();
    this.es = null;
    this.chart = null;
    this.last = null;
    this.overlay.hidden = true;
    delete this.overlay.dataset.actor;
  }
}
