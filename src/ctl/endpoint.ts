// Where the server is and who we are to it: the serverurl, username and password of
// supervisorctl's options, turned into node:http connection options.
import type { RequestOptions } from 'node:http';
import { PyException } from './pyerrors.ts';

export interface Endpoint {
  serverurl: string;
  username: string | null;
  password: string | null;
}

export interface Target {
  unix: boolean;
  /** host/port or socketPath for node:http. */
  connect: Pick<RequestOptions, 'host' | 'port' | 'socketPath'>;
  /** The Host header supervisor's tail client sends: the URL's netloc ('' for unix://). */
  netloc: string;
}

/** As SupervisorTransport: http:// by hostname and port (80 by default), unix:// by path. */
export function target(serverurl: string): Target {
  if (serverurl.startsWith('unix://')) return { unix: true, connect: { socketPath: serverurl.slice(7) }, netloc: '' };
  if (serverurl.startsWith('http://')) {
    const u = new URL(serverurl);
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    return { unix: false, connect: { host, port: u.port ? Number(u.port) : 80 }, netloc: u.host };
  }
  throw new PyException('ValueError', `Unknown protocol for serverurl ${serverurl}`, 'file: /usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 505');
}
