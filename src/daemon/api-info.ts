// getProcessInfo and getAllProcessInfo (rpcinterface.py): a process's struct in supervisor's
// member order, and the whole list kept with its reply bytes while nothing in it changes.
import type { ProcessInfo } from '../client/wire.ts';
import { StructArrayMarshaller } from '../rpc/marshal.ts';
import { ProcessStates } from '../states.ts';
import { describe } from './api-lifecycle.ts';
import { factsOf, stateOf, type ActorTree, type Proc } from './api-tree.ts';
import { cappedSeconds, interpretProcessInfo } from './api-util.ts';
import type { ProcessLogs } from './process-logs.ts';

/** ProcessInfo's members in supervisor's order, cut where time changes them (`now`, a RUNNING description). */
const INFO_RUNS = [['name', 'group', 'start', 'stop'], ['now'], ['state', 'statename', 'spawnerr', 'exitstatus', 'logfile', 'stdout_logfile', 'stderr_logfile', 'pid'], ['description']] as const;

export class ProcessInfos {
  /** The last list and what it was made from: compared field by field, a poll allocates nothing. */
  private kept: { now: number; root: unknown; procs: readonly Proc[]; changes: number; infos: readonly ProcessInfo[] } | null = null;
  /** Its replies, from the last one's runs of members while they are the same: a second changes `now` and the uptimes only. */
  private readonly allXml = new StructArrayMarshaller(INFO_RUNS);

  constructor(private readonly tree: ActorTree, private readonly logs: ProcessLogs) {}

  /** `now`: the second getAllProcessInfo keys its reply on, so that one reply has one `now`. */
  one(p: Proc, now = cappedSeconds(Date.now())): ProcessInfo {
    const c = factsOf(p.actor);
    const statename = stateOf(p.actor);
    const stdout = this.logs.logfile(p.group.name, p.config.name, 'stdout') ?? '';
    // one object, its description filled in last: a second's rebuild of 1,000 makes no more
    const info: ProcessInfo = {
      name: p.config.name,
      group: p.group.name,
      start: cappedSeconds(c.laststart),
      stop: cappedSeconds(c.laststop),
      now,
      state: ProcessStates[statename],
      statename,
      spawnerr: c.spawnerr ?? '',
      exitstatus: c.exitstatus ?? 0,
      logfile: stdout,
      stdout_logfile: stdout,
      stderr_logfile: this.logs.logfile(p.group.name, p.config.name, 'stderr') ?? '',
      pid: c.pid,
      description: '',
    };
    info.description = describe(statename, interpretProcessInfo(info), p);
    return info;
  }

  /**
   * The same frozen array while the second, the groups (the root's snapshot, which also
   * names each process's log files) and every process's snapshot (the tree's `changes`)
   * are: a client polling it (supervisorctl status, web UI, monitoring) then gets bytes
   * marshalled once (marshal.ts keeps those of frozen values). Time enters a process's
   * info only by the second: rpcinterface.py's `now` is int(time.time()), and a RUNNING
   * description's uptime is now - start.
   */
  list(): readonly ProcessInfo[] {
    const procs = this.tree.all(true);
    const now = cappedSeconds(Date.now());
    const root = this.tree.rootSnapshot;
    const changes = this.tree.changes;
    const k = this.kept;
    if (k && k.now === now && k.root === root && k.procs === procs && k.changes === changes) return k.infos;
    const infos = Object.freeze(procs.map((p) => Object.freeze(this.one(p, now))));
    this.allXml.adopt(infos);
    this.kept = { now, root, procs, changes, infos };
    return infos;
  }
}
