// Python's posixpath functions and glob.glob, as supervisor's loader calls them:
// their corner cases (trailing slashes, '//' roots, hidden files) show in paths it prints.
import type { ConfigHost } from './host.ts';

export function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
}

export function join(a: string, ...rest: string[]): string {
  let path = a;
  for (const b of rest) {
    if (b.startsWith('/')) path = b;
    else if (!path || path.endsWith('/')) path += b;
    else path += `/${b}`;
  }
  return path;
}

export function normpath(p: string): string {
  if (!p) return '.';
  // POSIX allows one implementation-defined meaning for exactly two leading slashes.
  const initial = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const c of p.split('/')) {
    if (!c || c === '.') continue;
    if (c !== '..' || (!initial && !parts.length) || parts[parts.length - 1] === '..') parts.push(c);
    else if (parts.length) parts.pop();
  }
  const out = '/'.repeat(initial) + parts.join('/');
  return out || '.';
}

export const abspath = (p: string, cwd: string): string => normpath(p.startsWith('/') ? p : join(cwd, p));

export function expanduser(p: string, host: ConfigHost): string {
  if (!p.startsWith('~')) return p;
  const slash = p.indexOf('/', 1);
  const end = slash < 0 ? p.length : slash;
  const who = p.slice(1, end);
  let home: string | undefined;
  if (!who) home = host.env.HOME ?? host.users().find((u) => u.uid === host.uid)?.home;
  else home = host.users().find((u) => u.name === who)?.home;
  if (home === undefined) return p;
  home = home.replace(/\/+$/, '');
  return (home || '/') + p.slice(end);
}

/** supervisor's normalize_path: normpath(abspath(expanduser(v))). */
export const normalizePath = (v: string, host: ConfigHost): string => abspath(expanduser(v, host), host.cwd);

const MAGIC = /[*?[]/;

/** fnmatch.translate for one path component. */
function translate(pat: string): RegExp {
  let re = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === '*') re += '[^]*';
    else if (c === '?') re += '[^]';
    else if (c === '[') {
      let j = i + 1;
      if (pat[j] === '!') j++;
      if (pat[j] === ']') j++;
      while (j < pat.length && pat[j] !== ']') j++;
      if (j >= pat.length) re += '\\[';
      else {
        let body = pat.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        else if (body.startsWith('^')) body = `\\${body}`;
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

/** glob.glob(pattern) (not recursive), in no particular order, as Python returns it. */
export function glob(pattern: string, host: ConfigHost): string[] {
  if (!MAGIC.test(pattern)) return host.exists(pattern) ? [pattern] : [];
  const dir = dirname(pattern);
  const base = pattern.slice(pattern.lastIndexOf('/') + 1);
  const dirs = dir && dir !== pattern && MAGIC.test(dir) ? glob(dir, host).filter((d) => host.isDir(d)) : [dir];
  const out: string[] = [];
  for (const d of dirs) {
    if (!MAGIC.test(base)) {
      const p = d ? join(d, base) : base;
      if (base ? host.exists(p) : host.isDir(d)) out.push(p);
      continue;
    }
    const re = translate(base);
    for (const name of host.list(d || '.') ?? []) {
      if (name.startsWith('.') && !base.startsWith('.')) continue;
      if (re.test(name)) out.push(d ? join(d, name) : name);
    }
  }
  return out;
}
