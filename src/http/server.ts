// One HTTP server implementation for every [unix_http_server*] and [inet_http_server*]
// section: the same routes on each (supervisor's handler order: /RPC2, /logtail,
// /mainlogtail, then the rest), each behind its own section's Basic auth.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { unlink, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { pyRepr } from '../config/pyrepr.ts';
import type { ServerConfig } from '../config/types.ts';
import { checkBasicAuth } from './auth.ts';
import { listenInet, listenUnix } from './listen.ts';
import { handleLogtail, handleMainLogtail, type LogtailProvider, type TailSet } from './logtail.ts';
import { handleOps, opsPath, type OpsProvider } from './ops-route.ts';
import { baseHeaders, sendError, unauthorizedHeaders } from './responses.ts';
import { DEFAULT_MAX_REQUEST_BYTES, handleRpc, type HttpLogger, type RpcTarget } from './rpc-route.ts';
import { medusaUri } from './uri.ts';

export { HttpServerError, ADDRESS_IN_USE_MESSAGE } from './server-error.ts';
export type { HttpLogger, RpcTarget } from './rpc-route.ts';
export type { LogtailProvider, TailSource } from './logtail.ts';
export type { OpsProvider } from './ops-route.ts';

/** Serves what no built-in route takes (the web UI, later); `uri` is medusa's unquoted one. */
export type FallbackHandler = (req: IncomingMessage, res: ServerResponse, uri: string) => void;

export interface HttpServersOptions {
  /** Config.servers, in order. */
  servers: readonly ServerConfig[];
  /** Answers /RPC2: a Dispatcher with the supervisor and system namespaces. */
  rpc: RpcTarget;
  /** Namespaces logged as `RPC interface 'x' initialized` for each server, as supervisord does. */
  rpcInterfaces?: readonly string[];
  /** Answers /logtail and /mainlogtail; without it both are 404. */
  logtail?: LogtailProvider;
  /** Answers /healthz, /readyz and /metrics; without it they fall through to `fallback`. */
  ops?: OpsProvider;
  /** Default: medusa's default handler with no files: 404 for GET/HEAD, 400 otherwise. */
  fallback?: FallbackHandler;
  logger?: HttpLogger;
  /** Stale-socket notices; supervisord writes them to stderr, not to its log. */
  stderr?: (line: string) => void;
  /** Request bodies larger than this are refused with 413 (default 16 MiB). */
  maxRequestBytes?: number;
}

export interface ListeningServer {
  readonly config: ServerConfig;
  /** The bound TCP address (port 0 in a config becomes the real port), or the socket path. */
  readonly address: AddressInfo | string;
}

export interface HttpServers {
  readonly listening: readonly ListeningServer[];
  /** Stop listening, drop every connection and tail, unlink the sockets we created. */
  close(): Promise<void>;
}

const silent: HttpLogger = { critical() {}, error() {}, info() {}, trace() {} };

interface Running {
  server: Server;
  config: ServerConfig;
  tails: TailSet;
  /** The inode our unix socket was linked as, to unlink only our own on close. */
  ino: number | null;
}

function requestHandler(config: ServerConfig, o: HttpServersOptions, tails: TailSet, continues: WeakSet<IncomingMessage>) {
  const logger = o.logger ?? silent;
  const rpc = { rpc: o.rpc, logger, maxRequestBytes: o.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES };
  return (req: IncomingMessage, res: ServerResponse): void => {
    baseHeaders(res);
    const uri = medusaUri(req.url ?? '/');
    const ops = o.ops ? opsPath(uri) : null;
    if (config.username !== null && !(ops && o.ops!.open)) {
      const auth = checkBasicAuth(req.headers.authorization, config.username, config.password ?? '');
      if (auth === 'unauthorized') return sendError(res, 401, unauthorizedHeaders);
      if (auth === 'malformed') return sendError(res, 400);
      if (auth === 'no-colon') return sendError(res, 500);
    }
    const failed = (e: unknown): void => {
      logger.error(`Server Error: ${e instanceof Error ? e.message : String(e)}`);
      sendError(res, 500);
    };
    if (ops) {
      handleOps(req, res, ops, o.ops!).catch(failed);
    } else if (uri.startsWith('/RPC2')) {
      try {
        handleRpc(req, res, rpc, continues.has(req), failed);
      } catch (e) {
        failed(e);
      }
    } else if (uri.startsWith('/logtail')) {
      handleLogtail(req, res, uri, o.logtail, tails).catch(failed);
    } else if (uri.startsWith('/mainlogtail')) {
      handleMainLogtail(req, res, o.logtail, tails).catch(failed);
    } else if (o.fallback) {
      if (continues.has(req)) res.writeContinue();
      o.fallback(req, res, uri);
    } else {
      sendError(res, req.method === 'GET' || req.method === 'HEAD' ? 404 : 400);
    }
  };
}

async function closeOne(r: Running): Promise<void> {
  await new Promise<void>((resolve) => {
    r.server.close(() => resolve());
    r.server.closeAllConnections();
  });
  await Promise.all([...r.tails].map((t) => t.finished));
  if (r.config.family === 'AF_UNIX' && r.ino !== null) {
    const now = await stat(r.config.file).catch(() => null);
    if (now?.ino === r.ino) await unlink(r.config.file).catch(() => {});
  }
}

export async function startHttpServers(o: HttpServersOptions): Promise<HttpServers> {
  const logger = o.logger ?? silent;
  const stderr = o.stderr ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const running: Running[] = [];
  const listening: ListeningServer[] = [];
  try {
    for (const config of o.servers) {
      const tails: TailSet = new Set();
      const continues = new WeakSet<IncomingMessage>();
      const handle = requestHandler(config, o, tails, continues);
      // medusa never times out an idle connection; superlance listeners keep one open
      // between ticks, and supervisor's transport does not reconnect on its own
      const server = createServer({ requireHostHeader: false }, handle);
      server.keepAliveTimeout = 0;
      server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
        continues.add(req);
        handle(req, res);
      });
      const r: Running = { server, config, tails, ino: null };
      if (config.family === 'AF_UNIX') r.ino = await listenUnix(server, config, stderr);
      else await listenInet(server, config);
      // failures after listening (accept: EMFILE) would otherwise throw out of the daemon
      server.on('error', (e) => logger.error(`Server Error: ${e.message}`));
      running.push(r);
      listening.push({ config, address: config.family === 'AF_UNIX' ? config.file : (server.address() as AddressInfo) });
      for (const ns of o.rpcInterfaces ?? []) logger.info(`RPC interface ${pyRepr(ns)} initialized`);
      if (config.username === null) logger.critical(`Server ${pyRepr(config.section)} running without any HTTP authentication checking`);
    }
  } catch (e) {
    await Promise.all(running.map(closeOne));
    throw e;
  }
  let closing: Promise<void> | null = null;
  return {
    listening,
    close: () => (closing ??= Promise.all(running.map(closeOne)).then(() => {})),
  };
}
