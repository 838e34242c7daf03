// supervisor's ServerOptions.read_config: the main file, its [include]s, then every
// section into a typed Config. Errors are ConfigValueErrors carrying supervisor's text.
import * as t from './datatypes.ts';
import { ConfigValueError } from './errors.ts';
import { daemonExtensions } from './extensions.ts';
import { checkDependencies } from './ext-lifecycle.ts';
import { groupsFromParser } from './groups.ts';
import { cachingStats, nodeHost, type ConfigHost } from './host.ts';
import { RawConfig } from './parser.ts';
import { decodeUtf8 } from './utf8.ts';
import { expand } from './pyformat.ts';
import { abspath, dirname, glob, join } from './pypath.ts';
import { Reader, type Expansions } from './reader.ts';
import { serversFromParser } from './servers.ts';
import type { Config, RpcInterfaceConfig, SupervisordConfig } from './types.ts';

const MAIN_RPCINTERFACE = 'supervisor.rpcinterface:make_main_rpcinterface';

export function loadConfig(file: string, anyHost: ConfigHost = nodeHost()): Config {
  const host = cachingStats(anyHost);
  const here = abspath(dirname(file), host.cwd);
  const messages = { warnings: [] as string[], infos: [] as string[] };
  const raw = readMainFile(file, host);
  const envExpansions = envNames(host);
  const expansions: Expansions = { here, host_node_name: host.hostname, ...envExpansions };
  const included = readIncludes(raw, file, here, expansions, host, messages);
  if (!raw.has('supervisord')) throw new ConfigValueError('.ini file does not include supervisord section');
  const r = new Reader(raw, envExpansions, host, here, file);
  const supervisord = supervisordSection(r, expansions);
  const rpcinterfaces = plugins(r, 'supervisor.rpcinterface_factory', 'rpcinterface:', [MAIN_RPCINTERFACE]);
  const groups = groupsFromParser(r, supervisord.statevisor, messages);
  checkDependencies(groups, (program) => {
    const section = ['program', 'fcgi-program', 'eventlistener'].map((k) => `${k}:${program}`).find((s) => raw.has(s)) ?? `program:${program}`;
    return { section, file: raw.sectionToFile.get(section) ?? file };
  });
  for (const g of groups) for (const p of g.processes) p.environment = { ...supervisord.environment, ...p.environment };
  const servers = serversFromParser(r);
  return { file, included, supervisord, servers, groups, rpcinterfaces, messages };
}

/** The file given on the command line, parsed; supervisor's messages when it cannot be read. */
export function readMainFile(file: string, host: ConfigHost): RawConfig {
  if (!host.exists(file)) throw new ConfigValueError(`could not find config file ${file}`);
  let bytes: Uint8Array;
  try {
    bytes = host.readBytes(file);
  } catch {
    throw new ConfigValueError(`could not read config file ${file}`);
  }
  const raw = new RawConfig();
  raw.read(decodeUtf8(bytes), file);
  return raw;
}

/** ENV_<name> for each variable of the environment, as supervisor's environ_expansions. */
export function envNames(host: ConfigHost): Expansions {
  const names: Expansions = {};
  for (const [k, v] of Object.entries(host.env)) if (v !== undefined) names[`ENV_${k}`] = v;
  return names;
}

function readIncludes(raw: RawConfig, file: string, here: string, expansions: Expansions, host: ConfigHost, messages: Config['messages']): string[] {
  if (!raw.has('include')) return [];
  raw.expandHere(here);
  const files = raw.get('include', 'files');
  if (files === undefined) throw new ConfigValueError('.ini file has [include] section, but no files setting');
  const base = dirname(abspath(file, host.cwd));
  const included: string[] = [];
  for (const p of expand(files, expansions, 'include.files').split(/\s+/).filter(Boolean)) {
    const pattern = join(base, p);
    const found = glob(pattern, host).sort();
    if (!found.length) messages.warnings.push(`No file matches via include "${pattern}"`);
    for (const name of found) {
      messages.infos.push(`Included extra file "${name}" during parsing`);
      let bytes: Uint8Array | null = null;
      // configparser.read() skips a file it cannot open, silently.
      try { bytes = host.readBytes(name); } catch { /* skipped */ }
      if (bytes !== null) {
        raw.read(decodeUtf8(bytes), name, true);
        included.push(name);
      }
      raw.expandHere(abspath(dirname(name), host.cwd));
    }
  }
  return included;
}

function supervisordSection(r: Reader, expansions: Expansions): SupervisordConfig {
  const get = <D extends string | null>(opt: string, fallback: D) => r.get('supervisord', opt, fallback, { here: r.here });
  const minfds = t.integer(get('minfds', '1024'));
  const minprocs = t.integer(get('minprocs', '200'));
  const dir = get('directory', null);
  const directory = dir === null ? null : t.existingDirectory(dir, r.host);
  const user = get('user', null);
  const umask = t.octalType(get('umask', '022'));
  const logfile = t.existingDirpath(get('logfile', 'supervisord.log'), r.host);
  const logfile_maxbytes = t.byteSize(get('logfile_maxbytes', '50MB'));
  const logfile_backups = t.integer(get('logfile_backups', '10'));
  const loglevel = t.loggingLevel(get('loglevel', 'info'));
  const pidfile = t.existingDirpath(get('pidfile', 'supervisord.pid'), r.host);
  const identifier = get('identifier', 'supervisor');
  const nodaemon = t.boolean(get('nodaemon', 'false'));
  const silent = t.boolean(get('silent', 'false'));
  const childlogdir = t.existingDirectory(get('childlogdir', r.host.tempdir()), r.host);
  const nocleanup = t.boolean(get('nocleanup', 'false'));
  const strip_ansi = t.boolean(get('strip_ansi', 'false'));
  // Expanded twice, as supervisor does: `%%` must be written `%%%%` here.
  const environment = t.dictOfKeyValuePairs(expand(get('environment', ''), expansions, 'environment'));
  for (const [k, v] of Object.entries(environment)) r.addEnv(k, v);
  return {
    minfds, minprocs, directory, user, umask, logfile, logfile_maxbytes, logfile_backups, loglevel,
    pidfile, identifier, nodaemon, silent, childlogdir, nocleanup, strip_ansi, environment,
    statevisor: daemonExtensions(r),
  };
}

/** [rpcinterface:x] / [ctlplugin:x]: a factory spec (one of `known`, unless null) and its extra keys. */
export function plugins(r: Reader, factoryKey: string, prefix: string, known: string[] | null): RpcInterfaceConfig[] {
  return r.raw.sectionNames().filter((s) => s.startsWith(prefix)).map((section) => {
    const factory = r.get(section, factoryKey, null);
    if (factory === null) throw new ConfigValueError(`section [${section}] does not specify a ${factoryKey}`);
    t.importSpec(factory, section, known);
    const extras: Record<string, string> = {};
    for (const k of r.raw.options(section)) if (k !== factoryKey) extras[k] = r.get(section, k, '');
    return { name: section.slice(section.indexOf(':') + 1), factory, extras };
  });
}
