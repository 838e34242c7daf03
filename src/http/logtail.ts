// GET /logtail/<namespec>[/<channel>] and GET /mainlogtail, answered as supervisor's
// logtail_handler and mainlogtail_handler: other methods 400, an unknown process, an
// unset log or a missing file 404, and a path without a second segment (`/logtail`,
// `/logtailfoo`) is the 500 supervisor's unchecked split gives.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './responses.ts';
import { TailStream, type TailSource } from './tail.ts';
import { pyUnquote, uriPath } from './uri.ts';

export type { TailSource } from './tail.ts';

/** What the daemon tells the log-tail endpoints; a bare path means a source without `watch`. */
export interface LogtailProvider {
  /**
   * The log of one process's channel, or null when there is none to tail (no such
   * group or process, no log file configured). `namespec` is the URL's, unquoted:
   * `name` or `group:name`, resolved with supervisor's split_namespec.
   */
  processLog(namespec: string, channel: 'stdout' | 'stderr'): TailSource | string | null;
  /** The main log, or null when it has none (logfile=syslog-only, NONE). */
  mainLog(): TailSource | string | null;
}

/** Streams of one server, so that closing it can wait for their files to close. */
export type TailSet = Set<TailStream>;

const asSource = (s: TailSource | string): TailSource => (typeof s === 'string' ? { path: s } : s);

async function stream(res: ServerResponse, found: TailSource | string | null, headers: Record<string, string>, tails: TailSet): Promise<void> {
  if (found === null) return sendError(res, 404);
  const tail = await TailStream.open(res, asSource(found), headers);
  if (!tail) return sendError(res, 404);
  tails.add(tail);
  void tail.finished.then(() => tails.delete(tail));
}

/** Returns the (namespec, channel) a /logtail URI names, or null for supervisor's 500. */
export function parseLogtailUri(uri: string): { namespec: string; channel: string } | null {
  let path = uriPath(uri);
  if (path.includes('%')) path = pyUnquote(path);
  path = path.replace(/^\/+/, '');
  const slash = path.indexOf('/');
  if (slash < 0) return null;
  const rest = path.slice(slash + 1);
  const second = rest.indexOf('/');
  return second < 0 ? { namespec: rest, channel: 'stdout' } : { namespec: rest.slice(0, second), channel: rest.slice(second + 1) };
}

export async function handleLogtail(req: IncomingMessage, res: ServerResponse, uri: string, provider: LogtailProvider | undefined, tails: TailSet): Promise<void> {
  if (req.method !== 'GET') return sendError(res, 400);
  const target = parseLogtailUri(uri);
  if (!target) return sendError(res, 500);
  const { namespec, channel } = target;
  const found = provider && (channel === 'stdout' || channel === 'stderr') ? provider.processLog(namespec, channel) : null;
  // the lack of a Content-Length makes the reply chunked; nginx must not buffer it
  await stream(res, found, { 'Content-Type': 'text/plain;charset=utf-8', 'X-Accel-Buffering': 'no' }, tails);
}

export async function handleMainLogtail(req: IncomingMessage, res: ServerResponse, provider: LogtailProvider | undefined, tails: TailSet): Promise<void> {
  if (req.method !== 'GET') return sendError(res, 400);
  await stream(res, provider ? provider.mainLog() : null, { 'Content-Type': 'text/plain;charset=utf-8' }, tails);
}
