// What the web page's tests share: a daemon with an inet server on a free port, and a
// plain XML-RPC call (string parameters only) to drive it from outside the page.
import { freePort, startDaemon, type Daemon, type Options } from '../daemon/helpers.ts';

export interface WebDaemon {
  daemon: Daemon;
  base: string;
  port: number;
}

/** `body`'s programs under a daemon serving HTTP on 127.0.0.1 (with Basic auth when given). */
export async function startWebDaemon(body: string, auth?: { username: string; password: string }, args: string[] = [], supervisord: Options = {}): Promise<WebDaemon> {
  const port = await freePort();
  const server = `[inet_http_server]\nport=127.0.0.1:${port}\n${auth ? `username=${auth.username}\npassword=${auth.password}\n` : ''}\n`;
  const daemon = await startDaemon(server + body, { args, supervisord });
  return { daemon, base: `http://127.0.0.1:${port}`, port };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** One XML-RPC call; the raw response text (tests match on it). */
export async function rpc(base: string, method: string, ...params: string[]): Promise<string> {
  const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params.map((p) => `<param><value><string>${escape(p)}</string></value></param>`).join('')}</params></methodCall>`;
  const res = await fetch(`${base}/RPC2`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
  return res.text();
}

/** Polls an async probe until it answers true; fails after timeoutMs. */
export async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
