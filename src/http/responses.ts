// Error replies as supervisor's HTTP server (medusa 1.12) writes them: its own reason
// phrases, its HTML page with CRLF line ends, `Server: Medusa/1.12`, and for 401 the
// Connection and WWW-Authenticate headers of its auth handler.
import type { ServerResponse } from 'node:http';

/** Peers and scripts that look at the Server header see what supervisord sends. */
export const SERVER_SOFTWARE = 'Medusa/1.12';

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  301: 'Moved Permanently',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  411: 'Length Required',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
};

export const reason = (code: number): string => REASONS[code] ?? 'Unknown';

export function errorPage(code: number): string {
  return ['<head>', '<title>Error response</title>', '</head>', '<body>', '<h1>Error response</h1>', `<p>Error code ${code}.`, `<p>Message: ${reason(code)}.`, '</body>', ''].join('\r\n');
}

let dateSecond = NaN;
let dateText = '';

/** The Date header's text: whole seconds, so made once a second, not once a reply. */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/**
 * The headers medusa puts first on every reply; Node would otherwise add Date last. Node
 * also names the connection on every reply (`Connection: keep-alive` / `close`), which
 * medusa does not: removing the header keeps Node's keep-alive decision and drops the
 * line. A reply that sets Connection itself (401, 411, 413) still sends it.
 */
export function baseHeaders(res: ServerResponse): void {
  res.setHeader('Server', SERVER_SOFTWARE);
  res.setHeader('Date', httpDate());
  res.removeHeader('Connection');
}

export type ExtraHeaders = Readonly<Record<string, string>>;

/** Write the status, headers and page without ending: a caller may hold the response open. */
export function startError(res: ServerResponse, code: number, extra: ExtraHeaders = {}): void {
  const body = errorPage(code);
  res.statusCode = code;
  res.statusMessage = reason(code);
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Content-Type', 'text/html');
  res.write(body);
}

export function sendError(res: ServerResponse, code: number, extra: ExtraHeaders = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  startError(res, code, extra);
  res.end();
}

export const unauthorizedHeaders: ExtraHeaders = { Connection: 'close', 'WWW-Authenticate': 'Basic realm="default"' };
