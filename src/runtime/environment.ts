// The environment a child starts with, built the way _spawn_as_child builds it: the
// daemon's own environment, then the SUPERVISOR_* variables, then the program's
// `environment=` (which the config already merged over [supervisord] environment=), so a
// config can override even SUPERVISOR_ENABLED. Key order follows Python's dict updates.
// statevisor's environment_file layers go in with environment= (environment-files.ts).
import type { ProcessExtensions } from '../config/extensions.ts';
import type { ProcessConfig } from '../config/types.ts';
import { environmentFiles } from './environment-files.ts';

export interface DaemonContext {
  /** The daemon's os.environ. */
  env: Readonly<Record<string, string | undefined>>;
  /** The daemon's computed serverurl (its first HTTP server), used when the program has none. */
  serverurl: string | null;
}

/** Throws a SpawnError when an environment_file cannot be read. */
export function childEnvironment(
  config: Pick<ProcessConfig, 'name' | 'serverurl' | 'environment'> & { statevisor?: Pick<ProcessExtensions, 'environment_file'> },
  groupName: string | null,
  daemon: DaemonContext,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(daemon.env)) if (value !== undefined) env[key] = value;
  env.SUPERVISOR_ENABLED = '1';
  const serverurl = config.serverurl ?? daemon.serverurl;
  // supervisor tests truthiness: an empty URL leaves the variable unset.
  if (serverurl) env.SUPERVISOR_SERVER_URL = serverurl;
  env.SUPERVISOR_PROCESS_NAME = config.name;
  if (groupName) env.SUPERVISOR_GROUP_NAME = groupName;
  const files = config.statevisor?.environment_file ?? null;
  if (files === null) Object.assign(env, config.environment);
  else environmentFiles.layer(env, files, config.environment);
  return env;
}
