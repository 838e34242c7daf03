// `statevisord --print-config`: the effective configuration as JSON in the schema and value
// conventions of supervisor's config oracle (test/config/supervisor-config-oracle.py), plus
// statevisor's own keys under a top-level "statevisor".
import { ConfigValueError } from './errors.ts';
import { nodeHost } from './host.ts';
import { loadConfig } from './load.ts';
import type { Config, GroupConfig } from './types.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Python's json.dumps(indent=1, sort_keys=True): same layout, non-ASCII escaped. */
function dumps(value: Json, indent?: number): string {
  const sorted = (v: Json): Json =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;
  const text = indent === undefined ? JSON.stringify(value) : JSON.stringify(sorted(value), null, indent);
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The oracle names a group's kind by which section exists under its name, in this order. */
function oracleKind(g: GroupConfig, config: Config): string {
  for (const kind of ['group', 'eventlistener', 'fcgi-program']) {
    if (config.groups.some((o) => o.kind === kind && o.name === g.name)) return kind;
  }
  return 'program';
}

/** statevisor's own settings, by section: the daemon's, then each group's and process's. */
function extensionsJson(config: Config): Json {
  const groups = config.groups.map((g) => [g.name, {
    ...g.supervision,
    processes: Object.fromEntries(g.processes.map((p) => [p.name, p.statevisor])),
  }]);
  return { supervisord: config.supervisord.statevisor, groups: Object.fromEntries(groups) } as unknown as Json;
}

/** supervisor's schema, then statevisor's keys apart under "statevisor". */
export function configJson(config: Config): Json {
  const { supervisord, servers, groups } = config;
  const { statevisor: _daemon, ...supervisordOwn } = supervisord;
  return {
    ok: true,
    supervisord: { ...supervisordOwn, profile_options: null },
    servers: servers.map((s) => ({ ...s })),
    groups: groups.map((g) => ({
      name: g.name,
      priority: g.priority,
      kind: oracleKind(g, config),
      processes: g.processes.map(({ statevisor: _process, ...p }) => p),
      ...(g.kind === 'eventlistener' ? { events: g.events ?? [], buffer_size: g.buffer_size ?? 10 } : {}),
    })),
    statevisor: extensionsJson(config),
  } as unknown as Json;
}

export function printConfig(file: string, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  try {
    return dumps(configJson(loadConfig(file, nodeHost(options.env, options.cwd))), 1);
  } catch (e) {
    if (!(e instanceof ConfigValueError)) throw e;
    return `{"ok": false, "error": ${dumps(e.message)}}`;
  }
}
