// The operations endpoints on every HTTP server: /healthz (the daemon answers), /readyz
// (every process that should run does) and /metrics (Prometheus' text format), for
// Kubernetes and Nomad probes, load balancers and scrapers. They sit behind the server's
// auth unless [supervisord] open_probes = true.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { uriPath } from './uri.ts';

export interface OpsProvider {
  /** open_probes: these paths answer without auth. */
  readonly open: boolean;
  /** /readyz: one line per process that is not ready (`name STATE`); empty when all are. */
  notReady(): string[];
  /** /metrics: the exposition and its content type. */
  metrics(): Promise<{ contentType: string; body: string }>;
}

const PATHS = ['/healthz', '/readyz', '/metrics'] as const;
type OpsPath = (typeof PATHS)[number];

/** The operations path a (medusa-unquoted) URI names, or null. */
export function opsPath(uri: string): OpsPath | null {
  const path = uriPath(uri);
  return (PATHS as readonly string[]).includes(path) ? (path as OpsPath) : null;
}

function reply(req: IncomingMessage, res: ServerResponse, code: number, contentType: string, body: string): void {
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(req.method === 'HEAD' ? undefined : body);
}

const TEXT = 'text/plain; charset=utf-8';

export async function handleOps(req: IncomingMessage, res: ServerResponse, path: OpsPath, ops: OpsProvider): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return reply(req, res, 405, TEXT, 'method not allowed\n');
  }
  if (path === '/healthz') return reply(req, res, 200, TEXT, 'ok\n');
  if (path === '/readyz') {
    const waiting = ops.notReady();
    if (waiting.length === 0) return reply(req, res, 200, TEXT, 'ready\n');
    return reply(req, res, 503, TEXT, `not ready:\n${waiting.join('\n')}\n`);
  }
  const { contentType, body } = await ops.metrics();
  reply(req, res, 200, contentType, body);
}
