// getAllConfigInfo: every process of the parsed configuration, as rpcinterface.py builds
// it (Automatic → 'auto', None → 'none'), sorted by process name.
import type { GroupConfig, ProcessConfig } from '../config/types.ts';
import type { ConfigInfo } from '../client/wire.ts';
import type { ProcessLogs } from './process-logs.ts';

const byName = (a: ConfigInfo, b: ConfigInfo): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * `live` holds the running groups' configs. AUTO shows the file create_autochildlogs made
 * only on the very config object a running group was made from: after a reread the
 * configs are fresh objects and say 'auto' again, in use or not, as in supervisor.
 */
export function allConfigInfo(configGroups: readonly GroupConfig[], live: Readonly<Record<string, GroupConfig>>, logs: ProcessLogs): ConfigInfo[] {
  const none = <T>(v: T | null): T | string => (v === null ? 'none' : v);
  const inUse = (g: GroupConfig) => Object.hasOwn(live, g.name);
  const logfile = (g: GroupConfig, p: ProcessConfig, ch: 'stdout' | 'stderr'): string => {
    const v = ch === 'stdout' ? p.stdout_logfile : p.stderr_logfile;
    return v === null ? 'none' : v === 'AUTO' ? (live[g.name] === g && logs.logfile(g.name, p.name, ch)) || 'auto' : v;
  };
  const out = configGroups.flatMap((g) => g.processes.map((p): ConfigInfo => ({
    autostart: p.autostart, directory: none(p.directory), uid: none(p.uid), command: p.command, exitcodes: p.exitcodes,
    group: g.name, group_prio: g.priority, inuse: inUse(g), killasgroup: p.killasgroup, name: p.name,
    process_prio: p.priority, redirect_stderr: p.redirect_stderr, startretries: p.startretries, startsecs: p.startsecs,
    stdout_capture_maxbytes: p.stdout_capture_maxbytes, stdout_events_enabled: p.stdout_events_enabled,
    stdout_logfile: logfile(g, p, 'stdout'), stdout_logfile_backups: p.stdout_logfile_backups,
    stdout_logfile_maxbytes: p.stdout_logfile_maxbytes, stdout_syslog: p.stdout_syslog, stopsignal: p.stopsignal,
    stopwaitsecs: p.stopwaitsecs, stderr_capture_maxbytes: p.stderr_capture_maxbytes, stderr_events_enabled: p.stderr_events_enabled,
    stderr_logfile: logfile(g, p, 'stderr'), stderr_logfile_backups: p.stderr_logfile_backups,
    stderr_logfile_maxbytes: p.stderr_logfile_maxbytes, stderr_syslog: p.stderr_syslog, serverurl: none(p.serverurl),
  })));
  // Python's list.sort(key=…) is stable
  return out.sort(byName);
}
