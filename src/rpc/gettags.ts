// supervisor.xmlrpc.gettags: JavaDoc-like `@tag type name text` lines of a docstring,
// which system.methodSignature reads (`@return <type>`, then each `@param <type>`).

export interface DocTag {
  tag: string | null;
  datatype: string | null;
  name: string | null;
  text: string;
}

/** Python's str.split(None, maxsplit) on an already stripped line. */
function splitWords(line: string, maxsplit: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest && parts.length < maxsplit) {
    const m = /\s+/.exec(rest);
    if (!m) break;
    parts.push(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) parts.push(rest);
  return parts;
}

export function gettags(comment: string): DocTag[] {
  const tags: DocTag[] = [];
  let current: DocTag = { tag: null, datatype: null, name: null, text: '' };
  let text: string[] = [];
  for (const raw of comment.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('@')) {
      tags.push({ ...current, text: text.join('\n') });
      const parts = splitWords(line, 3);
      text = parts.length === 4 ? [parts[3]!.trimStart()] : [];
      current = { tag: parts[0]!.slice(1), datatype: parts[1] ?? '', name: parts[2] ?? '', text: '' };
    } else if (line) {
      text.push(line);
    }
  }
  tags.push({ ...current, text: text.join('\n') });
  return tags;
}

/** `[rtype, ptype...]`, or null when the docstring has no @return (SIGNATURE_UNSUPPORTED). */
export function signatureOf(doc: string): string[] | null {
  let rtype: string | null = null;
  const ptypes: string[] = [];
  for (const t of gettags(doc)) {
    if (t.tag === 'return') rtype = t.datatype;
    else if (t.tag === 'param') ptypes.push(t.datatype ?? '');
  }
  return rtype === null ? null : [rtype, ...ptypes];
}
