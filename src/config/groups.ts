// supervisor's process_groups_from_parser: [group:x], then [program:x], [eventlistener:x]
// and [fcgi-program:x] sections, each kind in file order, finally sorted by priority.
import * as t from './datatypes.ts';
import { ConfigValueError } from './errors.ts';
import { isEventTypeName } from '../events/types.ts';
import { normpath } from './pypath.ts';
import { pyRepr } from './pyrepr.ts';
import type { DaemonExtensions } from './extensions.ts';
import { byPriority, processesFromSection, type ParseWarnings } from './programs.ts';
import type { Reader } from './reader.ts';
import type { FcgiSocket, GroupConfig, Strategy, Supervision } from './types.ts';

const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';
const STRATEGIES: readonly Strategy[] = ['one_for_one', 'one_for_all', 'rest_for_one'];

export function groupsFromParser(r: Reader, daemon: DaemonExtensions, log: ParseWarnings): GroupConfig[] {
  const all = r.raw.sectionNames();
  const has = new Set(all);
  const get = <D extends string | null>(section: string, opt: string, fallback: D) => r.get(section, opt, fallback, { here: r.here });
  const groups: GroupConfig[] = [];
  const excluded = new Set<string>();
  const nameOf = (section: string) => section.slice(section.indexOf(':') + 1);

  for (const groupSection of all.filter((s) => s.startsWith('group:'))) {
    let section = groupSection;
    const name = t.processOrGroupName(nameOf(section));
    const programs = t.listOfStrings(get(section, 'programs', null));
    const priority = t.integer(get(section, 'priority', '999'));
    const supervision = supervisionOf(r, groupSection);
    const processes = [];
    for (const program of programs) {
      const programSection = `program:${program}`;
      const fcgiSection = `fcgi-program:${program}`;
      // supervisor reuses its loop variable here, so an error about the second program
      // names the first program's section: reproduced, since users see that message.
      if (!has.has(programSection) && !has.has(fcgiSection)) {
        throw new ConfigValueError(`[${section}] names unknown program or fcgi-program ${program}`);
      }
      if (has.has(programSection) && has.has(fcgiSection)) {
        throw new ConfigValueError(`[${section}] name ${program} is ambiguous (exists as program and fcgi-program)`);
      }
      section = has.has(programSection) ? programSection : fcgiSection;
      excluded.add(section);
      // numprocs has no upper bound: a spread of its processes as arguments could overflow the stack
      for (const p of processesFromSection(r, section, name, daemon, log)) processes.push(p);
    }
    groups.push({ name, kind: 'group', priority, processes, supervision });
  }

  for (const section of all.filter((s) => s.startsWith('program:') && !excluded.has(s))) {
    const name = t.processOrGroupName(nameOf(section));
    const priority = t.integer(get(section, 'priority', '999'));
    groups.push({ name, kind: 'program', priority, processes: processesFromSection(r, section, name, daemon, log), supervision: supervisionOf(r, section) });
  }

  for (const section of all.filter((s) => s.startsWith('eventlistener:'))) {
    const name = nameOf(section);
    const priority = t.integer(get(section, 'priority', '-1'));
    const bufferSize = t.integer(get(section, 'buffer_size', '10'));
    if (bufferSize < 1) throw new ConfigValueError(`[${section}] section sets invalid buffer_size (${bufferSize})`);
    const resultHandler = get(section, 'result_handler', DEFAULT_RESULT_HANDLER);
    t.importSpec(resultHandler, section, [DEFAULT_RESULT_HANDLER]);
    const events = [...new Set(t.listOfStrings(get(section, 'events', '')).map((e) => e.toUpperCase()))];
    if (!events.length) throw new ConfigValueError(`[${section}] section requires an "events" line`);
    const unknown = events.find((e) => !isEventTypeName(e));
    if (unknown !== undefined) throw new ConfigValueError(`Unknown event type ${unknown} in [${section}] events`);
    if (t.boolean(get(section, 'redirect_stderr', 'false'))) {
      throw new ConfigValueError(`[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`);
    }
    const processes = processesFromSection(r, section, name, daemon, log);
    groups.push({ name, kind: 'eventlistener', priority, processes, supervision: supervisionOf(r, section), events: events.sort(), buffer_size: bufferSize, result_handler: resultHandler });
  }

  for (const section of all.filter((s) => s.startsWith('fcgi-program:') && !excluded.has(s))) {
    const name = t.processOrGroupName(nameOf(section));
    const priority = t.integer(get(section, 'priority', '999'));
    const socket = fcgiSocket(r, section, name);
    const processes = processesFromSection(r, section, name, daemon, log);
    groups.push({ name, kind: 'fcgi-program', priority, processes, supervision: supervisionOf(r, section), socket });
  }
  return groups.sort(byPriority);
}

function fcgiSocket(r: Reader, section: string, programName: string): FcgiSocket {
  const get = <D extends string | null>(opt: string, fallback: D, extra = {}) => r.get(section, opt, fallback, { ...extra, here: r.here });
  const user = get('user', null);
  const procUid = user === null ? null : t.nameToUid(user, r.host);
  const backlogStr = get('socket_backlog', null);
  const backlog = backlogStr === null ? null : t.integer(backlogStr);
  if (backlog !== null && (backlog < 1 || backlog > 65535)) throw new ConfigValueError(`Invalid socket_backlog value ${backlog}`);
  const ownerStr = get('socket_owner', null);
  let owner: [number, number] | null = null;
  if (ownerStr !== null) {
    try { owner = t.colonSeparatedUserGroup(ownerStr, r.host); } catch { throw new ConfigValueError(`Invalid socket_owner value ${ownerStr}`); }
  }
  const modeStr = get('socket_mode', null);
  let mode: number | null = null;
  if (modeStr !== null) {
    try { mode = t.octalType(modeStr); } catch { throw new ConfigValueError(`Invalid socket_mode value ${modeStr}`); }
  }
  const sock = get('socket', null, { program_name: programName });
  if (!sock) throw new ConfigValueError(`[${section}] section requires a "socket" line`);
  const bad = (msg: string): never => { throw new ConfigValueError(`${msg} in [${section}] socket`); };
  if (sock.startsWith('unix://')) {
    const path = sock.slice(7);
    // Python formats this message as a tuple, so users see the tuple.
    if (!path.startsWith('/')) bad(`(${pyRepr('Unix socket path %s is not an absolute path')}, ${pyRepr(path)})`);
    if (owner === null && procUid !== null && procUid !== r.host.uid) owner = [procUid, t.gidForUid(procUid, r.host)];
    const abs = normpath(path);
    return { kind: 'unix', url: `unix://${abs}`, path: abs, mode: mode ?? 0o700, owner, backlog };
  }
  if (owner !== null || mode !== null) bad('socket_owner and socket_mode params should only be used with a Unix domain socket');
  const m = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(sock);
  if (!m) return bad(`(${pyRepr('Bad socket format %s')}, ${pyRepr(sock)})`);
  const host = m[1].toLowerCase();
  const port = t.integer(m[2]);
  return { kind: 'tcp', url: `tcp://${host}:${port}`, host, port, backlog };
}

/** statevisor's extension keys; supervisor ignores them, so one file serves both. */
function supervisionOf(r: Reader, section: string): Supervision {
  const get = (opt: string) => r.get(section, opt, null, { here: r.here });
  const strategy = get('strategy') ?? 'one_for_one';
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    throw new ConfigValueError(`invalid 'strategy' value '${strategy}' in [${section}] (one of ${STRATEGIES.join(', ')})`);
  }
  const max = get('max_restarts');
  const window = get('restart_window');
  const supervision = { strategy: strategy as Strategy, max_restarts: max === null ? null : t.integer(max), restart_window: window === null ? 5 : t.integer(window) };
  if (supervision.max_restarts !== null && supervision.max_restarts < 0) throw new ConfigValueError(`max_restarts must be >= 0 in [${section}]`);
  if (supervision.restart_window <= 0) throw new ConfigValueError(`restart_window must be > 0 in [${section}]`);
  return supervision;
}
