// The web page on every HTTP server (after /RPC2 and the log tails, behind the same
// auth): the bundled page, its JSON and event-stream API, and supervisor's own page
// URLs. Everything it shows comes from the actor system's inspection stream and the
// supervisor.* methods; every action goes through those methods, as an XML-RPC call does.
//
// Cross-site requests: a browser sends Basic credentials it has cached to this origin
// with any request, even one a foreign page triggers, so auth alone does not stop a
// malicious page from stopping processes. The page's actions are therefore POSTs that
// carry a per-daemon random token in a header (X-Statevisor-Token); the token is only
// in /api/state, which a foreign page cannot read (same-origin policy, no CORS headers),
// and a custom header cannot be sent cross-site without a CORS preflight we never
// grant. A token works behind any proxy and in any browser, unlike an Origin check.
// supervisor's own action URLs (index.html?action=stop) are GETs scripts call without a
// token; for them the browser's Sec-Fetch-Site header refuses cross-site and same-site
// requests (a script sends none; a link the user opens from this page is same-origin).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyActorRef, AnyStateMachine, InspectionEvent, Observer, Subscription } from 'xstate';
import type { LifecycleOptions } from '../config/ext-lifecycle.ts';
import type { GroupConfig } from '../config/types.ts';
import { Faults, RpcFault } from '../faults.ts';
import { sendError } from '../http/responses.ts';
import type { FallbackHandler } from '../http/server.ts';
import { uriPath } from '../http/uri.ts';
import { makeNamespec } from '../client/namespec.ts';
import type { ProcessInfo } from '../client/wire.ts';
import type { SupervisorApi } from '../rpc/supervisor-api.ts';
import { ACTIONS, runAction } from './actions.ts';
import { sendAsset } from './assets.ts';
import { legacyAction, legacyOk, legacyTail, readBody, readForm } from './legacy.ts';
import { LiveHub, type LiveSource } from './live.ts';
import { chartOf, stateIdOf } from './statechart.ts';
import type { ActionRequest, ActorView, Chart, Fact, GroupRow, PageState, ProcessRow } from './types.ts';
import { ActorWatch, type InspectionFanOut } from './watch.ts';

/** One per daemon process: it survives reloads, so an open page keeps working. */
const TOKEN = randomBytes(18).toString('base64url');
const TOKEN_BYTES = Buffer.from(TOKEN);
export const TOKEN_HEADER = 'x-statevisor-token';

export interface WebUiOptions {
  /** The root supervisor actor, not yet started. */
  root: AnyActorRef;
  api: SupervisorApi;
  /** The inspection streams of the tree and the listeners: the page adds its observer. */
  inspection: InspectionFanOut;
  /**
   * Subscribes to the tree's own inspection stream, which XState produces only while it has
   * an observer: the page subscribes while a page or a view is open. Null when the tree's
   * events already reach `inspection` (statevisord --inspect).
   */
  inspectTree: ((o: Observer<InspectionEvent>) => Subscription) | null;
  /** A live actor outside the tree's system (an event listener's protocol machine), by key. */
  outsideActor?: (key: string) => AnyActorRef | undefined;
}

export interface WebUi {
  handle: FallbackHandler;
  close(): void;
}

type RootContext = { configs: Record<string, GroupConfig>; order: string[] };

const row = (i: ProcessInfo): ProcessRow => ({
  ns: makeNamespec(i.group, i.name), group: i.group, name: i.name,
  statename: i.statename, description: i.description, pid: i.pid, start: i.start, now: i.now,
});

/** `process:g:n` → the namespec getProcessInfo takes. */
const namespecOfKey = (key: string): string => {
  const rest = key.slice('process:'.length);
  const i = rest.indexOf(':');
  return makeNamespec(rest.slice(0, i), rest.slice(i + 1));
};

type Primitive = string | number | boolean;
const isPrimitive = (v: unknown): v is Primitive => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A context's plain fields (and its config's supervision settings) for the view's side panel. */
function factsOf(context: unknown): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  if (!context || typeof context !== 'object') return facts;
  const c = context as Record<string, unknown>;
  const supervision = (c.config as { supervision?: Record<string, unknown> } | undefined)?.supervision;
  for (const [k, v] of Object.entries(supervision ?? {})) facts[k] = v === null ? 'none' : String(v);
  // A process's dependencies and checks, as written: the context says how they stand.
  const ext = (c.config as { statevisor?: Partial<LifecycleOptions> } | undefined)?.statevisor;
  if (ext?.depends_on?.length) facts.depends_on = ext.depends_on.map((d) => `${d.program} (${d.condition})`).join(', ');
  if (ext?.ready_check) facts.ready_check = ext.ready_check.spec;
  if (ext?.health_check) facts.health_check = ext.health_check.spec;
  for (const [k, v] of Object.entries(c)) {
    if (isPrimitive(v)) facts[k] = typeof v === 'boolean' ? String(v) : v;
    else if (Array.isArray(v) && v.every(isPrimitive)) facts[k] = v.slice(-8).map((x) => (typeof x === 'boolean' ? String(x) : x));
  }
  return facts;
}

export function startWebUi(o: WebUiOptions): WebUi {
  const { root, api } = o;
  const watch = new ActorWatch();
  o.inspection.add(watch.observer);
  const charts = new WeakMap<object, Chart>();
  const ctx = () => root.getSnapshot().context as RootContext;
  const actorOf = (key: string): AnyActorRef | undefined => (key === 'supervisor' ? root : (root.system.get(key) as AnyActorRef | undefined) ?? o.outsideActor?.(key) ?? watch.actor(key));
  let groupNames = '';
  const currentGroupNames = () => [...ctx().order].sort().join('\n');
  let tree: Subscription | null = null;

  const source: LiveSource = {
    rows: (keys) => keys.flatMap((k) => {
      try {
        return [row(api.getProcessInfo(namespecOfKey(k)) as ProcessInfo)];
      } catch (e) {
        if (e instanceof RpcFault && e.faultCode === Faults.BAD_NAME) return [];
        throw e;
      }
    }),
    groups: () => [...ctx().order].sort().map((name): GroupRow => {
      const s = ctx().configs[name].supervision;
      const actor = actorOf(`group:${name}`);
      return {
        name, state: actor ? stateIdOf(actor.getSnapshot().value) : '', strategy: s.strategy,
        maxRestarts: s.max_restarts ?? 0, restartWindow: s.restart_window, actor: `group:${name}`, listener: ctx().configs[name].events !== undefined,
      };
    }),
    mood: () => String((api.getState() as { statename: string }).statename),
    groupsChanged: () => {
      const now = currentGroupNames();
      const changed = now !== groupNames;
      groupNames = now;
      return changed;
    },
    view: (key): ActorView | null => {
      const actor = actorOf(key);
      const logic = (actor as { logic?: AnyStateMachine } | undefined)?.logic;
      if (!actor || !logic?.root) return null;
      let chart = charts.get(logic);
      if (!chart) charts.set(logic, (chart = chartOf(logic)));
      const snapshot = actor.getSnapshot() as { value: unknown; context: unknown };
      return { id: key, chart, state: stateIdOf(snapshot.value), history: watch.history(key), facts: factsOf(snapshot.context) };
    },
    watching: (on) => {
      if (!o.inspectTree) return;
      if (on) tree ??= o.inspectTree(watch.observer);
      else if (tree) {
        tree.unsubscribe();
        tree = null;
        watch.forget();
      }
    },
  };
  const live = new LiveHub(watch, source);

  const pageState = (): PageState => {
    groupNames = currentGroupNames();
    return {
      version: String(api.getSupervisorVersion()), identification: String(api.getIdentification()), mood: source.mood(), token: TOKEN,
      groups: source.groups(), processes: (api.getAllProcessInfo() as ProcessInfo[]).map(row),
    };
  };

  const json = (res: ServerResponse, data: unknown, code = 200): void => {
    const body = JSON.stringify(data);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  async function action(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
    if (token.length !== TOKEN_BYTES.length || !timingSafeEqual(token, TOKEN_BYTES)) return sendError(res, 403);
    const text = await readBody(req);
    if (text === null) return sendError(res, 413);
    let body: ActionRequest;
    try {
      body = JSON.parse(text) as ActionRequest;
    } catch {
      return sendError(res, 400);
    }
    if (!ACTIONS.includes(body.action)) return sendError(res, 400);
    json(res, await runAction(api, body.action, body.name));
  }

  /** A browser says where a request comes from; a script says nothing. */
  const crossSite = (req: IncomingMessage): boolean => {
    const site = req.headers['sec-fetch-site'];
    return site !== undefined && site !== 'same-origin' && site !== 'none';
  };

  async function route(req: IncomingMessage, res: ServerResponse, uri: string): Promise<void> {
    const path = uriPath(uri).replace(/^\/+/, '/');
    const get = req.method === 'GET';
    const getOrPost = get || req.method === 'POST';
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    if (getOrPost && (path === '/' || path === '/index.html')) {
      const form = await readForm(req);
      if (!form) return sendError(res, 413);
      if (form.has('action')) {
        if (crossSite(req)) return sendError(res, 403);
        return legacyAction(req, res, api, form);
      }
      if (sendAsset(res, 'index.html')) return;
    } else if (getOrPost && path === '/tail.html') {
      const form = await readForm(req);
      return form ? legacyTail(res, api, form) : sendError(res, 413);
    } else if (getOrPost && path === '/ok.html') {
      return legacyOk(res);
    } else if (get && path.startsWith('/assets/')) {
      if (sendAsset(res, path.slice('/assets/'.length))) return;
    } else if (get && path === '/api/state') {
      return json(res, pageState());
    } else if (get && path === '/api/events') {
      return live.page(req, res);
    } else if (get && path === '/api/actor-events') {
      if (live.actor(req, res, query.get('id') ?? '')) return;
    } else if (req.method === 'POST' && path === '/api/action') {
      return action(req, res);
    }
    sendError(res, get || req.method === 'HEAD' ? 404 : 400);
  }

  return {
    handle: (req, res, uri) => {
      route(req, res, uri).catch(() => sendError(res, 500));
    },
    close: () => live.close(),
  };
}
