// Server-sent events for the page. The actors' changes are collected (ActorWatch) and
// sent at most every FLUSH_MS as one message per kind, so a restart of 1,000 processes
// costs the browser a few dozen messages, not thousands; a state-machine view gets its
// actor's transitions one by one, in order, as they happen.
//
// A client that does not read (a stopped tab, a stalled proxy) would have every message
// queued for it in the daemon. One that still holds more than BACKLOG_LIMIT unsent bytes
// when the next message comes is cut off instead: its browser reconnects after `retry`
// and the page loads everything again (main.ts), which is what it missed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActorWatch } from './watch.ts';
import type { ActorView, GroupRow, PageEventName, ProcessRow, Transition } from './types.ts';

export const FLUSH_MS = 40;
export const BACKLOG_LIMIT = 1024 * 1024;

/** What the hub asks of the daemon: rows for changed actors, an actor's view. */
export interface LiveSource {
  /** Rows of the changed process actors (keys `process:g:n`); removed ones are left out. */
  rows(keys: readonly string[]): ProcessRow[];
  groups(): GroupRow[];
  mood(): string;
  /** A group was added or removed: the page must load everything again. */
  groupsChanged(): boolean;
  view(key: string): ActorView | null;
  /** The first stream opened (true) or the last one closed (false): the tree's inspection is needed only between. */
  watching(on: boolean): void;
}

function openStream(req: IncomingMessage, res: ServerResponse, set: Set<ServerResponse>): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
  res.write('retry: 1000\n\n');
  set.add(res);
  req.socket.setNoDelay(true);
  res.on('close', () => set.delete(res));
}

const message = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Writes unless the client has fallen too far behind, which ends its stream. */
function send(res: ServerResponse, text: string): void {
  if (res.destroyed) return;
  if (res.writableLength > BACKLOG_LIMIT) res.destroy();
  else res.write(text);
}

export class LiveHub {
  private readonly pages = new Set<ServerResponse>();
  private readonly views = new Map<string, Set<ServerResponse>>();
  private timer: NodeJS.Timeout | null = null;
  /** Streams open, pages and views together. */
  private open = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly watch: ActorWatch, private readonly source: LiveSource) {
    watch.notify(() => {
      if (!this.timer && (this.pages.size || this.views.size)) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    });
    this.unsubscribe = watch.onTransition((key, t) => this.transition(key, t));
  }

  /** GET /api/events. */
  page(req: IncomingMessage, res: ServerResponse): void {
    this.count(res);
    openStream(req, res, this.pages);
  }

  private count(res: ServerResponse): void {
    if (this.open++ === 0) this.source.watching(true);
    res.on('close', () => { if (--this.open === 0) this.source.watching(false); });
  }

  /** GET /api/actor-events?id=key: the view, then its transitions and state as they come. */
  actor(req: IncomingMessage, res: ServerResponse, key: string): boolean {
    const view = this.source.view(key);
    if (!view) return false;
    let set = this.views.get(key);
    if (!set) this.views.set(key, (set = new Set()));
    this.count(res);
    openStream(req, res, set);
    res.on('close', () => { if (set.size === 0) this.views.delete(key); });
    send(res, message('view', view));
    return true;
  }

  private broadcast(set: Iterable<ServerResponse>, event: string, data: unknown): void {
    const text = message(event, data);
    for (const res of set) send(res, text);
  }

  private transition(key: string, t: Transition): void {
    const set = this.views.get(key);
    if (set) this.broadcast(set, 'transition', t);
  }

  private flush(): void {
    this.timer = null;
    const changed = [...this.watch.take()];
    if (this.pages.size) {
      const send = (event: PageEventName, data: unknown) => this.broadcast(this.pages, event, data);
      // groups come and go with the root's context: only a root change can have moved them
      if (changed.includes('supervisor') && this.source.groupsChanged()) {
        send('reset', null);
      } else {
        const rows = this.source.rows(changed.filter((k) => k.startsWith('process:')));
        if (rows.length) send('rows', rows);
        if (changed.some((k) => k.startsWith('group:'))) send('groups', this.source.groups());
        if (changed.includes('supervisor')) send('mood', this.source.mood());
      }
    }
    for (const key of changed) {
      const set = this.views.get(key);
      const view = set && this.source.view(key);
      if (view) this.broadcast(set, 'state', { state: view.state, facts: view.facts });
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe();
    for (const res of this.pages) res.end();
    for (const set of this.views.values()) for (const res of set) res.end();
  }
}
