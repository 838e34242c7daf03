// supervisor's _processes_from_section: one ProcessConfig per process of a program-type
// section, with numprocs expansion, in supervisor's order of evaluation (which decides
// which error a broken section reports first).
import * as t from './datatypes.ts';
import { ConfigValueError } from './errors.ts';
import { processExtensions, type DaemonExtensions } from './extensions.ts';
import { expand } from './pyformat.ts';
import { pyStrip } from './pyint.ts';
import { pyRepr } from './pyrepr.ts';
import type { Expansions, Reader } from './reader.ts';
import type { LogfileName, ProcessConfig } from './types.ts';

export interface ParseWarnings { warnings: string[] }

export function processesFromSection(r: Reader, section: string, groupName: string, daemon: DaemonExtensions, log: ParseWarnings): ProcessConfig[] {
  try {
    return processes(r, section, groupName, daemon, log);
  } catch (e) {
    if (!(e instanceof ConfigValueError)) throw e;
    const file = r.raw.sectionToFile.get(section) ?? r.configfile;
    throw new ConfigValueError(`${e.message} in section ${pyRepr(section)} (file: ${pyRepr(file)})`);
  }
}

function processes(r: Reader, section: string, groupName: string, daemon: DaemonExtensions, log: ParseWarnings): ProcessConfig[] {
  const programName = t.processOrGroupName(section.slice(section.indexOf(':') + 1));
  // supervisor mutates one dict here, so later options of a section see more names. We make
  // a new map at each of its changes instead, which the Reader may then cache. The ENV_*
  // names it also copies in are the Reader's own, merged in by r.get() and by full() below.
  let common: Expansions = { here: r.here, program_name: programName, host_node_name: r.host.hostname, group_name: groupName };
  const get = <D extends string | null>(opt: string, fallback: D, doExpand = true) => r.get(section, opt, fallback, common, doExpand);

  const priority = t.integer(get('priority', '999'));
  const autostart = t.boolean(get('autostart', 'true'));
  const autorestart = t.autoRestart(get('autorestart', 'unexpected'));
  const startsecs = t.integer(get('startsecs', '1'));
  const startretries = t.integer(get('startretries', '3'));
  const stopsignal = t.signalNumber(get('stopsignal', 'TERM'));
  const stopwaitsecs = t.integer(get('stopwaitsecs', '10'));
  const stopasgroup = t.boolean(get('stopasgroup', 'false'));
  const killasgroup = t.boolean(get('killasgroup', String(stopasgroup)));
  const exitcodes = t.listOfExitcodes(get('exitcodes', '0'));
  const redirectStderr = t.boolean(get('redirect_stderr', 'false'));
  const numprocs = t.integer(get('numprocs', '1'));
  const numprocsStart = t.integer(get('numprocs_start', '0'));
  const environmentStr = get('environment', '', false);
  const stdoutCmax = t.byteSize(get('stdout_capture_maxbytes', '0'));
  const stdoutEvents = t.boolean(get('stdout_events_enabled', 'false'));
  const stderrCmax = t.byteSize(get('stderr_capture_maxbytes', '0'));
  const stderrEvents = t.boolean(get('stderr_events_enabled', 'false'));
  let serverurl = get('serverurl', null);
  if (serverurl && pyStrip(serverurl).toUpperCase() === 'AUTO') serverurl = null;
  const user = get('user', null);
  const uid = user === null ? null : t.nameToUid(user, r.host);
  const umaskStr = get('umask', null);
  const umask = umaskStr === null ? null : t.octalType(umaskStr);
  const processName = t.processOrGroupName(get('process_name', '%(program_name)s', false));
  if (numprocs > 1 && !processName.includes('%(process_num)')) {
    throw new ConfigValueError('%(process_num) must be present within process_name when numprocs > 1');
  }
  if (stopasgroup && !killasgroup) throw new ConfigValueError('Cannot set stopasgroup=true and killasgroup=false');

  const out: ProcessConfig[] = [];
  for (let processNum = numprocsStart; processNum < numprocs + numprocsStart; processNum++) {
    common = { ...common, process_num: processNum, numprocs };
    const base = common;
    // supervisor's dict as its own expand() calls see it, in its key order (a bare %s prints it).
    const full = (...extra: Expansions[]): Expansions => Object.assign({ ...base, ...r.env }, ...extra);
    const environment = t.dictOfKeyValuePairs(direct(environmentStr, 'environment', full));
    const programEnv = Object.fromEntries(Object.entries(environment).map(([k, v]) => [`ENV_${k}`, v]));
    common = { ...common, ...programEnv };
    let withProgramEnv: Expansions | undefined;
    const expandFull = (value: string, name: string) => direct(value, name, () => (withProgramEnv ??= full(programEnv)));
    const directory = get('directory', null);
    const logs = logfiles(r, section, common, expandFull, log);
    if (redirectStderr) {
      if (logs.stderr_logfile !== 'AUTO' && logs.stderr_logfile !== null) {
        log.warnings.push(`For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`);
      }
      logs.stderr_logfile = null;
    }
    const command = r.get(section, 'command', null, common);
    if (command === null) throw new ConfigValueError(`program section ${section} does not specify a command`);
    const statevisor = processExtensions((opt) => get(opt, null), daemon, { environment, program: programName });
    out.push({
      name: expandFull(processName, 'process_name'),
      command, directory, umask, priority, autostart, autorestart, startsecs, startretries, uid,
      stdout_capture_maxbytes: stdoutCmax, stdout_events_enabled: stdoutEvents,
      stderr_capture_maxbytes: stderrCmax, stderr_events_enabled: stderrEvents,
      ...logs,
      stopsignal, stopwaitsecs, stopasgroup, killasgroup, exitcodes,
      redirect_stderr: redirectStderr, environment, serverurl, statevisor,
    });
  }
  return out.sort(byPriority);
}

type Logs = Pick<ProcessConfig,
  | 'stdout_logfile' | 'stdout_logfile_backups' | 'stdout_logfile_maxbytes' | 'stdout_syslog'
  | 'stderr_logfile' | 'stderr_logfile_backups' | 'stderr_logfile_maxbytes' | 'stderr_syslog'>;

/** expand() for the calls supervisor makes outside saneget; the mapping is built only if needed. */
const direct = (value: string, name: string, mapping: () => Expansions): string => (value.includes('%') ? expand(value, mapping(), name) : value);

function logfiles(r: Reader, section: string, expansions: Expansions, expandFull: (v: string, name: string) => string, log: ParseWarnings): Logs {
  const out: Record<string, LogfileName | number | boolean> = {};
  for (const k of ['stdout', 'stderr']) {
    const key = `${k}_logfile`;
    const raw = r.get(section, key, null, expansions);
    // supervisor expands a configured log name twice.
    let name = raw === null ? 'AUTO' : t.logfileName(expandFull(raw, key), r.host);
    out[key] = name;
    out[`${key}_backups`] = t.integer(r.get(section, `${key}_backups`, '10', expansions));
    const maxbytes = t.byteSize(r.get(section, `${key}_maxbytes`, '50MB', expansions));
    out[`${key}_maxbytes`] = maxbytes;
    out[`${k}_syslog`] = t.boolean(r.get(section, `${k}_syslog`, 'false', expansions));
    if (name === 'syslog') {
      log.warnings.push(`For [${section}], ${key}=syslog but this is deprecated and will be removed.  Use ${k}_syslog=true to enable syslog instead.`);
      out[key] = name = null;
      out[`${k}_syslog`] = true;
    }
    if (name === 'AUTO' && !maxbytes) {
      log.warnings.push(`For [${section}], AUTO logging used for ${key} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`);
    }
  }
  return out as unknown as Logs;
}

/** supervisor's Config.__lt__: priority, then name. */
export const byPriority = (a: { priority: number; name: string }, b: { priority: number; name: string }): number =>
  a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
