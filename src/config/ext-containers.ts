// statevisor's keys for running under a container engine or a fleet's scheduler:
// `exit_on` in [program:x], `subreaper` and `open_probes` in [supervisord].
// supervisord ignores them all; extensions.ts hooks them into the sections' objects.
import * as t from './datatypes.ts';
import { ConfigValueError } from './errors.ts';
import { option, type Get } from './extensions.ts';
import { pyRepr } from './pyrepr.ts';

/** When a process's end ends the daemon: it goes FATAL; also exits unexpectedly; also exits at all. */
export const EXIT_ON = ['fatal', 'unexpected', 'exit'] as const;
export type ExitOn = (typeof EXIT_ON)[number];

export interface DaemonContainerKeys {
  /** PR_SET_CHILD_SUBREAPER: orphaned descendants are re-parented to the daemon, which reaps them. */
  subreaper: boolean;
  /** /healthz, /readyz and /metrics answer without HTTP auth on every server. */
  open_probes: boolean;
}

export interface ProcessContainerKeys {
  /** null: the process's end is its own business, as under supervisord. */
  exit_on: ExitOn | null;
}

function exitOn(value: string): ExitOn {
  const v = value.trim().toLowerCase();
  if (!(EXIT_ON as readonly string[]).includes(v)) throw new ConfigValueError(`value ${pyRepr(value)} is not one of ${EXIT_ON.join(', ')}`);
  return v as ExitOn;
}

const flag = (get: Get, name: string): boolean => {
  const value = get(name);
  return value === null ? false : option(name, value, t.boolean);
};

export function daemonContainerKeys(get: Get): DaemonContainerKeys {
  return { subreaper: flag(get, 'subreaper'), open_probes: flag(get, 'open_probes') };
}

export function processContainerKeys(get: Get): ProcessContainerKeys {
  const value = get('exit_on');
  return { exit_on: value === null ? null : option('exit_on', value, exitOn) };
}
