// The daemon's page API: state, actions (with the per-daemon token), event streams.
import type { ActionRequest, ActionResult, PageState } from '../../src/web/types.ts';

let token = '';

export async function loadState(): Promise<PageState> {
  const res = await fetch('api/state', { cache: 'no-store' });
  if (!res.ok) throw new Error(`api/state: ${res.status}`);
  const state = (await res.json()) as PageState;
  token = state.token;
  return state;
}

export async function act(request: ActionRequest): Promise<ActionResult> {
  const res = await fetch('api/action', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Statevisor-Token': token },
    body: JSON.stringify(request),
  });
  if (!res.ok) return { message: `ERROR: ${res.status} ${res.statusText}`, error: true };
  return (await res.json()) as ActionResult;
}

/** An EventSource whose named events are JSON. */
export function stream(url: string, handlers: Record<string, (data: unknown) => void>, onOpen?: () => void): EventSource {
  const es = new EventSource(url);
  for (const [name, fn] of Object.entries(handlers)) es.addEventListener(name, (e) => fn(JSON.parse((e as MessageEvent<string>).data)));
  if (onOpen) es.addEventListener('open', onOpen);
  return es;
}
