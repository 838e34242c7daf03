// supervisord's set_uid_or_exit / drop_privileges for the daemon itself.
import type { ConfigHost } from '../config/host.ts';

/** The CRIT line supervisord logs when it runs as root with no user= set. */
export const ROOT_WARNING = 'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.';

/** Become `user` (name or uid); null on success, else supervisor's message. */
export function dropPrivileges(user: string, host: ConfigHost): string | null {
  const asNumber = /^\d+$/.test(user) ? Number(user) : null;
  const entry = asNumber === null ? host.users().find((u) => u.name === user) : host.users().find((u) => u.uid === asNumber);
  if (!entry) return asNumber === null ? `Can't find username '${user}'` : `Can't find uid ${asNumber}`;
  const current = host.uid;
  if (current === entry.uid) return null;
  if (current !== 0) return "Can't drop privilege as nonroot user";
  try {
    process.setgroups?.([entry.gid, ...host.groups().filter((g) => g.members.includes(entry.name)).map((g) => g.gid)]);
  } catch {
    return 'Could not set groups of effective user';
  }
  try {
    process.setgid?.(entry.gid);
  } catch {
    return 'Could not set group id of effective user';
  }
  process.setuid?.(entry.uid);
  return null;
}
