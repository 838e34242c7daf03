// supervisorctl's ClientOptions.read_config: the [supervisorctl] section and [ctlplugin:x]
// sections of one file (supervisorctl does not follow [include]).
import { ConfigValueError } from './errors.ts';
import { nodeHost, type ConfigHost } from './host.ts';
import { plugins } from './load.ts';
import { RawConfig } from './parser.ts';
import { decodeUtf8 } from './utf8.ts';
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
  if (!host.exists(file)) throw new ConfigValueError(`could not find config file ${file}`);
  let bytes: Uint8Array;
  try {
    bytes = host.readBytes(file);
  } catch {
    throw new ConfigValueError(`could not read config file ${file}`);
  }
  const text = decodeUtf8(bytes);
  const raw = new RawConfig();
  raw.read(text, file);
  if (!raw.has('supervisorctl')) throw new ConfigValueError('.ini file does not include supervisorctl section');
  const env: Expansions = {};
  for (const [k, v] of Object.entries(host.env)) if (v !== undefined) env[`ENV_${k}`] = v;
  const r = new Reader(raw, env, host, here, file);
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
