// supervisorctl's names and columns: make_namespec/split_namespec (options.py) and the
// `%-Ns` templates of status and avail, padded by code points as Python counts them.

/** A process by its short name when group and process share it, else `group:process`. */
export const makeNamespec = (group: string, name: string): string => (group === name ? name : `${group}:${name}`);

/** `g:*` and `g:` name the whole group (process null); a bare name is itself in itself. */
export function splitNamespec(namespec: string): [string, string | null] {
  const at = namespec.indexOf(':');
  if (at < 0) return [namespec, namespec];
  const process = namespec.slice(at + 1);
  return [namespec.slice(0, at), !process || process === '*' ? null : process];
}

/** Python's `'%-Ns' % s`. */
export function ljust(s: string, width: number): string {
  const len = [...s].length;
  return len >= width ? s : s + ' '.repeat(width - len);
}

export interface ProcessInfo {
  name: string;
  group: string;
  state: number;
  statename: string;
  description: string;
  pid: number;
}

/** do_status's table: the name column is 3 wider than the longest name, at least 33. */
export function statusLines(infos: readonly ProcessInfo[]): string[] {
  const names = infos.map((i) => makeNamespec(i.group, i.name));
  const width = names.reduce((w, n) => Math.max(w, [...n].length), 30) + 3;
  return infos.map((info, i) => `${ljust(names[i]!, width)}${ljust(info.statename, 10)}${info.description}`);
}

export interface ConfigInfo {
  name: string;
  group: string;
  inuse: boolean;
  autostart: boolean;
  group_prio: number;
  process_prio: number;
}

/** One line of `avail`. */
export function configInfoLine(c: ConfigInfo): string {
  const name = makeNamespec(c.group, c.name);
  return `${ljust(name, 32)} ${ljust(c.inuse ? 'in use' : 'avail', 9)} ${ljust(c.autostart ? 'auto' : 'manual', 9)} ${c.group_prio}:${c.process_prio}`;
}
