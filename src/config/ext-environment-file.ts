// `environment_file = PATH[, PATH …]` in [supervisord] and [program:x]: dotenv files read
// at each spawn (src/runtime/environment-files.ts). A leading `-` lets the file be
// missing, as systemd's `EnvironmentFile=-PATH` (systemd.exec(5)). The layers, lowest
// first: the daemon's environment, [supervisord] environment_file, [supervisord]
// environment=, the program's environment_file, the program's environment=.
import { ConfigValueError } from './errors.ts';
import { pyRepr } from './pyrepr.ts';

export interface EnvironmentFile {
  path: string;
  /** Written `-PATH`: a missing file adds nothing instead of failing the spawn. */
  optional: boolean;
}

/** What a process's spawn needs to layer its files; null when no section names any. */
export interface EnvironmentFiles {
  /** [supervisord] environment_file: over the daemon's environment, under [supervisord] environment=. */
  supervisord: EnvironmentFile[];
  /** The program's own: over [supervisord] environment=, under the program's environment=. */
  program: EnvironmentFile[];
  /**
   * The names the program's own environment= sets. ProcessConfig.environment has
   * [supervisord] environment= merged in, and only these names rank above the program's files.
   */
  environment_names: string[];
}

/** The option's value: absolute paths separated by commas, each maybe prefixed with `-`. */
export function environmentFileList(value: string): EnvironmentFile[] {
  return value.split(',').map((item) => {
    const entry = item.trim();
    const optional = entry.startsWith('-');
    const path = optional ? entry.slice(1).trim() : entry;
    if (path === '') throw new ConfigValueError(`empty path in ${pyRepr(value)}`);
    if (!path.startsWith('/')) throw new ConfigValueError(`path ${pyRepr(path)} is not absolute (write %(here)s/… for the config file's directory)`);
    return { path, optional };
  });
}

/** A process's layers, or null (no files: the spawn builds its environment as supervisor's). */
export function environmentFiles(daemon: EnvironmentFile[], program: EnvironmentFile[], own: Record<string, string>): EnvironmentFiles | null {
  if (daemon.length === 0 && program.length === 0) return null;
  return { supervisord: daemon, program, environment_names: Object.keys(own) };
}
