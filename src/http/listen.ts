// Binding as supervisor's http.py does. A unix socket is bound under `<file>.<pid>`,
// chmod'ed, then hard-linked to its name, so the name appears only with its final mode
// and the link fails when the name exists: a live socket there means another daemon
// (refuse), a dead one is stale (unlink, say so on stderr, link again). TCP binds IPv4
// like supervisor's AF_INET socket, '' meaning every interface; backlog 1024.
import { lookup } from 'node:dns/promises';
import { chmod, chown, link, stat, unlink } from 'node:fs/promises';
import { connect, type Server } from 'node:net';
import { dirname } from 'node:path';
import { constants, userInfo } from 'node:os';
import type { InetServerConfig, UnixServerConfig } from '../config/types.ts';
import { ADDRESS_IN_USE_MESSAGE, HttpServerError } from './server-error.ts';

export const BACKLOG = 1024;

// Python reports getaddrinfo failures by their EAI number, which errno.errorcode lacks.
const EAI: Readonly<Record<string, number>> = { ENOTFOUND: -2, EAI_AGAIN: -3, EAI_FAIL: -4 };

export function openError(e: unknown): HttpServerError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'EADDRINUSE') return new HttpServerError(ADDRESS_IN_USE_MESSAGE, code);
  const help = 'Cannot open an HTTP server: socket.error reported';
  const errno = (constants.errno as Record<string, number>)[code];
  if (errno !== undefined) return new HttpServerError(`${help} errno.${code} (${errno})`, code);
  return new HttpServerError(`${help} ${EAI[code] ?? (e instanceof Error ? e.message : String(e))}`, code);
}

function listenOn(server: Server, options: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (e: Error): void => reject(e);
    server.once('error', failed);
    server.listen({ ...options, backlog: BACKLOG }, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

export async function listenInet(server: Server, config: InetServerConfig): Promise<void> {
  try {
    const host = config.host === '' ? '0.0.0.0' : (await lookup(config.host, { family: 4 })).address;
    await listenOn(server, { host, port: config.port });
  } catch (e) {
    throw openError(e);
  }
}

/** http.py checkused: something accepts a connection and answers (or hangs up) → live. */
export function socketInUse(path: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ path });
    const done = (used: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(used);
    };
    // a listener that never answers is still a listener: keep its socket
    const timer = setTimeout(() => done(true), timeoutMs);
    s.once('connect', () => s.end('GET / HTTP/1.0\r\n\r\n'));
    s.once('data', () => done(true));
    s.once('end', () => done(true));
    s.once('error', () => done(false));
  });
}

const ignore = (): void => {};

/** Returns the inode now bound at config.file, so closing can tell it is still ours. */
export async function listenUnix(server: Server, config: UnixServerConfig, stderr: (line: string) => void): Promise<number> {
  const { file } = config;
  const temp = `${file}.${process.pid}`;
  await unlink(temp).catch(ignore);
  try {
    await listenOn(server, { path: temp });
  } catch (e) {
    // libuv turns bind's ENOENT into EACCES (for Windows' sake); Python says ENOENT
    const missingDir = (e as NodeJS.ErrnoException).code === 'EACCES' && !(await stat(dirname(temp)).catch(() => null));
    throw openError(missingDir ? { code: 'ENOENT' } : e);
  }
  let linked = false;
  try {
    await chmod(temp, config.chmod);
    for (let attempt = 0; !linked; attempt++) {
      try {
        await link(temp, file);
        linked = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw openError(e);
        if (attempt >= 5 || (await socketInUse(file))) throw openError({ code: 'EADDRINUSE' });
        stderr(`Unlinking stale socket ${file}`);
        await unlink(file).catch(ignore);
      }
    }
    const [uid, gid] = config.chown;
    if (uid !== -1 || gid !== -1) {
      try {
        await chown(file, uid, gid);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw openError(e);
        throw new HttpServerError(
          `Not permitted to chown ${file} to uid/gid (${uid}, ${gid}); adjust "sockchown" value in config file or on command line to values that the current user (${userInfo().username}) can successfully chown`,
          'EPERM',
        );
      }
    }
    return (await stat(file)).ino;
  } catch (e) {
    server.close();
    if (linked) await unlink(file).catch(ignore);
    throw e instanceof HttpServerError ? e : openError(e);
  } finally {
    await unlink(temp).catch(ignore);
  }
}
