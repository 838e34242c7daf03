// The page's bundle (web/, built by scripts/build-web.ts into dist/web/), read once and
// served from memory. The daemon runs from dist/src/web/; under tsx it runs from
// src/web/ and the bundle is still in dist/web/.
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

const DIR = new URL(import.meta.url.includes('/dist/src/') ? '../../web/' : '../../dist/web/', import.meta.url);

const TYPES: Record<string, string> = { html: 'text/html;charset=utf-8', js: 'text/javascript;charset=utf-8', css: 'text/css;charset=utf-8', svg: 'image/svg+xml' };

/** Files the page is made of, by the name it asks for. */
export const ASSET_NAMES = ['index.html', 'app.js', 'app.css', 'favicon.svg'] as const;

const cache = new Map<string, Buffer | null>();

function load(name: string): Buffer | null {
  if (!cache.has(name)) {
    try {
      cache.set(name, readFileSync(new URL(name, DIR)));
    } catch {
      cache.set(name, null);
    }
  }
  return cache.get(name)!;
}

/** Sends a bundled file; false when there is no such file (the bundle was not built). */
export function sendAsset(res: ServerResponse, name: string): boolean {
  if (!(ASSET_NAMES as readonly string[]).includes(name)) return false;
  const body = load(name);
  if (!body) return false;
  const ext = name.slice(name.lastIndexOf('.') + 1);
  // index.html is the live status page: never cached (supervisor's headers); the rest may be
  res.writeHead(200, {
    'Content-Type': TYPES[ext], 'Content-Length': body.length,
    ...(ext === 'html' ? { Pragma: 'no-cache', 'Cache-Control': 'no-cache', Expires: 'Thu, 01 Jan 1970 00:00:00 GMT' } : { 'Cache-Control': 'max-age=60' }),
  });
  res.end(body);
  return true;
}
