// supervisor's datatypes.py, one parser per value type, same messages.
import { SIGNALS_BY_NAME } from '../states.ts';
import { ConfigValueError } from './errors.ts';
import type { ConfigHost } from './host.ts';
import { dirname, expanduser } from './pypath.ts';
import { mayBeInt, pyInt, pyStrip } from './pyint.ts';
import { pyRepr } from './pyrepr.ts';
import { shlexTokens } from './shlex.ts';
import type { AutoRestart } from './types.ts';

const SIGNAL_NUMBERS: ReadonlySet<number> = new Set(Object.values(SIGNALS_BY_NAME));

const fail = (message: string): never => {
  throw new ConfigValueError(message);
};

/** int() of a string, or null where Python's int() would raise. */
function asInt(s: string): number | null {
  if (!mayBeInt(s)) return null;
  try {
    return pyInt(s);
  } catch {
    return null;
  }
}

export function processOrGroupName(name: string): string {
  const s = pyStrip(name);
  for (const c of ' :/') if (s.includes(c)) fail(`Invalid name: ${pyRepr(name)} because of character: ${pyRepr(c)}`);
  return s;
}

/** int() of a string; supervisor lets Python's own message through. */
export function integer(value: string): number {
  try {
    return pyInt(value);
  } catch (e) {
    return fail((e as Error).message);
  }
}

const TRUTHY = ['yes', 'true', 'on', '1'];
const FALSY = ['no', 'false', 'off', '0'];

export function boolean(s: string): boolean {
  const ss = s.toLowerCase();
  if (TRUTHY.includes(ss)) return true;
  if (FALSY.includes(ss)) return false;
  return fail(`not a valid boolean value: ${pyRepr(s)}`);
}

export function listOfStrings(arg: string | null): string[] {
  return arg ? arg.split(',').map(pyStrip) : [];
}

export function listOfExitcodes(arg: string): number[] {
  try {
    if (!arg) return [];
    return arg.split(',').map((v) => {
      const n = pyInt(v);
      if (n > 255 || n < 0) throw new Error();
      return n;
    });
  } catch {
    return fail(`not a valid list of exit codes: ${pyRepr(arg)}`);
  }
}

/** KEY=val,KEY2="v,2" through Python's non-POSIX shlex, as supervisor does. */
export function dictOfKeyValuePairs(arg: string): Record<string, string> {
  let tokens: string[];
  try {
    tokens = shlexTokens(arg, '/.+-():');
  } catch (e) {
    return fail((e as Error).message);
  }
  const out: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 4) {
    if (i + 2 >= tokens.length || tokens[i + 1] !== '=') fail(`Unexpected end of key/value pairs in value '${arg}'`);
    out[tokens[i]] = tokens[i + 2].replace(/^['"]+|['"]+$/g, '');
  }
  return out;
}

const SIZES: [string, number][] = [['kb', 1024], ['mb', 1024 ** 2], ['gb', 1024 ** 3]];

export function byteSize(v: string): number {
  const lower = v.toLowerCase();
  const unit = SIZES.find(([suffix]) => lower.slice(-2) === suffix);
  return unit ? integer(lower.slice(0, -2)) * unit[1] : integer(lower);
}

export function octalType(arg: string): number {
  try {
    return pyInt(arg, 8);
  } catch {
    return fail(`${arg} can not be converted to an octal type`);
  }
}

export function signalNumber(value: string): number {
  let num = asInt(value);
  if (num === null) {
    let name = pyStrip(value).toUpperCase();
    if (!name.startsWith('SIG')) name = `SIG${name}`;
    num = Object.hasOwn(SIGNALS_BY_NAME, name) ? SIGNALS_BY_NAME[name] : fail(`value ${pyRepr(value)} is not a valid signal name`);
  }
  if (!SIGNAL_NUMBERS.has(num)) fail(`value ${pyRepr(value)} is not a valid signal number`);
  return num;
}

export function autoRestart(value: string): AutoRestart {
  const v = value.toLowerCase();
  if (TRUTHY.includes(v)) return 'true';
  if (FALSY.includes(v)) return 'false';
  if (v === 'unexpected') return 'unexpected';
  return fail(`invalid 'autorestart' value ${pyRepr(v)}`);
}

const LEVELS: Readonly<Record<string, number>> = { critical: 50, error: 40, warn: 30, info: 20, debug: 10, trace: 5, blather: 3 };

export function loggingLevel(value: string): number {
  const s = value.toLowerCase();
  return Object.hasOwn(LEVELS, s) ? LEVELS[s] : fail(`bad logging level name ${pyRepr(value)}`);
}

export function existingDirectory(v: string, host: ConfigHost): string {
  const nv = expanduser(v, host);
  return host.isDir(nv) ? nv : fail(`${v} is not an existing directory`);
}

export function existingDirpath(v: string, host: ConfigHost): string {
  const nv = expanduser(v, host);
  const dir = dirname(nv);
  if (!dir || host.isDir(dir)) return nv;
  return fail(`The directory named as part of the path ${v} does not exist`);
}

/** A child log name: null for NONE/OFF, 'AUTO', 'syslog' (deprecated), or a path. */
export function logfileName(val: string, host: ConfigHost): string | null {
  const coerced = val.toLowerCase();
  if (coerced === 'none' || coerced === 'off') return null;
  if (coerced === 'auto') return 'AUTO';
  if (coerced === 'syslog') return 'syslog';
  return existingDirpath(val, host);
}

function portNumber(s: string): number {
  const v = integer(s);
  if (v < 1) fail(`${v} is below lower bound (1)`);
  if (v > 0xffff) fail(`${v} is above upper bound (65535)`);
  return v;
}

export function inetAddress(s: string): [string, number] {
  let host = '';
  let port: number;
  const colon = s.lastIndexOf(':');
  if (colon >= 0) {
    const rest = s.slice(colon + 1);
    host = s.slice(0, colon);
    if (!rest) fail(`no port number specified in ${pyRepr(rest)}`);
    port = portNumber(rest);
    host = host.toLowerCase();
  } else {
    try {
      port = portNumber(s);
    } catch {
      return fail(`not a valid port number: ${pyRepr(s)} `);
    }
  }
  return [host === '*' ? '' : host, port];
}

export function nameToUid(name: string, host: ConfigHost): number {
  const uid = asInt(name);
  if (uid === null) return host.users().find((u) => u.name === name)?.uid ?? fail(`Invalid user name ${name}`);
  return host.users().some((u) => u.uid === uid) ? uid : fail(`Invalid user id ${name}`);
}

export function nameToGid(name: string, host: ConfigHost): number {
  const gid = asInt(name);
  if (gid === null) return host.groups().find((g) => g.name === name)?.gid ?? fail(`Invalid group name ${name}`);
  return host.groups().some((g) => g.gid === gid) ? gid : fail(`Invalid group id ${name}`);
}

export function gidForUid(uid: number, host: ConfigHost): number {
  return host.users().find((u) => u.uid === uid)?.gid ?? fail(`getpwuid(): uid not found: ${uid}`);
}

export function colonSeparatedUserGroup(arg: string, host: ConfigHost): [number, number] {
  try {
    const colon = arg.indexOf(':');
    if (colon < 0) return [nameToUid(arg, host), -1];
    return [nameToUid(arg.slice(0, colon), host), nameToGid(arg.slice(colon + 1), host)];
  } catch {
    return fail(`Invalid user:group definition ${arg}`);
  }
}

const ENTRY_POINT = /^\s*(.+?)\s*=\s*([\w.]+)\s*(?::\s*([\w.]+))?\s*(\[.*\])?\s*$/u;

/**
 * supervisor's import_spec (pkg_resources.EntryPoint) for `module:attr` specs. statevisor
 * cannot import Python, so only the specs in `known` resolve; any other well-formed spec
 * fails as an unimportable one does in supervisor.
 */
export function importSpec(spec: string, section: string, known: readonly string[] | null): string {
  const m = ENTRY_POINT.exec(`x=${spec}`);
  if (!m) fail(`(${pyRepr("EntryPoint must be in 'name=module:attrs [extras]' format")}, ${pyRepr(`x=${spec}`)})`);
  const canonical = `${m![2]}:${m![3] ?? ''}`;
  if (known && !known.includes(canonical)) fail(`${spec} cannot be resolved within [${section}]`);
  return canonical;
}
