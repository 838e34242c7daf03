// How a child's end is told, in supervisor's words (options.decode_wait_status), for the
// `exited: x (exit status 1; not expected)` and `stopped: x (terminated by SIGTERM)` lines.
import { signalNumber, signame } from './signal.ts';

export interface ExitDescription {
  /** The exit code, or -1 when a signal ended the child (supervisor's `es`). */
  exitstatus: number;
  /** `exit status 1`, `terminated by SIGTERM`, `terminated by SIGSEGV (core dumped)`. */
  message: string;
}

/** decode_wait_status() on a raw wait(2) status. */
export function decodeWaitStatus(sts: number): ExitDescription {
  const low = sts & 0x7f;
  if (low === 0) {
    const es = (sts >> 8) & 0xff;
    return { exitstatus: es, message: `exit status ${es}` };
  }
  if (low !== 0x7f) {
    const core = sts & 0x80 ? ' (core dumped)' : '';
    return { exitstatus: -1, message: `terminated by ${signame(low)}${core}` };
  }
  return { exitstatus: -1, message: `unknown termination cause 0x${sts.toString(16).padStart(4, '0')}` };
}

/**
 * The same from what Node's 'exit' event gives. Node drops the core-dump bit, so
 * `coreDumped` is known only to a caller that learnt it elsewhere; and for a signal Node
 * has no name for (32–64) it reports exit code 0 with no signal, which is all we can say.
 */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, coreDumped = false): ExitDescription {
  if (signal !== null) {
    const number = signalNumber(signal);
    const name = number === null ? signal : signame(number);
    return { exitstatus: -1, message: `terminated by ${name}${coreDumped ? ' (core dumped)' : ''}` };
  }
  const es = code ?? 0;
  return { exitstatus: es, message: `exit status ${es}` };
}
