// supervisorctl's columns: the `%-Ns` templates of status and avail, padded by code points
// as Python counts them.
import { makeNamespec } from '../client/namespec.ts';
import type { ConfigInfo, ProcessInfo } from '../client/wire.ts';

/** Python's `'%-Ns' % s`. */
export function ljust(s: string, width: number): string {
  const len = [...s].length;
  return len >= width ? s : s + ' '.repeat(width - len);
}

/** do_status's table: the name column is 3 wider than the longest name, at least 33. */
export function statusLines(infos: readonly Pick<ProcessInfo, 'group' | 'name' | 'statename' | 'description'>[]): string[] {
  const names = infos.map((i) => makeNamespec(i.group, i.name));
  const width = names.reduce((w, n) => Math.max(w, [...n].length), 30) + 3;
  return infos.map((info, i) => `${ljust(names[i]!, width)}${ljust(info.statename, 10)}${info.description}`);
}

/** One line of `avail`. */
export function configInfoLine(c: Pick<ConfigInfo, 'group' | 'name' | 'inuse' | 'autostart' | 'group_prio' | 'process_prio'>): string {
  const name = makeNamespec(c.group, c.name);
  return `${ljust(name, 32)} ${ljust(c.inuse ? 'in use' : 'avail', 9)} ${ljust(c.autostart ? 'auto' : 'manual', 9)} ${c.group_prio}:${c.process_prio}`;
}
