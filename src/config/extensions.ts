// statevisor's own options: extra keys in supervisor's sections, which supervisord ignores,
// so one file serves both daemons. They live in a `statevisor` field of the section's
// config object; `--print-config` shows them under its top-level "statevisor" key
// (print.ts), never inside supervisor's objects, and reread counts a change to them as a
// change of the group (diff.ts). A bad value is a supervisor-style error that names the
// option, the section and the file.
import { SIGNAL_NAMES } from '../states.ts';
import * as t from './datatypes.ts';
import { ConfigValueError } from './errors.ts';
import { daemonContainerKeys, processContainerKeys, type DaemonContainerKeys, type ProcessContainerKeys } from './ext-containers.ts';
import { environmentFileList, environmentFiles, type EnvironmentFile, type EnvironmentFiles } from './ext-environment-file.ts';
import { childLogFormat, mainLogFormat, type ChildLogFormat, type MainLogFormat } from './ext-log-format.ts';
import { pyRepr } from './pyrepr.ts';
import type { Reader } from './reader.ts';
import { lifecycleOptions, type LifecycleOptions } from './ext-lifecycle.ts';

/** [supervisord] keys. */
export interface DaemonExtensions extends DaemonContainerKeys {
  /** Default of the programs' death_signal. */
  death_signal: number | null;
  /** environment_file: read at each spawn, under [supervisord] environment= (ext-environment-file.ts). */
  environment_file: EnvironmentFile[];
  /** logformat: the main log's records. */
  logformat: MainLogFormat;
}

/** [program:x] (and [eventlistener:x], [fcgi-program:x]) keys, for every process of it. */
export interface ProcessExtensions extends LifecycleOptions, ProcessContainerKeys {
  /**
   * Sent to the process when the daemon dies, even by SIGKILL (PR_SET_PDEATHSIG); null:
   * the process outlives the daemon, as under supervisord.
   */
  death_signal: number | null;
  /** [supervisord]'s and the program's environment_file, or null when neither has one. */
  environment_file: EnvironmentFiles | null;
  /** log_format: how the stdout and stderr log files hold the output. */
  log_format: ChildLogFormat;
}

/** An option's raw value (expanded as supervisor expands its own), or null when absent. */
export type Get = (option: string) => string | null;

/** `parse(value)`, its error naming the option: the caller adds the section and file. */
export function option<T>(name: string, value: string, parse: (value: string) => T): T {
  try {
    return parse(value);
  } catch (e) {
    if (!(e instanceof ConfigValueError)) throw e;
    throw new ConfigValueError(`${e.message} for ${name}`);
  }
}

/** A named signal (a name or its number), or `none`. */
function optionalSignal(value: string): number | null {
  if (value.trim().toLowerCase() === 'none') return null;
  const num = t.signalNumber(value);
  if (!(num in SIGNAL_NAMES) || num > 31) throw new ConfigValueError(`value ${pyRepr(value)} is not a named signal`);
  return num;
}

/** [supervisord]'s keys; an error names the section and file as program sections' do. */
export function daemonExtensions(r: Reader): DaemonExtensions {
  const get: Get = (name) => r.get('supervisord', name, null, { here: r.here });
  try {
    const deathSignal = get('death_signal');
    const envFiles = get('environment_file');
    const logformat = get('logformat');
    return {
      death_signal: deathSignal === null ? null : option('death_signal', deathSignal, optionalSignal),
      environment_file: envFiles === null ? [] : option('environment_file', envFiles, environmentFileList),
      logformat: logformat === null ? 'text' : option('logformat', logformat, mainLogFormat),
      ...daemonContainerKeys(get),
    };
  } catch (e) {
    if (!(e instanceof ConfigValueError)) throw e;
    const file = r.raw.sectionToFile.get('supervisord') ?? r.configfile;
    throw new ConfigValueError(`${e.message} in section 'supervisord' (file: ${pyRepr(file)})`);
  }
}

/** A program section's keys; processesFromSection adds the section and file to an error. */
export function processExtensions(get: Get, daemon: DaemonExtensions, own: { environment: Record<string, string>; program: string }): ProcessExtensions {
  const deathSignal = get('death_signal');
  const envFiles = get('environment_file');
  const logFormat = get('log_format');
  return {
    death_signal: deathSignal === null ? daemon.death_signal : option('death_signal', deathSignal, optionalSignal),
    environment_file: environmentFiles(daemon.environment_file, envFiles === null ? [] : option('environment_file', envFiles, environmentFileList), own.environment),
    log_format: logFormat === null ? 'raw' : option('log_format', logFormat, childLogFormat),
    ...processContainerKeys(get),
    ...lifecycleOptions(get, option, own.program),
  };
}

/** A signal number as Node's APIs name it. */
export const nodeSignal = (num: number): NodeJS.Signals => SIGNAL_NAMES[num] as NodeJS.Signals;
