// statevisor's lifecycle keys in [program:x]: dependencies (depends_on), readiness
// (ready_check, ready_timeout), health checks (health_*) and backoff (backoff*,
// retry_forever, restart_delay). supervisord ignores them. Values are checked here, one
// section at a time; the names depends_on refers to, and cycles, need every section and
// are checked by checkDependencies once all groups are read.
import * as t from './datatypes.ts';
import { ConfigValueError } from './errors.ts';
import { pyRepr } from './pyrepr.ts';
import type { GroupConfig } from './types.ts';

/** What a dependency must have reached (process-compose's depends_on conditions, renamed). */
export type DependencyCondition = 'running' | 'started' | 'completed';
export const CONDITIONS: readonly DependencyCondition[] = ['running', 'started', 'completed'];

export interface Dependency {
  program: string;
  condition: DependencyCondition;
}

/** A ready or health check; `spec` is the text as written, for logs and descriptions. */
export type Check =
  | { kind: 'tcp'; spec: string; host: string; port: number }
  | { kind: 'http'; spec: string; url: string }
  | { kind: 'exec'; spec: string; command: string }
  | { kind: 'log'; spec: string; pattern: string }
  | { kind: 'fd'; spec: string; fd: number };

export type BackoffPolicy = 'linear' | 'exponential';

export interface LifecycleOptions {
  /** The [program:x] (or fcgi-program, eventlistener) the process comes from: what depends_on names. */
  program: string;
  depends_on: Dependency[];
  ready_check: Check | null;
  ready_timeout: number;
  health_check: Check | null;
  health_interval: number;
  health_timeout: number;
  health_retries: number;
  backoff: BackoffPolicy;
  /** Seconds; null: no cap. */
  backoff_max: number | null;
  backoff_jitter: number;
  retry_forever: boolean;
  restart_delay: number;
  backoff_reset: number;
}

export const LIFECYCLE_DEFAULTS: Omit<LifecycleOptions, 'program'> = {
  depends_on: [], ready_check: null, ready_timeout: 60,
  health_check: null, health_interval: 10, health_timeout: 5, health_retries: 3,
  backoff: 'linear', backoff_max: null, backoff_jitter: 0, retry_forever: false, restart_delay: 0, backoff_reset: 60,
};

const bad = (value: string, what: string): never => {
  throw new ConfigValueError(`value ${pyRepr(value)} is not ${what}`);
};

/** Seconds as a decimal number, at least `min` (and more than it when `strict`). */
function seconds(value: string, min = 0, strict = false): number {
  const v = value.trim();
  const n = /^\d+(\.\d+)?$|^\.\d+$/.test(v) ? Number(v) : NaN;
  if (Number.isNaN(n) || n < min || (strict && n === min)) bad(value, strict ? `a number of seconds greater than ${min}` : 'a number of seconds (0 or more)');
  return n;
}

function fraction(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || Number.isNaN(n) || n < 0 || n > 1) bad(value, 'a fraction between 0 and 1');
  return n;
}

function positiveInteger(value: string): number {
  const n = t.integer(value);
  if (n < 1) bad(value, 'an integer of 1 or more');
  return n;
}

export function dependencies(value: string): Dependency[] {
  const out: Dependency[] = [];
  for (const entry of t.listOfStrings(value).filter(Boolean)) {
    const [program, condition = 'running', ...rest] = entry.split(':').map((s) => s.trim());
    if (!program || rest.length) bad(entry, 'a program name, optionally followed by :running, :started or :completed');
    if (!CONDITIONS.includes(condition as DependencyCondition)) bad(entry, `a dependency: the condition must be running, started or completed`);
    if (!out.some((d) => d.program === program)) out.push({ program, condition: condition as DependencyCondition });
  }
  return out;
}

const CHECK_FORMS = 'a check (tcp:HOST:PORT, http://HOST:PORT/PATH, exec:COMMAND, log:REGEX or fd:N)';
const HEALTH_FORMS = 'a health check (tcp:HOST:PORT, http://HOST:PORT/PATH or exec:COMMAND)';

function port(spec: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) bad(spec, 'tcp:HOST:PORT with a port from 1 to 65535');
  return n;
}

/** `tcp:HOST:PORT` (HOST may be empty or [v6]; `tcp:PORT` means 127.0.0.1). */
function tcpCheck(spec: string, rest: string): Check {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d*)$/.exec(rest) ?? /^()()(\d+)$/.exec(rest);
  if (!m) return bad(spec, 'tcp:HOST:PORT');
  return { kind: 'tcp', spec, host: m[1] || m[2] || '127.0.0.1', port: port(spec, m[3]) };
}

export function check(value: string): Check {
  const spec = value.trim();
  const at = spec.indexOf(':');
  const [scheme, rest] = at < 0 ? [spec, ''] : [spec.slice(0, at).toLowerCase(), spec.slice(at + 1)];
  switch (scheme) {
    case 'tcp': return tcpCheck(spec, rest.trim());
    case 'http':
    case 'https': {
      let url: URL;
      try {
        url = new URL(spec);
      } catch {
        return bad(spec, 'an http URL (http://HOST:PORT/PATH)');
      }
      if (!url.hostname) bad(spec, 'an http URL with a host');
      return { kind: 'http', spec, url: url.href };
    }
    case 'exec':
      if (!rest.trim()) bad(spec, 'exec:COMMAND with a command');
      return { kind: 'exec', spec, command: rest.trim() };
    case 'log':
      if (!rest) bad(spec, 'log:REGEX with a pattern');
      try {
        new RegExp(rest);
      } catch (e) {
        throw new ConfigValueError(`regex ${pyRepr(rest)} does not compile (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`);
      }
      return { kind: 'log', spec, pattern: rest };
    case 'fd': {
      const n = /^\d+$/.test(rest.trim()) ? Number(rest.trim()) : NaN;
      // 0, 1 and 2 are the child's stdin, stdout and stderr.
      if (!(n >= 3 && n <= 1023)) bad(spec, 'fd:N with N from 3 to 1023');
      return { kind: 'fd', spec, fd: n };
    }
    default:
      return bad(spec, CHECK_FORMS);
  }
}

function healthCheck(value: string): Check {
  const c = check(value);
  if (c.kind === 'log' || c.kind === 'fd') bad(value, HEALTH_FORMS);
  return c;
}

/** An option's raw value, or null when absent; `option` names it in an error. */
type Get = (option: string) => string | null;
type Option = <T>(name: string, value: string, parse: (value: string) => T) => T;

/** The keys of one program section (extensions.ts adds the section and file to an error). */
export function lifecycleOptions(get: Get, option: Option, program: string): LifecycleOptions {
  const d = LIFECYCLE_DEFAULTS;
  const read = <T>(name: string, parse: (v: string) => T, fallback: T): T => {
    const raw = get(name);
    return raw === null ? fallback : option(name, raw, parse);
  };
  return {
    program,
    depends_on: read('depends_on', dependencies, d.depends_on),
    ready_check: read('ready_check', check, d.ready_check),
    ready_timeout: read('ready_timeout', (v) => seconds(v, 0, true), d.ready_timeout),
    health_check: read('health_check', healthCheck, d.health_check),
    health_interval: read('health_interval', (v) => seconds(v, 0, true), d.health_interval),
    health_timeout: read('health_timeout', (v) => seconds(v, 0, true), d.health_timeout),
    health_retries: read('health_retries', positiveInteger, d.health_retries),
    backoff: read('backoff', (v) => {
      const p = v.trim().toLowerCase();
      return p === 'linear' || p === 'exponential' ? p : bad(v, 'linear or exponential');
    }, d.backoff),
    backoff_max: read('backoff_max', (v) => seconds(v), d.backoff_max),
    backoff_jitter: read('backoff_jitter', fraction, d.backoff_jitter),
    retry_forever: read('retry_forever', t.boolean, d.retry_forever),
    restart_delay: read('restart_delay', (v) => seconds(v), d.restart_delay),
    backoff_reset: read('backoff_reset', (v) => seconds(v), d.backoff_reset),
  };
}

/** The section a program came from, for errors that need every section. */
export type SectionOf = (program: string) => { section: string; file: string };

/**
 * depends_on across sections: every name is a program of this file, and nothing depends
 * on itself through any chain (a cycle would wait forever).
 */
export function checkDependencies(groups: readonly GroupConfig[], sectionOf: SectionOf): void {
  const deps = new Map<string, string[]>();
  for (const g of groups) {
    for (const p of g.processes) deps.set(p.statevisor.program, p.statevisor.depends_on.map((d) => d.program));
  }
  const where = (program: string) => {
    const { section, file } = sectionOf(program);
    return `in section ${pyRepr(section)} (file: ${pyRepr(file)})`;
  };
  for (const [program, names] of deps) {
    const unknown = names.find((n) => !deps.has(n));
    if (unknown !== undefined) throw new ConfigValueError(`depends_on names unknown program ${pyRepr(unknown)} ${where(program)}`);
  }
  // Depth-first search; `path` is the chain being followed, so meeting a name on it closes a cycle.
  const done = new Set<string>();
  const visit = (program: string, path: string[]): void => {
    if (done.has(program)) return;
    const at = path.indexOf(program);
    if (at >= 0) {
      const cycle = [...path.slice(at), program];
      throw new ConfigValueError(`depends_on makes a cycle: ${cycle.join(' -> ')} ${where(cycle[0])}`);
    }
    for (const n of deps.get(program) ?? []) visit(n, [...path, program]);
    done.add(program);
  };
  for (const program of [...deps.keys()].sort()) visit(program, []);
}
