// The root: supervisord's Supervisor (supervisord.py). It owns one group actor per
// process group, creates them in ascending priority (name breaking ties, as
// options.Config.__lt__), and at shutdown or reload stops them one group at a time in
// descending priority, the next only once the previous is fully stopped, as
// runforever()'s ordered_stop_groups phases do. Its states are supervisord's moods.
//
// Once every group is down it waits in `stopped`, where the daemon takes the outcome (the
// mood says restart or not): it then exits, or re-reads the config and creates a new root
// (supervisord's reload restarts everything). FINISH ends it in the final state `done`
// with output `{ restart }`.
import { assign, cancel, emit, enqueueActions, raise, sendTo, setup, stopChild, type AnyActorRef, type ErrorActorEvent } from 'xstate';
import type { GroupConfig } from '../src/config/types.ts';
import { isStopped, SupervisorStates, type ProcessStateName, type SupervisorStateName } from '../src/states.ts';
import { ACTOR_ERROR, crashed, log, publishFrom, type GroupEmitted, type Publish, type Relay, type SupervisorEmitted } from './emitted.ts';
import { dependencyIndex, dependencyStatus, groupStopSequence, touchedPrograms, type DependencyIndex, type MemberFacts } from './dependencies.ts';
import { groupMachine, groupSystemId, type GroupCommand, type GroupStopped } from './group.ts';
import { processSystemId, type GroupContext } from './group-types.ts';
import type { ProcessCommand, ProcessContext } from './process-types.ts';
import { priorityOrder } from './strategy.ts';

export interface SupervisorInput {
  groups: GroupConfig[];
  /** The tree's stream (emitted.ts): every event of the root, its groups and their processes. */
  publish?: Publish;
}

export type SupervisorCommand =
  /** SIGTERM/SIGINT/SIGQUIT or supervisor.shutdown(). */
  | { type: 'SHUTDOWN' }
  /** SIGHUP or supervisor.restart(); ignored once shutting down (the daemon logs why). */
  | { type: 'RESTART' }
  /** addProcessGroup / update: ignored if the name exists or the supervisor is stopping. */
  | { type: 'ADD_GROUP'; config: GroupConfig }
  /** removeProcessGroup: ignored unless every process of the group is in a stopped state. */
  | { type: 'REMOVE_GROUP'; name: string }
  /** After `stopped`: end the machine, stopping the (stopped) group actors. */
  | { type: 'FINISH' };

/** Sent to itself by the start: the groups' actors come once RUNNING is out (see `entry`). */
type StartGroups = { type: 'START_GROUPS' };

export type SupervisorEvent = SupervisorCommand | Relay<GroupEmitted> | GroupStopped | StartGroups | { type: 'SHUTDOWN_REPORT' } | ErrorActorEvent;

export interface SupervisorContext {
  mood: SupervisorStateName;
  /** The input's groups until the start has spawned their actors. */
  boot: GroupConfig[];
  configs: Record<string, GroupConfig>;
  /** Group names in supervisord's dict order: sorted at start, added groups appended. */
  order: string[];
  /** Groups still to stop, ascending priority; the last one is being stopped. */
  stopQueue: string[];
  /** The last DEPS each dependent process was sent (by system id), so only changes are sent. */
  depsSent: Record<string, string>;
  /** Handed to each group it spawns. */
  publish: Publish | undefined;
  /** RUNNING with depends_on: every process's steps are relayed here (emitted.ts `listens`). */
  listens: boolean;
}

export interface SupervisorOutput {
  /** true after RESTARTING (reload), false after SHUTDOWN. */
  restart: boolean;
}

/** shutdown_report's throttle: `waiting for … to die` every 3 s. */
export const SHUTDOWN_REPORT_MS = 3000;

const byPriorityThenName = (groups: readonly GroupConfig[]) =>
  [...groups].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** A group's member states, as its actor tracks them (the root keeps no copy: that cost O(groups) per event). */
type GroupStates = (group: string) => Readonly<Record<string, ProcessStateName>>;

/** The group actors' states, read from the root's own snapshot. */
const groupStates = (self: AnyActorRef): GroupStates => (group) =>
  (self.getSnapshot().children[group]?.getSnapshot().context as GroupContext | undefined)?.states ?? {};

/** What the root reads of a process for its dependents: its state and its bookkeeping. */
function memberFacts(self: AnyActorRef, group: string, name: string): MemberFacts {
  const state = groupStates(self)(group)[name] ?? 'STOPPED';
  const c = self.system.get(processSystemId(group, name))?.getSnapshot().context as ProcessContext | undefined;
  return { state, pid: c?.pid ?? 0, exitOk: c !== undefined && c.exitstatus !== null && c.config.exitcodes.includes(c.exitstatus) };
}

/** The dependency index per set of groups (the root replaces `configs` whenever groups change). */
const indexes = new WeakMap<Record<string, GroupConfig>, DependencyIndex>();
function indexOf(configs: Record<string, GroupConfig>): DependencyIndex {
  let index = indexes.get(configs);
  if (!index) indexes.set(configs, (index = dependencyIndex(Object.values(configs))));
  return index;
}

/** Processes not in a stopped state, group by group, as shutdown_report() lists them. */
export function unstopped(c: SupervisorContext, states: GroupStates): { name: string; state: ProcessStateName }[] {
  return c.order.flatMap((g) => c.configs[g].processes.map((p) => ({ name: p.name, state: states(g)[p.name] ?? 'STOPPED' })).filter((p) => !isStopped(p.state)));
}


export const supervisorMachine = setup({
  types: {
    input: {} as SupervisorInput,
    context: {} as SupervisorContext,
    events: {} as SupervisorEvent,
    emitted: {} as SupervisorEmitted,
    output: {} as SupervisorOutput,
  },
  actors: { group: groupMachine },
  delays: { shutdownreport: SHUTDOWN_REPORT_MS },
  guards: {
    isNew: ({ context, event }) => event.type === 'ADD_GROUP' && !(event.config.name in context.configs),
    stoppingThisOne: ({ context, event }) => event.type === 'GROUP_STOPPED' && context.stopQueue.at(-1) === event.group,
    allGroupsStopped: ({ context }) => context.stopQueue.length === 0,
    hasDependents: ({ context }) => indexOf(context.configs).dependents.length > 0,
  },
  actions: {
    /** Change the mood, tell it, and pass it to every group (below RUNNING: no automatic spawns, no dependencies to follow). */
    setMood: enqueueActions(({ context, enqueue }, to: SupervisorStateName) => {
      const change: SupervisorEmitted = { type: 'mood', from: context.mood, to };
      enqueue.emit(change);
      enqueue.assign({ mood: to, listens: false });
      for (const g of context.order) enqueue.sendTo(g, { type: 'MOOD', mood: SupervisorStates[to] } satisfies GroupCommand);
    }),
    announceRunning: emit({ type: 'mood', from: null, to: 'RUNNING' }),
    /** PROCESS_GROUP_ADDED for each; their actors come with spawnGroups, so their processes' events follow. */
    addGroups: enqueueActions(({ context, enqueue }, groups: GroupConfig[]) => {
      const configs = { ...context.configs };
      const order = [...context.order];
      for (const config of groups) {
        enqueue.emit({ type: 'groupAdded', group: config.name });
        configs[config.name] = config;
        order.push(config.name);
      }
      enqueue.assign({ configs, order, listens: context.mood === 'RUNNING' && indexOf(configs).dependents.length > 0 });
    }),
    /**
     * The groups' actors, started when the step is done. One assign spawns them all: each
     * spawnChild copies the root's children (xstate 5.33 resolveSpawn), O(groups²).
     */
    spawnGroups: assign(({ context, spawn }, groups: GroupConfig[]) => {
      for (const config of groups) {
        spawn('group', { id: config.name, systemId: groupSystemId(config.name), input: { config, mood: SupervisorStates[context.mood], publish: context.publish } });
      }
      return {};
    }),
    /** Only a group whose every process is in a stopped state goes. */
    removeGroup: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'REMOVE_GROUP' || !Object.hasOwn(context.configs, event.name)) return;
      const name = event.name;
      if (!Object.values(groupStates(self)(name)).every(isStopped)) return;
      enqueue(stopChild(name));
      enqueue.emit({ type: 'groupRemoved', group: name });
      const configs = { ...context.configs };
      delete configs[name];
      // A group added again under this name starts from scratch: its dependents are told anew.
      const depsSent = Object.fromEntries(Object.entries(context.depsSent).filter(([id]) => !id.startsWith(processSystemId(name, ''))));
      enqueue.assign({ configs, order: context.order.filter((g) => g !== name), depsSent, listens: indexOf(configs).dependents.length > 0 });
    }),
    reportCrash: emit(({ event }) => crashed(event)),
    /** depends_on: tell each dependent process what it still waits for, when that changed. */
    updateDependencies: enqueueActions(({ context, event, enqueue, self }) => {
      const index = indexOf(context.configs);
      // After a relay only the dependents of what it concerns can have changed.
      const touched = event.type === 'relay' ? touchedPrograms(index, event.events) : null;
      const members = (program: string) => (index.members.get(program) ?? []).map((m) => memberFacts(self, m.group, m.name));
      let sent: Record<string, string> | null = null;
      for (const { group, name, deps } of index.dependents) {
        if (touched && !deps.some((d) => touched.has(d.program))) continue;
        const status = dependencyStatus(deps, members);
        const id = processSystemId(group, name);
        const text = JSON.stringify(status);
        const target = self.system.get(id);
        if ((sent ?? context.depsSent)[id] === text || !target) continue;
        sent = { ...(sent ?? context.depsSent), [id]: text };
        enqueue.sendTo(target, { type: 'DEPS', ...status } satisfies ProcessCommand);
      }
      if (sent) enqueue.assign({ depsSent: sent });
    }),
    /** stop_groups = the groups sorted ascending (stable, by priority only, as ProcessGroup.__lt__). */
    queueGroups: assign(({ context }) => {
      const ascending = priorityOrder(context.order.map((name) => ({ name, priority: context.configs[name].priority }))).map((g) => g.name);
      // depends_on: a group stops only once the groups depending on it have.
      return { stopQueue: groupStopSequence(ascending.reverse(), context.configs).reverse() };
    }),
    popGroup: assign(({ context }) => ({ stopQueue: context.stopQueue.slice(0, -1) })),
    stopLastGroup: enqueueActions(({ context, enqueue }) => {
      const last = context.stopQueue.at(-1);
      if (last !== undefined) enqueue.sendTo(last, { type: 'STOP_ALL' } satisfies GroupCommand);
    }),
    /** Ask for the first report after the groups' stop events, as supervisord logs it after phase 1. */
    firstReport: sendTo(({ self }) => self, { type: 'SHUTDOWN_REPORT' }),
    report: enqueueActions(({ context, enqueue, self }) => {
      const procs = unstopped(context, groupStates(self));
      if (!procs.length) return;
      enqueue.emit(log('INFO', `waiting for ${procs.map((p) => p.name).join(', ')} to die`));
      for (const p of procs) enqueue.emit(log('BLAT', `${p.name} state: ${p.state}`));
      enqueue(raise({ type: 'SHUTDOWN_REPORT' }, { delay: 'shutdownreport', id: 'shutdownreport' }));
    }),
    cancelReport: cancel('shutdownreport'),
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input, self }) => {
    if (input.publish) publishFrom(self, input.publish);
    return { mood: 'RUNNING', boot: byPriorityThenName(input.groups), configs: {}, order: [], stopQueue: [], depsSent: {}, publish: input.publish, listens: false };
  },
  // Every group is added before RUNNING is announced, as run() adds them all before
  // runforever() notifies SupervisorRunningEvent; the processes' STARTING events follow.
  // Their actors are spawned by a later step (START_GROUPS): XState starts the children of
  // a first snapshot before that snapshot's own actions, so their events would come first.
  // A dependent starts out waiting for all its dependencies (process-types.ts); that step tells it more.
  entry: [{ type: 'addGroups', params: ({ context }) => context.boot }, 'announceRunning', sendTo(({ self }) => self, { type: 'START_GROUPS' } satisfies StartGroups)],
  initial: 'RUNNING',
  on: { [ACTOR_ERROR]: { actions: 'reportCrash' } },
  states: {
    RUNNING: {
      on: {
        SHUTDOWN: { target: 'SHUTDOWN', actions: [{ type: 'setMood', params: 'SHUTDOWN' }, 'queueGroups', 'stopLastGroup', 'firstReport'] },
        RESTART: { target: 'RESTARTING', actions: [{ type: 'setMood', params: 'RESTARTING' }, 'queueGroups', 'stopLastGroup', 'firstReport'] },
        START_GROUPS: { actions: [{ type: 'spawnGroups', params: ({ context }) => context.boot }, assign({ boot: [] }), 'updateDependencies'] },
        ADD_GROUP: { guard: 'isNew', actions: [{ type: 'addGroups', params: ({ event }) => [event.config] }, { type: 'spawnGroups', params: ({ event }) => [event.config] }, 'updateDependencies'] },
        REMOVE_GROUP: { actions: ['removeGroup', 'updateDependencies'] },
        // Relays come only with depends_on (listens); one left over from before a group's removal changes nothing.
        relay: { guard: 'hasDependents', actions: 'updateDependencies' },
      },
    },
    RESTARTING: {
      always: { guard: 'allGroupsStopped', target: 'stopped' },
      on: {
        // The stop already under way carries on; only the outcome changes.
        SHUTDOWN: { target: 'SHUTDOWN', actions: { type: 'setMood', params: 'SHUTDOWN' } },
        GROUP_STOPPED: { guard: 'stoppingThisOne', actions: ['popGroup', 'stopLastGroup'] },
        SHUTDOWN_REPORT: { actions: 'report' },
      },
    },
    SHUTDOWN: {
      always: { guard: 'allGroupsStopped', target: 'stopped' },
      on: {
        GROUP_STOPPED: { guard: 'stoppingThisOne', actions: ['popGroup', 'stopLastGroup'] },
        SHUTDOWN_REPORT: { actions: 'report' },
      },
    },
    // The run is over. The daemon drops the tree here, as supervisord drops its objects:
    // a final state stops every child one by one, and XState copies the root's children
    // for each stop (xstate 5.33 resolveStop), O(groups²): 1.5 s of CPU for 1,000 groups.
    stopped: {
      entry: 'cancelReport',
      on: { FINISH: 'done' },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => ({ restart: context.mood === 'RESTARTING' }),
});
