// A machine definition as the web page draws it: every state node under `machine.root`
// and every transition it declares (`on`, `after` with its named delay, `always`), with
// event and guard names. Read from the definition itself, so a machine added to
// machines/ (the listener) is drawn without any code here knowing it.
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import type { Chart, ChartEdge, ChartState } from './types.ts';

type Named = { type?: unknown; name?: unknown; guards?: unknown[] } | string | ((...a: never[]) => unknown);

/** `'name'`, `{ type: 'name' }`, a named function, or and/or/not over those. */
function nameOf(x: Named | undefined): string | null {
  if (x === undefined || x === null) return null;
  if (typeof x === 'string') return x;
  const composite = (x as { guards?: Named[] }).guards;
  if (Array.isArray(composite)) {
    const op = String((x as { name?: unknown }).name);
    const parts = composite.map((g) => nameOf(g) ?? '?');
    return op === 'not' ? `!${parts[0]}` : parts.join(op === 'or' ? ' || ' : ' && ');
  }
  if (typeof x === 'object' && typeof x.type === 'string') return x.type;
  const fn = (x as { name?: unknown }).name;
  return typeof fn === 'string' && fn !== '' ? fn : null;
}

/** xstate.after.<delay>.<state id> → <delay>: the name of the delay (or its ms). */
function delayName(eventType: string, delay: unknown): string {
  if (typeof delay === 'string' || typeof delay === 'number') return String(delay);
  return eventType.replace(/^xstate\.after\./, '').split('.')[0];
}

const idOf = (node: AnyStateNode): string => node.path.join('.');

export function chartOf(machine: AnyStateMachine): Chart {
  const states: ChartState[] = [];
  const edges: ChartEdge[] = [];
  const walk = (node: AnyStateNode): void => {
    const id = idOf(node);
    const children = Object.values(node.states) as AnyStateNode[];
    if (node !== machine.root) {
      states.push({
        id, key: node.key, parent: node.parent && node.parent !== machine.root ? idOf(node.parent) : null,
        initial: node.initial?.target[0] ? idOf(node.initial.target[0]) : null,
        final: node.type === 'final',
        // `after` timers are started by raise actions XState adds itself: not the machine's own.
        entry: node.entry.map((a) => nameOf(a as Named)).filter((n): n is string => n !== null && n !== 'raise' && !n.startsWith('xstate.')),
      });
    }
    const source = node === machine.root ? '' : id;
    for (const [eventType, list] of node.transitions) {
      for (const t of list) {
        const after = eventType.startsWith('xstate.after.');
        edges.push({
          source, target: t.target?.[0] ? idOf(t.target[0]) : null,
          event: after ? delayName(eventType, (t as { delay?: unknown }).delay) : eventType,
          kind: after ? 'after' : 'on',
          guard: nameOf(t.guard as Named | undefined), reenter: t.reenter,
        });
      }
    }
    for (const t of node.always ?? []) {
      edges.push({ source, target: t.target?.[0] ? idOf(t.target[0]) : null, event: '', kind: 'always', guard: nameOf(t.guard as Named | undefined), reenter: t.reenter });
    }
    for (const child of children) walk(child);
  };
  walk(machine.root);
  const first = machine.root.initial?.target[0];
  return { machine: machine.id, initial: first ? idOf(first) : null, states, edges };
}

/** A snapshot's value as the chart's ids: `'RUNNING'`, `{ a: 'b' }` → `'a.b'`; parallel regions joined by ','. */
export function stateIdOf(value: unknown, prefix = ''): string {
  if (typeof value === 'string') return prefix + value;
  if (value && typeof value === 'object' && Object.keys(value).length) {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => stateIdOf(v, `${prefix}${k}.`)).join(',');
  }
  return prefix.replace(/\.$/, '');
}
