// supervisor's server_configs_from_parser: every [inet_http_server*] section, then every
// [unix_http_server*] one (a prefix match, as supervisor does).
import * as t from './datatypes.ts';
import { ConfigValueError } from './errors.ts';
import { normalizePath } from './pypath.ts';
import { pyStrip } from './pyint.ts';
import type { Reader } from './reader.ts';
import type { ServerConfig } from './types.ts';

function serverSections(r: Reader, kind: string): [string | null, string][] {
  return r.raw.sectionNames().filter((s) => s.startsWith(kind)).map((s) => {
    const colon = s.indexOf(':');
    return [colon < 0 ? null : s.slice(colon + 1), s];
  });
}

function credentials(r: Reader, section: string): { username: string | null; password: string | null } {
  const username = r.get(section, 'username', null);
  const password = r.get(section, 'password', null);
  if ((username === null) !== (password === null)) {
    throw new ConfigValueError(`Section [${section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`);
  }
  return { username, password };
}

export function serversFromParser(r: Reader): ServerConfig[] {
  const out: ServerConfig[] = [];
  for (const [name, section] of serverSections(r, 'inet_http_server')) {
    const auth = credentials(r, section);
    const port = r.get(section, 'port', null);
    if (port === null) throw new ConfigValueError(`section [${section}] has no port value`);
    const [host, portNumber] = t.inetAddress(port);
    out.push({ family: 'AF_INET', name, section, host, port: portNumber, ...auth });
  }
  for (const [name, section] of serverSections(r, 'unix_http_server')) {
    const file = r.get(section, 'file', null, { here: r.here });
    if (file === null) throw new ConfigValueError(`section [${section}] has no file value`);
    const path = normalizePath(pyStrip(file), r.host);
    const auth = credentials(r, section);
    const chownStr = r.get(section, 'chown', null);
    let chown: [number, number] = [-1, -1];
    if (chownStr !== null) {
      try { chown = t.colonSeparatedUserGroup(chownStr, r.host); } catch { throw new ConfigValueError(`Invalid sockchown value ${chownStr}`); }
    }
    const chmodStr = r.get(section, 'chmod', null);
    let chmod = 0o700;
    if (chmodStr !== null) {
      try { chmod = t.octalType(chmodStr); } catch { throw new ConfigValueError(`Invalid chmod value ${chmodStr}`); }
    }
    out.push({ family: 'AF_UNIX', name, section, file: path, chmod, chown, ...auth });
  }
  return out;
}
