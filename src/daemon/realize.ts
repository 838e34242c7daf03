// supervisord's ServerOptions.realize(): command-line flags over the file's [supervisord]
// values, then the checks and normalisations it makes before anything starts.
import * as t from '../config/datatypes.ts';
import type { ConfigHost } from '../config/host.ts';
import { loadConfig } from '../config/load.ts';
import { normalizePath } from '../config/pypath.ts';
import type { Config, SupervisordConfig } from '../config/types.ts';
import type { Overrides } from './options.ts';

export interface Realized {
  config: Config;
  /** The uid to become (user=), or null. */
  uid: number | null;
  /** The URL children get as SUPERVISOR_SERVER_URL: the first unix server, else the first inet one. */
  serverurl: string | null;
}

/** Throws ConfigValueError with supervisor's message for a usage error. */
export function realize(configfile: string, overrides: Overrides, host: ConfigHost): Realized {
  const config = loadConfig(configfile, host);
  const s = config.supervisord as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined && name !== 'profile_options') s[name] = value;
  const sd: SupervisordConfig = config.supervisord;
  const uid = sd.user === null ? null : t.nameToUid(sd.user, host);
  if (sd.logfile !== 'syslog') sd.logfile = normalizePath(sd.logfile, host);
  sd.pidfile = normalizePath(sd.pidfile, host);
  const unix = config.servers.find((c) => c.family === 'AF_UNIX');
  const inet = config.servers.find((c) => c.family === 'AF_INET');
  const serverurl = unix?.family === 'AF_UNIX' ? `unix://${unix.file}` : inet?.family === 'AF_INET' ? `http://${inet.host || 'localhost'}:${inet.port}` : null;
  return { config, uid, serverurl };
}
