// reread's comparison of the configuration on disk with the running one: supervisord's
// diff_to_active() and the __eq__ of its config classes (options.py), so a group is
// "changed" exactly when supervisor would call it changed.
import type { FcgiSocket, GroupConfig, GroupKind, ProcessConfig } from './types.ts';

export interface GroupDiff {
  /** In the new file's order (sorted by priority, then name). */
  added: GroupConfig[];
  /** In the new file's order. */
  changed: GroupConfig[];
  /** In the running order. */
  removed: GroupConfig[];
}

/** ProcessConfig.req_param_names + optional_param_names: what makes two processes differ. */
const PROCESS_PARAMS = [
  'name', 'uid', 'command', 'directory', 'umask', 'priority',
  'autostart', 'autorestart', 'startsecs', 'startretries',
  'stdout_logfile', 'stdout_capture_maxbytes', 'stdout_events_enabled', 'stdout_syslog',
  'stdout_logfile_backups', 'stdout_logfile_maxbytes',
  'stderr_logfile', 'stderr_capture_maxbytes', 'stderr_logfile_backups', 'stderr_logfile_maxbytes',
  'stderr_events_enabled', 'stderr_syslog',
  'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'exitcodes', 'redirect_stderr',
  'environment', 'serverurl',
] as const satisfies readonly (keyof ProcessConfig)[];

/** Python's == on the values a config holds: str, int, bool, None, list, dict. */
function pyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/**
 * The file a running process's AUTO log became. supervisord's after_setuid() writes it into
 * the running config, so the running side never says AUTO: only the new side's AUTO skips
 * the comparison.
 */
export type AutoLogfile = (group: string, process: string, channel: 'stdout' | 'stderr') => string | null;

/**
 * ProcessConfig.__eq__: a parameter that is AUTO on either side is not compared. statevisor's
 * own keys change how the process behaves, so a change there counts too.
 */
function sameProcess(next: ProcessConfig, active: ProcessConfig, group: string, auto: AutoLogfile): boolean {
  const live = (p: (typeof PROCESS_PARAMS)[number]) => {
    const v = active[p];
    if (v !== 'AUTO') return v;
    return p === 'stdout_logfile' ? auto(group, active.name, 'stdout') : p === 'stderr_logfile' ? auto(group, active.name, 'stderr') : v;
  };
  return PROCESS_PARAMS.every((p) => next[p] === 'AUTO' || pyEqual(next[p], live(p))) && pyEqual(next.statevisor, active.statevisor);
}

/** The config class each section kind makes: [program:x] and [group:x] share one. */
const CLASS: Record<GroupKind, 'ProcessGroupConfig' | 'FastCGIGroupConfig' | 'EventListenerPoolConfig'> = {
  program: 'ProcessGroupConfig',
  group: 'ProcessGroupConfig',
  'fcgi-program': 'FastCGIGroupConfig',
  eventlistener: 'EventListenerPoolConfig',
};

const sameSocket = (a: FcgiSocket | undefined, b: FcgiSocket | undefined): boolean => a?.url === b?.url;

/**
 * `next == active` as Python evaluates it: the new config's class decides (a FastCGI group
 * is also a ProcessGroupConfig, so a plain group equals an fcgi group with the same
 * processes, but not the reverse). The supervision keys are statevisor's own; a change
 * there changes how the group behaves, so it counts too (supervisor never sees them).
 */
function sameGroup(next: GroupConfig, active: GroupConfig, auto: AutoLogfile): boolean {
  const [n, a] = [CLASS[next.kind], CLASS[active.kind]];
  if (n === 'EventListenerPoolConfig' ? a !== n : n === 'FastCGIGroupConfig' ? a !== n : a === 'EventListenerPoolConfig') return false;
  const common = next.name === active.name && next.priority === active.priority
    && next.processes.length === active.processes.length && next.processes.every((p, i) => sameProcess(p, active.processes[i], active.name, auto))
    && pyEqual(next.supervision, active.supervision);
  if (!common) return false;
  if (n === 'FastCGIGroupConfig') return sameSocket(next.socket, active.socket);
  if (n === 'EventListenerPoolConfig') {
    return next.buffer_size === active.buffer_size && pyEqual(next.events, active.events) && next.result_handler === active.result_handler;
  }
  return true;
}

/** diff_to_active(): groups on disk vs the running ones. */
export function diffGroups(next: readonly GroupConfig[], active: readonly GroupConfig[], auto: AutoLogfile): GroupDiff {
  const cur = new Map(active.map((g) => [g.name, g]));
  const fresh = new Set(next.map((g) => g.name));
  return {
    added: next.filter((g) => !cur.has(g.name)),
    changed: next.filter((g) => cur.has(g.name) && !sameGroup(g, cur.get(g.name)!, auto)),
    removed: active.filter((g) => !fresh.has(g.name)),
  };
}
