// supervisorctl's ClientOptions.read_config: the [supervisorctl] section and [ctlplugin:x]
// sections of one file (supervisorctl does not follow [include]).
import { ConfigValueError } from './errors.ts';
import { nodeHost, type ConfigHost } from './host.ts';
import { envNames, plugins, readMainFile } from './load.ts';
import { dirname, normalizePath } from './pypath.ts';
import { Reader, type Expansions } from './reader.ts';
import type { RpcInterfaceConfig } from './types.ts';

export interface CtlConfig {
  serverurl: string;
  username: string | null;
  password: string | null;
  prompt: string;
  history_file: string | null;
  plugins: RpcInterfaceConfig[];
}

export function loadCtlConfig(file: string, host: ConfigHost = nodeHost()): CtlConfig {
  const here = dirname(normalizePath(file, host));
  const raw = readMainFile(file, host);
  if (!raw.has('supervisorctl')) throw new ConfigValueError('.ini file does not include supervisorctl section');
  const r = new Reader(raw, envNames(host), host, here, file);
  const get = <D extends string | null>(opt: string, fallback: D, ex: Expansions = {}) => r.get('supervisorctl', opt, fallback, ex);
  let serverurl = get('serverurl', 'http://localhost:9001', { here });
  if (serverurl.startsWith('unix://')) serverurl = `unix://${normalizePath(serverurl.slice(7), host)}`;
  const prompt = get('prompt', 'supervisor');
  const username = get('username', null);
  const password = get('password', null);
  const history = get('history_file', null, { here });
  return {
    serverurl, prompt, username, password,
    history_file: history ? normalizePath(history, host) : null,
    // Plugins are Python classes: statevisorctl lists them so it can say it skips them.
    plugins: plugins(r, 'supervisor.ctl_factory', 'ctlplugin:', null),
  };
}
