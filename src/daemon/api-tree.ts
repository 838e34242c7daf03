// The running actor tree as supervisor's rpcinterface sees its process groups: name
// resolution (_getGroupAndProcess), the orders of _getAllProcesses, and each process's
// snapshot. Process actors are found by system id, groups from the root's context.
import type { AnyActorRef } from 'xstate';
import { dependencyGraph } from '../../machines/dependencies.ts';
import { groupSystemId, handsOn, processSystemId, type GroupCommand, type GroupContext } from '../../machines/group-types.ts';
import type { ProcessCommand } from '../../machines/process-types.ts';
import type { GroupConfig, ProcessConfig } from '../config/types.ts';
import { Faults, RpcFault } from '../faults.ts';
import type { ProcessStateName, SupervisorStateName } from '../states.ts';
import { makeNamespec, splitNamespec } from '../client/namespec.ts';
import { Memo } from './api-util.ts';

export type Proc = { group: GroupConfig; config: ProcessConfig; actor: AnyActorRef };
/** A user's command for one process: START, STOP or SIGNAL, without the member's name. */
export type ProcCommand = DistributiveOmit<Extract<GroupCommand, { name?: string }>, 'name'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type RootContext = { mood: SupervisorStateName; configs: Record<string, GroupConfig>; order: string[] };

/** The part of ProcessContext that supervisor.* reports. */
export type ProcFacts = { pid: number; spawnerr: string | null; laststart: number; laststop: number; exitstatus: number | null };

export const stateOf = (a: AnyActorRef): ProcessStateName => a.getSnapshot().value as ProcessStateName;
export const factsOf = (a: AnyActorRef): ProcFacts => a.getSnapshot().context as ProcFacts;
/** make_namespec. */
export const namespecOf = (p: Proc): string => makeNamespec(p.group.name, p.config.name);

/** Python's sort of Subprocess / ProcessGroup objects: by priority only, stable over the dict's order. */
const byPriority = <T extends { priority: number }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a.priority - b.priority);
const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class ActorTree {
  /**
   * getAllProcessInfo's processes, sorted and looked up again only when the root's context
   * (the groups) changes: a group's process actors live as long as the group does.
   */
  private readonly lexical = new Memo<readonly Proc[]>();
  /** The same for _getAllProcesses' order, the groups, and depends_on's graph. */
  private readonly ordered = new Memo<readonly Proc[]>();
  private readonly groupList = new Memo<readonly GroupConfig[]>();
  private readonly graph = new Memo<ReadonlyMap<string, readonly string[]> | null>();
  /** The process actors `changes` counts the snapshots of. */
  private readonly watched = new WeakSet<AnyActorRef>();
  private changed = 0;

  constructor(private readonly root: AnyActorRef) {}

  /**
   * A number that moves whenever a snapshot of a process of getAllProcessInfo changes: an
   * XState actor takes a new snapshot only in update(), which tells every observer (next),
   * or on failing, which tells them too (error); a stop leaves value and context as they
   * were. A poll then compares one number instead of every process's snapshot.
   */
  get changes(): number {
    return this.changed;
  }

  /** The root's snapshot: a new one whenever the groups or the mood change. */
  get rootSnapshot(): unknown {
    return this.root.getSnapshot();
  }

  private watch(p: Proc): Proc {
    if (!this.watched.has(p.actor)) {
      this.watched.add(p.actor);
      const bump = (): void => void this.changed++;
      // an error observer of our own changes nothing: XState reports an error to its parent either way
      p.actor.subscribe({ next: bump, error: bump, complete: bump });
    }
    return p;
  }

  get ctx(): RootContext {
    return this.root.getSnapshot().context as RootContext;
  }

  /** supervisord.process_groups.get(name). */
  group(name: string): GroupConfig | undefined {
    const c = this.ctx.configs;
    return Object.hasOwn(c, name) ? c[name] : undefined;
  }

  /** process_groups[name], or BAD_NAME. */
  requireGroup(name: string): GroupConfig {
    const group = this.group(name);
    if (!group) throw new RpcFault(Faults.BAD_NAME, name);
    return group;
  }

  private proc(group: GroupConfig, config: ProcessConfig): Proc {
    const actor = this.root.system.get(processSystemId(group.name, config.name)) as AnyActorRef | undefined;
    if (!actor) throw new RpcFault(Faults.BAD_NAME, `${group.name}:${config.name}`);
    return { group, config, actor };
  }

  /** _getGroupAndProcess: BAD_NAME for an unknown group or process; `g:` / `g:*` give no process. */
  resolve(name: string): { group: GroupConfig; process: Proc | null } {
    const [groupName, processName] = splitNamespec(name);
    const group = this.group(groupName);
    if (!group) throw new RpcFault(Faults.BAD_NAME, name);
    if (processName === null) return { group, process: null };
    const config = group.processes.find((p) => p.name === processName);
    if (!config) throw new RpcFault(Faults.BAD_NAME, name);
    return { group, process: this.proc(group, config) };
  }

  /** resolve() where a process is required (getProcessInfo, the log methods). */
  process(name: string): Proc {
    const { process: p } = this.resolve(name);
    if (!p) throw new RpcFault(Faults.BAD_NAME, name);
    return p;
  }

  /**
   * Sends a user's command to a process through its group, as the group's own commands go:
   * a restart the strategy has under way then leaves that process alone (group.ts `forward`).
   * A group with nothing under way would only hand it on: the process gets it directly, a
   * step less. Either way it is handled within this call, so the process's snapshot shows the outcome.
   */
  command(p: Proc, command: ProcCommand): void {
    const group = this.root.system.get(groupSystemId(p.group.name)) as AnyActorRef | undefined;
    if (!group) throw new RpcFault(Faults.BAD_NAME, p.group.name);
    if (handsOn(group.getSnapshot().context as GroupContext)) p.actor.send(command satisfies ProcessCommand);
    else group.send({ ...command, name: p.config.name } satisfies GroupCommand);
  }

  /** A group's processes, sorted as its start/stop/signal calls sort them. */
  members(group: GroupConfig): Proc[] {
    return byPriority(group.processes).map((p) => this.proc(group, p));
  }

  /** The groups in the order they were added (the root's). */
  groups(): readonly GroupConfig[] {
    const { configs, order } = this.ctx;
    return this.groupList.get([configs, order], () => order.map((g) => configs[g]));
  }

  /** program → the programs it depends on; null when no program has depends_on (supervisor's configs). */
  dependencies(): ReadonlyMap<string, readonly string[]> | null {
    const { configs, order } = this.ctx;
    return this.graph.get([configs, order], () => {
      const groups = this.groups();
      return groups.some((g) => g.processes.some((p) => p.statevisor.depends_on.length)) ? dependencyGraph(groups) : null;
    });
  }

  private readonly lexicalOrder = (configs: RootContext['configs'], order: readonly string[]): Proc[] =>
    [...order].sort().flatMap((g) => [...configs[g].processes].sort(byName).map((p) => this.watch(this.proc(configs[g], p))));

  /** _getAllProcesses: groups by priority (dict order among equals); lexical for getAllProcessInfo, whose processes `changes` watches. */
  all(lexical = false): readonly Proc[] {
    const { configs, order } = this.ctx;
    if (lexical) return this.lexical.get2(configs, order, this.lexicalOrder);
    return this.ordered.get([configs, order], () => byPriority(this.groups()).flatMap((g) => this.members(g)));
  }
}
