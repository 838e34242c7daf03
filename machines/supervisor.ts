// The root: supervisord's Supervisor (supervisord.py). It owns one group actor per
// process group, creates them in ascending priority (name breaking ties, as
// options.Config.__lt__), and at shutdown or reload stops them one group at a time in
// descending priority, the next only once the previous is fully stopped, as
// runforever()'s ordered_stop_groups phases do. Its states are supervisord's moods.
//
// It ends in the final state `done` with output `{ restart }`: the daemon then exits, or
// re-reads the config and creates a new root (supervisord's reload restarts everything).
import { assign, cancel, emit, enqueueActions, raise, sendTo, setup, stopChild } from 'xstate';
import type { GroupConfig } from '../src/config/types.ts';
import { isStopped, SupervisorStates, type ProcessStateName, type SupervisorStateName } from '../src/states.ts';
import { log, type GroupEmitted, type Relay, type SupervisorEmitted } from './emitted.ts';
import { groupMachine, groupSystemId, type GroupCommand, type GroupStopped } from './group.ts';
import { priorityOrder } from './strategy.ts';

export interface SupervisorInput {
  groups: GroupConfig[];
}

export type SupervisorCommand =
  /** SIGTERM/SIGINT/SIGQUIT or supervisor.shutdown(). */
  | { type: 'SHUTDOWN' }
  /** SIGHUP or supervisor.restart(); ignored once shutting down (the daemon logs why). */
  | { type: 'RESTART' }
  /** addProcessGroup / update: ignored if the name exists or the supervisor is stopping. */
  | { type: 'ADD_GROUP'; config: GroupConfig }
  /** removeProcessGroup: ignored unless every process of the group is in a stopped state. */
  | { type: 'REMOVE_GROUP'; name: string };

export type SupervisorEvent = SupervisorCommand | Relay<GroupEmitted> | GroupStopped | { type: 'SHUTDOWN_REPORT' };

export interface SupervisorContext {
  mood: SupervisorStateName;
  /** The input's groups until the start has created them. */
  boot: GroupConfig[];
  configs: Record<string, GroupConfig>;
  /** Group names in supervisord's dict order: sorted at start, added groups appended. */
  order: string[];
  /** Every process's state, by group then name, from the relayed state events. */
  states: Record<string, Record<string, ProcessStateName>>;
  /** Groups still to stop, ascending priority; the last one is being stopped. */
  stopQueue: string[];
}

export interface SupervisorOutput {
  /** true after RESTARTING (reload), false after SHUTDOWN. */
  restart: boolean;
}

/** shutdown_report's throttle: `waiting for … to die` every 3 s. */
export const SHUTDOWN_REPORT_MS = 3000;

const byPriorityThenName = (groups: readonly GroupConfig[]) =>
  [...groups].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Processes not in a stopped state, group by group, as shutdown_report() lists them. */
export function unstopped(c: SupervisorContext): { name: string; state: ProcessStateName }[] {
  return c.order.flatMap((g) => {
    const procs = c.configs[g].processes.map((p) => ({ name: p.name, state: c.states[g]?.[p.name] ?? 'STOPPED' })).filter((p) => !isStopped(p.state));
    return procs;
  });
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
    removable: ({ context, event }) =>
      event.type === 'REMOVE_GROUP' && event.name in context.configs && Object.values(context.states[event.name] ?? {}).every(isStopped),
    stoppingThisOne: ({ context, event }) => event.type === 'GROUP_STOPPED' && context.stopQueue.at(-1) === event.group,
    allGroupsStopped: ({ context }) => context.stopQueue.length === 0,
  },
  actions: {
    /** Change the mood, tell it, and pass it to every group (below RUNNING: no automatic spawns). */
    setMood: enqueueActions(({ context, enqueue }, to: SupervisorStateName) => {
      const change: SupervisorEmitted = { type: 'mood', from: context.mood, to };
      enqueue.emit(change);
      enqueue.assign({ mood: to });
      for (const g of context.order) enqueue.sendTo(g, { type: 'MOOD', mood: SupervisorStates[to] } satisfies GroupCommand);
    }),
    announceRunning: emit({ type: 'mood', from: null, to: 'RUNNING' }),
    addGroups: enqueueActions(({ context, enqueue }, groups: GroupConfig[]) => {
      const configs = { ...context.configs };
      const states = { ...context.states };
      const order = [...context.order];
      for (const config of groups) {
        enqueue.spawnChild('group', { id: config.name, systemId: groupSystemId(config.name), input: { config, mood: SupervisorStates[context.mood] } });
        enqueue.emit({ type: 'groupAdded', group: config.name });
        configs[config.name] = config;
        states[config.name] = Object.fromEntries(config.processes.map((p) => [p.name, 'STOPPED' as ProcessStateName]));
        order.push(config.name);
      }
      enqueue.assign({ configs, states, order, boot: [] });
    }),
    removeGroup: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'REMOVE_GROUP') return;
      const name = event.name;
      enqueue(stopChild(name));
      enqueue.emit({ type: 'groupRemoved', group: name });
      const configs = { ...context.configs };
      const states = { ...context.states };
      delete configs[name];
      delete states[name];
      enqueue.assign({ configs, states, order: context.order.filter((g) => g !== name) });
    }),
    relay: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'relay') return;
      const states = { ...context.states };
      for (const e of event.events) {
        if (e.type === 'state' && states[e.group]) states[e.group] = { ...states[e.group], [e.name]: e.to };
        enqueue.emit(e);
      }
      enqueue.assign({ states });
    }),
    /** stop_groups = the groups sorted ascending (stable, by priority only, as ProcessGroup.__lt__). */
    queueGroups: assign(({ context }) => ({
      stopQueue: priorityOrder(context.order.map((name) => ({ name, priority: context.configs[name].priority }))).map((g) => g.name),
    })),
    popGroup: assign(({ context }) => ({ stopQueue: context.stopQueue.slice(0, -1) })),
    stopLastGroup: enqueueActions(({ context, enqueue }) => {
      const last = context.stopQueue.at(-1);
      if (last !== undefined) enqueue.sendTo(last, { type: 'STOP_ALL' } satisfies GroupCommand);
    }),
    /** Ask for the first report after the groups' stop events, as supervisord logs it after phase 1. */
    firstReport: sendTo(({ self }) => self, { type: 'SHUTDOWN_REPORT' }),
    report: enqueueActions(({ context, enqueue }) => {
      const procs = unstopped(context);
      if (!procs.length) return;
      enqueue.emit(log('INFO', `waiting for ${procs.map((p) => p.name).join(', ')} to die`));
      for (const p of procs) enqueue.emit(log('BLAT', `${p.name} state: ${p.state}`));
      enqueue(raise({ type: 'SHUTDOWN_REPORT' }, { delay: 'shutdownreport', id: 'shutdownreport' }));
    }),
    cancelReport: cancel('shutdownreport'),
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({ mood: 'RUNNING', boot: byPriorityThenName(input.groups), configs: {}, order: [], states: {}, stopQueue: [] }),
  // Every group is added before RUNNING is announced, as run() adds them all before
  // runforever() notifies SupervisorRunningEvent; the processes' STARTING events follow.
  entry: [{ type: 'addGroups', params: ({ context }) => context.boot }, 'announceRunning'],
  initial: 'RUNNING',
  states: {
    RUNNING: {
      on: {
        SHUTDOWN: { target: 'SHUTDOWN', actions: [{ type: 'setMood', params: 'SHUTDOWN' }, 'queueGroups', 'stopLastGroup', 'firstReport'] },
        RESTART: { target: 'RESTARTING', actions: [{ type: 'setMood', params: 'RESTARTING' }, 'queueGroups', 'stopLastGroup', 'firstReport'] },
        ADD_GROUP: { guard: 'isNew', actions: { type: 'addGroups', params: ({ event }) => [event.config] } },
        REMOVE_GROUP: { guard: 'removable', actions: 'removeGroup' },
        relay: { actions: 'relay' },
      },
    },
    RESTARTING: {
      always: { guard: 'allGroupsStopped', target: 'done' },
      on: {
        // The stop already under way carries on; only the outcome changes.
        SHUTDOWN: { target: 'SHUTDOWN', actions: { type: 'setMood', params: 'SHUTDOWN' } },
        GROUP_STOPPED: { guard: 'stoppingThisOne', actions: ['popGroup', 'stopLastGroup'] },
        SHUTDOWN_REPORT: { actions: 'report' },
        relay: { actions: 'relay' },
      },
    },
    SHUTDOWN: {
      always: { guard: 'allGroupsStopped', target: 'done' },
      on: {
        GROUP_STOPPED: { guard: 'stoppingThisOne', actions: ['popGroup', 'stopLastGroup'] },
        SHUTDOWN_REPORT: { actions: 'report' },
        relay: { actions: 'relay' },
      },
    },
    done: { type: 'final', entry: 'cancelReport' },
  },
  output: ({ context }) => ({ restart: context.mood === 'RESTARTING' }),
});
