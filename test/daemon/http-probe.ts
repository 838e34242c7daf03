// A client for the daemon's HTTP routes in tests: a GET (or another method) over TCP or a
// unix socket, with optional Basic auth, and the server sections to put in a config.
import { request } from 'node:http';
import { section, type Options } from './helpers.ts';

export interface Reply { status: number; body: string; contentType: string | undefined }

export type Target = { port: number } | { socketPath: string };

export function get(target: Target, path: string, auth?: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {};
    const req = request({ ...('port' in target ? { host: '127.0.0.1', port: target.port } : target), path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode!, body, contentType: res.headers['content-type'] }));
    });
    req.on('error', reject).end();
  });
}

/** [inet_http_server] on 127.0.0.1:port, and [unix_http_server] when `unix` names its socket. */
export function servers(port: number, o: { unix?: string; auth?: boolean } = {}): string {
  const creds: Options = o.auth ? { username: 'user', password: 'secret' } : {};
  const unix = o.unix ? `${section('unix_http_server', { file: o.unix, ...creds })}\n` : '';
  return `${section('inet_http_server', { port: `127.0.0.1:${port}`, ...creds })}\n${unix}`;
}
