// Request targets as medusa reads them: the path before the last '?' is percent-decoded
// (urllib's unquote: bad escapes stay, bad UTF-8 becomes U+FFFD) before any handler
// matches on it, and the logtail handler decodes its path once more.

/** urllib.parse.unquote. */
export function pyUnquote(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The URI medusa's handlers match on: the path unquoted, the query kept as sent. */
export function medusaUri(target: string): string {
  const q = target.lastIndexOf('?');
  const [path, query] = q < 0 ? [target, ''] : [target.slice(0, q), target.slice(q + 1)];
  if (!path.includes('%')) return target;
  return query ? `${pyUnquote(path)}?${query}` : pyUnquote(path);
}

/** medusa's split_uri: the path part alone, without ;params, ?query or #fragment. */
export function uriPath(uri: string): string {
  return /^[^;?#]*/.exec(uri)![0];
}
