// supervisor's own page URLs, for the scripts that call them (web.py): index.html (or /)
// with `action=` runs the action and answers 301 to `<server>/?message=…`; tail.html
// shows the end of a stdout log; ok.html is a health check. Without `action`, / and
// index.html are the page (ui.ts), which shows `message` as supervisor's does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Faults, RpcFault } from '../faults.ts';
import { sendError } from '../http/responses.ts';
import type { SupervisorApi } from '../rpc/supervisor-api.ts';
import { runAction } from './actions.ts';

/** The actions web.py's StatusView knows; any other is its ValueError, a 500. */
const LEGACY_ACTIONS = ['refresh', 'stopall', 'restartall', 'start', 'stop', 'restart', 'clearlog'];

/** urllib.parse.quote (safe '/'). */
export function pyQuote(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9_.\-~/]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** deferring_http_request.get_server_url: from the Host header, port 80 left out. */
export function serverUrl(req: IncomingMessage): string {
  const host = (req.headers.host ?? 'localhost').trim();
  const m = /^(.*):(\d*)$/.exec(host);
  const [name, port] = m ? [m[1], m[2]] : [host, null];
  return `http://${port === null || port === '80' ? name : `${name}:${port}`}`.replace(/\/$/, '');
}

/** A form or an action is small: a body past this is refused. */
const MAX_BODY = 64 * 1024;

/** A request's body as text, or null once it passes MAX_BODY. */
export async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** web.py's form: the query's first values, then an urlencoded POST body's (null: too large). */
export async function readForm(req: IncomingMessage): Promise<Map<string, string> | null> {
  const form = new Map<string, string>();
  const url = new URL(req.url ?? '/', 'http://x');
  for (const [k, v] of url.searchParams) if (!form.has(k)) form.set(k, v);
  if (req.method === 'POST') {
    const body = await readBody(req);
    if (body === null) return null;
    for (const [k, v] of new URLSearchParams(body)) form.set(k, v);
  }
  return form;
}

const NO_CACHE = { Pragma: 'no-cache', 'Cache-Control': 'no-cache', Expires: 'Thu, 01 Jan 1970 00:00:00 GMT' };

export function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8', ...NO_CACHE, 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

/** index.html?action=…: run it, then 301 to the page with its message. */
export async function legacyAction(req: IncomingMessage, res: ServerResponse, api: SupervisorApi, form: Map<string, string>): Promise<void> {
  const action = form.get('action')!;
  if (!LEGACY_ACTIONS.includes(action)) return sendError(res, 500);
  const { message } = await runAction(api, action, form.get('processname'));
  sendError(res, 301, { Location: `${serverUrl(req)}/?message=${pyQuote(message)}`, ...NO_CACHE });
}

/** tail.html?processname=…&limit=…: the last max(1024, limit) bytes of the stdout log. */
export async function legacyTail(res: ServerResponse, api: SupervisorApi, form: Map<string, string>): Promise<void> {
  const name = form.get('processname');
  const raw = form.get('limit') ?? '1024';
  const limit = Math.min(-1024, /^\d+$/.test(raw) ? -Number(raw) : -1024);
  let tail: string;
  if (!name) {
    tail = 'No process name found';
  } else {
    try {
      tail = await api.readProcessStdoutLog(name, limit, 0);
    } catch (e) {
      if (!(e instanceof RpcFault)) throw e;
      tail = e.faultCode === Faults.NO_FILE ? `No file for ${name}` : `ERROR: unexpected rpc fault [${e.faultCode}] ${e.faultString}`;
    }
  }
  const title = `Supervisor tail of process ${form.has('processname') ? name : 'None'}`;
  const refresh = name === undefined ? '' : `<div style="margin-top: 10px;"><a href="tail.html?processname=${escapeHtml(pyQuote(name))}&amp;limit=${-limit}"><input type="button" value=" Refresh " name="refresh" /></a></div>`;
  sendHtml(res, `<!DOCTYPE html>\n<html>\n<head><title>${escapeHtml(title)}</title></head>\n<body>\n<div><pre>${escapeHtml(tail)}</pre>\n<form action="index.html" method="POST">${refresh}</form></div>\n</body>\n</html>\n`);
}

export function legacyOk(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
  res.end('OK');
}
