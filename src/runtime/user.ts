// What supervisor's drop_privileges() does in the child for `user=`, decided in the
// daemon: Node runs the child's setuid itself, so we can only tell it what to do.
import { readFileSync } from 'node:fs';

export interface UserIdentity {
  uid: number;
  /** The passwd entry's primary gid. */
  gid: number;
  name: string;
  /** What supervisor passes to setgroups(): the primary gid, then every group listing the user. */
  groups: number[];
}

export type Privileges =
  | { kind: 'keep' }
  | { kind: 'drop'; user: UserIdentity }
  /** The child writes `supervisor: couldn't setuid to <uid>: <message>` and exits 127. */
  | { kind: 'fail'; message: string };

function rows(path: string): string[][] {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return []; }
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
}

/** pwd.getpwuid + grp.getgrall from the files (no NSS, like the config loader). */
export function lookupUser(uid: number, passwdFile = '/etc/passwd', groupFile = '/etc/group'): UserIdentity | null {
  const entry = rows(passwdFile).find((f) => f.length >= 7 && Number(f[2]) === uid && f[2] !== '');
  if (!entry) return null;
  const name = entry[0];
  const gid = Number(entry[3]);
  const member = rows(groupFile)
    .filter((f) => f.length >= 4 && f[3].split(',').includes(name))
    .map((f) => Number(f[2]));
  return { uid, gid, name, groups: [gid, ...member] };
}

/** drop_privileges(uid) as a decision, in its order of checks. */
export function privilegesFor(
  uid: number | null,
  currentUid: number = process.getuid?.() ?? 0,
  lookup: (uid: number) => UserIdentity | null = (u) => lookupUser(u),
): Privileges {
  if (uid === null) return { kind: 'keep' };
  const user = lookup(uid);
  if (user === null) return { kind: 'fail', message: `Can't find uid ${uid}` };
  if (currentUid === uid) return { kind: 'keep' };
  if (currentUid !== 0) return { kind: 'fail', message: "Can't drop privilege as nonroot user" };
  return { kind: 'drop', user };
}
