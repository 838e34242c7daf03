// statevisord --inspect: the actor system's inspection events on a WebSocket at
// 127.0.0.1, as @statelyai/inspect's WebSocket inspector sends them (`@xstate.actor`
// with the machine's JSON definition, `@xstate.event`, `@xstate.snapshot`, each with the
// actor's sessionId and its root's), so Stately's inspector can attach: its
// createWebSocketReceiver({ server: 'ws://127.0.0.1:PORT' }) directly, or a browser
// through the page served at http://127.0.0.1:PORT/, which relays the socket's messages
// into the inspector's iframe the way @statelyai/inspect's own server page does.
// A client that connects late first gets every live actor and its current snapshot.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';

/** @statelyai/inspect's protocol version its events carry. */
export const INSPECT_PROTOCOL_VERSION = '0.4.0';
/** A client this far behind is dropped rather than let the daemon's memory grow. */
const MAX_BUFFERED = 8 * 1024 * 1024;

const STATELY_INSPECTOR = 'https://stately.ai/inspect';

export interface InspectBridge {
  readonly port: number;
  readonly observer: Observer<InspectionEvent>;
  close(): Promise<void>;
}

interface Base { type: string; sessionId: string; rootId: string | undefined; createdAt: string; id: string; _version: string }
type Message = Base & Record<string, unknown>;

let counter = 0;
const base = (type: string, sessionId: string, rootId: string | undefined): Base => ({
  type, sessionId, rootId, createdAt: String(Date.now()), id: String(++counter), _version: INSPECT_PROTOCOL_VERSION,
});

/** JSON text of a value that may hold functions (actions, guards) or actor refs. */
function json(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'function' ? { type: v.name } : v)) ?? 'null');
  } catch {
    return null;
  }
}

function actorMessage(actor: AnyActorRef, rootId: string | undefined): Message {
  const logic = (actor as { logic?: { config?: { id?: string } } }).logic;
  const config = logic?.config;
  const name = actor.id === actor.sessionId && config?.id ? config.id : actor.id;
  return {
    ...base('@xstate.actor', actor.sessionId, rootId), name, parentId: actor._parent?.sessionId,
    definition: JSON.stringify(config && typeof config === 'object' ? json(config) : { id: name }), snapshot: json(actor.getSnapshot()),
  };
}

function toMessage(e: InspectionEvent): Message | null {
  const actor = e.actorRef as AnyActorRef;
  switch (e.type) {
    case '@xstate.actor':
      return actorMessage(actor, e.rootId);
    case '@xstate.event':
      return { ...base('@xstate.event', actor.sessionId, e.rootId), event: json(e.event), sourceId: (e.sourceRef as AnyActorRef | undefined)?.sessionId };
    case '@xstate.snapshot':
      return { ...base('@xstate.snapshot', actor.sessionId, e.rootId), event: json(e.event), snapshot: json(e.snapshot) };
    default:
      return null;
  }
}

/** The page a browser opens: Stately's inspector in an iframe, fed from this socket. */
const bridgePage = (port: number): string => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>statevisord inspector</title>
<style>html,body,iframe{margin:0;border:0;width:100%;height:100%}</style></head>
<body><iframe id="inspector" src="${STATELY_INSPECTOR}"></iframe>
<script>
const frame = document.getElementById('inspector');
const waiting = [];
let ready = false;
addEventListener('message', (e) => {
  if (!e.data || e.data.type !== '@statelyai.connected') return;
  ready = true;
  for (const m of waiting.splice(0)) frame.contentWindow.postMessage(m, '*');
});
const socket = new WebSocket('ws://127.0.0.1:${port}');
socket.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (ready) frame.contentWindow.postMessage(m, '*'); else waiting.push(m);
};
</script></body></html>
`;

export async function startInspectBridge(port: number): Promise<InspectBridge> {
  const live = new Map<string, { actor: AnyActorRef; rootId: string | undefined }>();
  const http: Server = createServer((_req, res) => {
    const page = bridgePage((http.address() as AddressInfo).port);
    res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
    res.end(page);
  });
  const wss = new WebSocketServer({ server: http });
  // ws re-emits the HTTP server's errors; the listen below reports them
  wss.on('error', () => {});
  const send = (ws: WebSocket, m: Message) => {
    if (ws.bufferedAmount > MAX_BUFFERED) return ws.terminate();
    ws.send(JSON.stringify(m));
  };
  wss.on('connection', (ws) => {
    for (const [id, { actor, rootId }] of live) {
      const status = actor.getSnapshot().status;
      if (status !== 'active') {
        live.delete(id);
        continue;
      }
      send(ws, actorMessage(actor, rootId));
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const observer: Observer<InspectionEvent> = {
    next: (e) => {
      if (e.type === '@xstate.actor') live.set(e.actorRef.sessionId, { actor: e.actorRef as AnyActorRef, rootId: e.rootId });
      if (wss.clients.size === 0) return;
      const m = toMessage(e);
      if (m) for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) send(ws, m);
    },
  };
  return {
    port: (http.address() as AddressInfo).port,
    observer,
    close: () => new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}
