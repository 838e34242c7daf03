// supervisor's http_client: a GET on /logtail/<name>/<channel> or /mainlogtail whose body,
// chunk by chunk, goes to stdout as it arrives, until the server ends it or the caller
// closes it (Ctrl-C). Failures go to stderr as `<url> <message>` and end the stream.
import { request, type ClientRequest } from 'node:http';
import { target, type Endpoint } from './endpoint.ts';
import { socketError } from './pyerrors.ts';

export interface TailStream {
  /** Settles when the stream is over, however it ended. */
  done: Promise<void>;
  close(): void;
}

export function tailStream(endpoint: Endpoint, path: string, write: (chunk: Buffer) => void): TailStream {
  const url = endpoint.serverurl + path;
  const where = target(endpoint.serverurl);
  const headers: Record<string, string> = {
    Host: where.netloc,
    'Accept-Encoding': 'chunked',
    Accept: '*/*',
    'User-agent': 'Supervisor HTTP Client',
    // Without it node:http says `Connection: close`, and supervisord then holds the body
    // back until the stream ends (it streams chunked only to a connection it keeps).
    Connection: 'keep-alive',
  };
  // http_client sends credentials whenever a password is set, `None` for a missing username.
  if (endpoint.password) headers.Authorization = `Basic ${Buffer.from(`${endpoint.username ?? 'None'}:${endpoint.password}`).toString('base64')}`;
  let req: ClientRequest;
  let closed = false;
  const done = new Promise<void>((resolve) => {
    const fail = (msg: string) => {
      if (!closed) process.stderr.write(`${url} ${msg}\n`);
      closed = true;
      resolve();
    };
    req = request({ ...where.connect, method: 'GET', path, headers, agent: false });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const py = socketError(e, where.unix, false);
      fail(`Cannot connect, error: <class '${py.pyClass}'> (${py.text})`);
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        fail(`Cannot read, status code ${res.statusCode}`);
        res.resume();
        req.destroy();
        return;
      }
      res.on('data', (chunk: Buffer) => { if (!closed) write(chunk); });
      res.on('end', resolve);
      res.on('close', resolve);
      res.on('error', () => resolve());
    });
    req.on('close', () => resolve());
    req.end();
  });
  return {
    done,
    close() {
      closed = true;
      req.destroy();
    },
  };
}
