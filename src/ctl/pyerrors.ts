// What supervisorctl prints for an exception no command handles: onecmd's catch-all writes
// `error: <class>, <str(exception)>: file: <innermost file> line: <n>`. Scripts see that
// line, so the client names each failure as Python 3.11 on Debian names it, down to the
// file and line the reference raises it from.
import { pyRepr } from '../config/pyrepr.ts';

/** A failure as supervisorctl would have raised it. */
export class PyException extends Error {
  constructor(
    /** Python's class name as `<class '...'>` shows it, e.g. `ConnectionRefusedError`. */
    readonly pyClass: string,
    /** str() of the exception. */
    readonly text: string,
    /** Where the reference raises it, `file: … line: …`. */
    readonly where: string,
    /** errno for OSErrors: upcheck tells ECONNREFUSED and ENOENT apart. */
    readonly errno: string | null = null,
  ) {
    super(text);
    this.name = 'PyException';
  }

  /** The line onecmd prints. */
  get report(): string {
    return `error: <class '${this.pyClass}'>, ${this.text}: ${this.where}`;
  }
}

const PY = '/usr/lib/python3.11';
const SUPERVISOR = '/usr/lib/python3/dist-packages/supervisor';
/** socket.create_connection re-raises the connect error (http:// server URLs). */
const TCP_CONNECT = `file: ${PY}/socket.py line: 836`;
/** UnixStreamHTTPConnection.connect (unix:// server URLs). */
const UNIX_CONNECT = `file: ${SUPERVISOR}/xmlrpc.py line: 557`;
/** SupervisorTransport.request raising ProtocolError on a status other than 200. */
export const PROTOCOL_ERROR_AT = `file: ${SUPERVISOR}/xmlrpc.py line: 539`;
/** xmlrpc.client's Unmarshaller.close raising a Fault. */
const FAULT_AT = `file: ${PY}/xmlrpc/client.py line: 668`;

// errno name → [Python class, errno number, strerror] as OSError's str() shows them.
const OS_ERRORS: Record<string, [string, number, string]> = {
  ECONNREFUSED: ['ConnectionRefusedError', 111, 'Connection refused'],
  ENOENT: ['FileNotFoundError', 2, 'No such file or directory'],
  EACCES: ['PermissionError', 13, 'Permission denied'],
  EPERM: ['PermissionError', 1, 'Operation not permitted'],
  ECONNRESET: ['ConnectionResetError', 104, 'Connection reset by peer'],
  EPIPE: ['BrokenPipeError', 32, 'Broken pipe'],
  ETIMEDOUT: ['TimeoutError', 110, 'Connection timed out'],
  EHOSTUNREACH: ['OSError', 113, 'No route to host'],
  ENETUNREACH: ['OSError', 101, 'Network is unreachable'],
  EADDRNOTAVAIL: ['OSError', 99, 'Cannot assign requested address'],
  ENOTDIR: ['NotADirectoryError', 20, 'Not a directory'],
};

/** A Node socket error on the way to the server, as Python's socket module raises it. */
export function socketError(e: NodeJS.ErrnoException, unix: boolean, connected: boolean): PyException {
  const code = e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new PyException('socket.gaierror', '[Errno -2] Name or service not known', `file: ${PY}/socket.py line: 962`, code);
  }
  // The server closed the connection before it answered.
  if (connected && (code === 'ECONNRESET' || e.message === 'socket hang up')) {
    return new PyException('http.client.RemoteDisconnected', 'Remote end closed connection without response', `file: ${PY}/http/client.py line: 287`, code);
  }
  const known = OS_ERRORS[code];
  const where = unix ? UNIX_CONNECT : TCP_CONNECT;
  if (known) return new PyException(known[0], `[Errno ${known[1]}] ${known[2]}`, where, code);
  return new PyException('OSError', e.message, where, code);
}

/** xmlrpc.client.Fault's str(): `<Fault 6: 'SHUTDOWN_STATE'>`. */
export function faultException(code: number, text: string): PyException {
  return new PyException('xmlrpc.client.Fault', `<Fault ${code}: ${pyRepr(text)}>`, FAULT_AT);
}

/** The ValueError supervisorctl's result formatters raise on a status they do not know. */
export function unknownResult(code: number, name: string, line: number): PyException {
  return new PyException('ValueError', `Unknown result code ${code} for ${name}`, `file: ${SUPERVISOR}/supervisorctl.py line: ${line}`);
}
