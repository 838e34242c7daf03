// Signal names as supervisor prints them, and kill(2) that reports instead of throwing.
import { constants } from 'node:os';

export { signame } from '../states.ts';

/** A signal name Node knows (SIGTERM, SIGIO…) as its number, or null. */
export function signalNumber(name: string): number | null {
  return (constants.signals as Readonly<Record<string, number>>)[name] ?? null;
}

/** Why kill(2) failed: errno's name and Python's str(OSError) for it. */
export interface SignalFailure {
  /** ESRCH, EPERM, EINVAL… */
  code: string;
  /** `[Errno 3] No such process`: what supervisor puts after the colon in its log line. */
  message: string;
}

// strerror(3) texts, which Python shows; libuv's own texts are lower-cased variants.
const STRERROR: Readonly<Record<string, string>> = {
  ESRCH: 'No such process',
  EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument',
};

export function osErrorText(code: string): string {
  const errno = (constants.errno as Readonly<Record<string, number>>)[code];
  const text = STRERROR[code] ?? code;
  return errno === undefined ? text : `[Errno ${errno}] ${text}`;
}

export const noSuchProcess = (): SignalFailure => ({ code: 'ESRCH', message: osErrorText('ESRCH') });

/**
 * kill(pid, sig), or kill(-pid, sig) for the child's whole process group. Returns null
 * when sent; on failure the errno, for the caller to do what supervisor does (ESRCH: the
 * child probably just exited, ignore; anything else: log and go to UNKNOWN).
 */
export function sendSignal(pid: number, sig: number | NodeJS.Signals, toGroup: boolean): SignalFailure | null {
  try {
    process.kill(toGroup ? -pid : pid, sig);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EINVAL';
    return { code, message: osErrorText(code) };
  }
}
