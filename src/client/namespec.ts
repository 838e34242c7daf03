// supervisor's process names (options.py make_namespec / split_namespec), for the daemon
// and every client alike.

/** A process by its short name when group and process share it, else `group:process`. */
export const makeNamespec = (group: string, name: string): string => (group === name ? name : `${group}:${name}`);

/** `g:n` → [g, n]; `g:` and `g:*` name the whole group → [g, null]; a bare name is itself in itself → [n, n]. */
export function splitNamespec(namespec: string): [string, string | null] {
  const at = namespec.indexOf(':');
  if (at < 0) return [namespec, namespec];
  const process = namespec.slice(at + 1);
  return [namespec.slice(0, at), !process || process === '*' ? null : process];
}
