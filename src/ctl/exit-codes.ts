// supervisorctl's exit statuses (LSB init-script conventions) and the faults that say the
// program is dead rather than the request wrong.
import { Faults } from '../faults.ts';

export const Exit = {
  SUCCESS: 0,
  GENERIC: 1,
  INVALID_ARGS: 2,
  UNIMPLEMENTED_FEATURE: 3,
  INSUFFICIENT_PRIVILEGES: 4,
  NOT_INSTALLED: 5,
  NOT_RUNNING: 7,
} as const;

/** The status command's own codes. */
export const StatusExit = {
  NOT_RUNNING: 3,
  UNKNOWN: 4,
} as const;

const DEAD_PROGRAM_FAULTS: readonly number[] = [Faults.SPAWN_ERROR, Faults.ABNORMAL_TERMINATION, Faults.NOT_RUNNING];

/** set_exitstatus_from_xmlrpc_fault: the new status, or null to keep the current one. */
export function exitForFault(code: number, ignored?: number): number | null {
  if (code === ignored || code === Faults.SUCCESS) return null;
  return DEAD_PROGRAM_FAULTS.includes(code) ? Exit.NOT_RUNNING : Exit.GENERIC;
}
