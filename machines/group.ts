// A process group ([program:x] with its numprocs, or [group:x] programs=): owns one
// process actor per member, forwards commands, and applies the group's supervision
// strategy and restart intensity (strategy.ts) when a member exits in a way that calls
// for a restart. The members' events go straight to the tree's stream (emitted.ts).
//
// With supervisor's default (one_for_one, no max_restarts) the group stays out of the
// way: members restart themselves exactly as supervisord's do, and their changes cost
// the group no step. Otherwise members are `supervised` and wait in EXITED for the
// group to decide; the group then listens to every member's steps.
//
// A relay arrives while the relaying member is still finishing its step, so a command
// sent to it then is handled after commands sent to its idle siblings. Where order
// matters (starting in priority order, marking FATAL) the group therefore sends one
// command at a time from `queue` and sends the next when the previous member has moved.
import { and, assign, emit, enqueueActions, setup, type AnyActorRef } from 'xstate';
import type { GroupConfig } from '../src/config/types.ts';
import { isRunning, isStopped, SupervisorStates, type ProcessStateName } from '../src/states.ts';
import { ACTOR_ERROR, crashed, listens, log, publishFrom, type GroupEmitted, type Relay } from './emitted.ts';
import { commandFor, exitIn, exitTime, handsOn, processSystemId, type GroupContext, type GroupEvent, type GroupInput, type GroupStopped } from './group-types.ts';
import { processMachine, type ProcessCommand } from './process.ts';
import { addRestart, allStopped, GIVABLE, intensityReason, mergePlans, needsGroupRestart, planRestart, priorityOrder, STARTABLE } from './strategy.ts';
import { heldByDependents } from './dependencies.ts';

export * from './group-types.ts';

/**
 * Whether the queue's head gets the command now. A head in BACKOFF is not told to START:
 * it retries after its own backoff delay (and startretries still bounds it), and its
 * spawn moves the queue on as a START's would.
 */
const commandsHead = (c: GroupContext, queue: readonly string[], kind: 'START' | 'GIVE_UP'): boolean =>
  queue.length > 0 && !(kind === 'START' && c.states[queue[0]] === 'BACKOFF');

/** The members' states as their actors have them now (GroupContext.states). */
function liveStates(members: readonly (readonly [string, AnyActorRef])[]): GroupContext['states'] {
  const view: Record<string, ProcessStateName> = {};
  for (const [name, ref] of members) {
    Object.defineProperty(view, name, { enumerable: true, get: () => ref.getSnapshot().value as ProcessStateName });
  }
  return view;
}

/** Whether a member depends on another member: then a member's stop may release a held one. */
const innerDependencies = new WeakMap<GroupConfig, boolean>();
function hasInnerDependencies(config: GroupConfig): boolean {
  let has = innerDependencies.get(config);
  if (has === undefined) {
    const programs = new Set(config.processes.map((p) => p.statevisor.program));
    has = config.processes.some((p) => p.statevisor.depends_on.some((d) => programs.has(d.program)));
    innerDependencies.set(config, has);
  }
  return has;
}

/** stop_all()'s command for `names` (highest priority first): RUNNING and STARTING stop, BACKOFF gives up. */
function stopAllCommands(c: GroupContext, names: readonly string[]): [string, ProcessCommand][] {
  const held = hasInnerDependencies(c.config) ? heldByDependents(c.config.processes, c.states) : null;
  const out: [string, ProcessCommand][] = [];
  for (const n of names) {
    const s = held?.has(n) ? null : c.states[n];
    if (s === 'RUNNING' || s === 'STARTING') out.push([n, { type: 'STOP' }]);
    else if (s === 'BACKOFF') out.push([n, { type: 'GIVE_UP' }]);
  }
  return out;
}

/** How far `order[from …]` is stopped: the index of the first member that is not. */
function stoppedUpTo(c: GroupContext, from: number): number {
  let i = from;
  while (i < c.order.length && isStopped(c.states[c.order[i]] ?? 'STOPPED')) i++;
  return i;
}

export const groupMachine = setup({
  types: { input: {} as GroupInput, context: {} as GroupContext, events: {} as GroupEvent, emitted: {} as GroupEmitted },
  actors: { process: processMachine },
  guards: {
    // A BACKOFF retries only while supervisord is RUNNING (an EXITED's `restart` says so already).
    restartDue: ({ context, event }) =>
      exitIn(event) !== null && needsGroupRestart(context.config.supervision) && context.mood > SupervisorStates.RESTARTING,
    intensityExceeded: ({ context, event }) => {
      const s = context.config.supervision;
      return addRestart(s.restart_window, exitTime(event), context.restarts, s.max_restarts).exceeded;
    },
    // The victims are down; the dead members are EXITED, or in BACKOFF (or already back) on their own retry.
    planStopped: ({ context }) => context.plan !== null && allStopped(context.plan.stop, context.states),
    allStopped: ({ context }) => allStopped(context.order, context.states),
    // The scan has passed every member; the full look is taken once, in case one came back up.
    sweptStopped: ({ context }) => context.scan === context.order.length && allStopped(context.order, context.states),
    queueEmpty: ({ context }) => context.queue.length === 0,
  },
  actions: {
    reportCrash: emit(({ event }) => crashed(event)),
    /** Hand a member's step on to our parent when it listens (the root with depends_on). */
    passOn: enqueueActions(({ event, enqueue, self }) => {
      if (event.type === 'relay' && listens(self._parent)) enqueue.sendParent(event satisfies Relay<GroupEmitted>);
    }),
    forward: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'START' && event.type !== 'STOP' && event.type !== 'SIGNAL') return;
      const { name, ...command } = event;
      const targets = name === undefined ? context.order : Object.hasOwn(context.states, name) ? [name] : [];
      for (const n of targets) enqueue.sendTo(n, command as ProcessCommand);
      // A member the user starts or stops is no longer the strategy's to handle; the
      // queue's head keeps its place, its state change is what moves the queue on. A
      // command its state ignores (START while STOPPING) changes nothing, the plan included.
      if (event.type === 'SIGNAL' || handsOn(context)) return;
      const takes = (s: ProcessStateName) => (event.type === 'START' ? STARTABLE.includes(s) : isRunning(s));
      const keep = (n: string) => !targets.includes(n) || !takes(context.states[n] ?? 'STOPPED');
      enqueue.assign({
        plan: context.plan && { stop: context.plan.stop.filter(keep), start: context.plan.start.filter(keep) },
        queue: context.queue.filter((n, i) => i === 0 || keep(n)),
      });
    }),
    setMood: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'MOOD') return;
      enqueue.assign({ mood: event.mood });
      for (const n of context.order) enqueue.sendTo(n, { type: 'MOOD', mood: event.mood } satisfies ProcessCommand);
    }),
    /** stop_all() over every member, highest priority first; a member others depend on waits for them. */
    sweepStopAll: enqueueActions(({ context, enqueue }) => {
      for (const [n, command] of stopAllCommands(context, [...context.order].reverse())) enqueue.sendTo(n, command);
    }),
    /**
     * stop_all() again after a member's change, as supervisord repeats it every loop: only
     * the members that changed can want a new command, unless a stop releases a held one.
     */
    resweepStopAll: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'relay') return;
      const changed = hasInnerDependencies(context.config) ? [...context.order].reverse() : event.events.flatMap((e) => (e.type === 'state' ? [e.name] : []));
      for (const [n, command] of stopAllCommands(context, changed)) enqueue.sendTo(n, command);
    }),
    /** Move the stop-all scan past the members now stopped (from the start again once it has passed them all). */
    scanStopped: assign(({ context }) => ({ scan: stoppedUpTo(context, context.scan === context.order.length ? 0 : context.scan) })),
    recordRestart: assign(({ context, event }) => {
      const s = context.config.supervision;
      return { restarts: addRestart(s.restart_window, exitTime(event), context.restarts, s.max_restarts).restarts };
    }),
    /** Plan the strategy's restart (merged with one under way) and stop its victims, highest priority first. */
    beginRestart: enqueueActions(({ context, event, enqueue }) => {
      const dead = exitIn(event)?.name;
      if (dead === undefined) return;
      const s = context.config.supervision;
      const fresh = planRestart(s.strategy, context.order, context.states, dead);
      // The queue's head already has its START: it counts as up, not as still to start.
      const current = context.plan ?? { stop: [], start: context.queue.slice(1) };
      enqueue.assign({ plan: mergePlans(context.order, current, fresh), queue: [] });
      // Emitted before the stops are sent: the log tells why before the victims' STOPPING.
      if (fresh.start.length > 1) enqueue.emit(log('INFO', `${s.strategy}: ${dead} exited in group ${context.config.name}, restarting ${fresh.start.join(', ')}`));
      for (const n of fresh.stop) enqueue.sendTo(n, { type: 'STOP' } satisfies ProcessCommand);
    }),
    /** Begin a one-at-a-time command over `names` that are in a state taking it. */
    queueCommand: enqueueActions(({ context, enqueue }, p: { kind: 'START' | 'GIVE_UP'; names: 'plan' | 'all' }) => {
      const takes = p.kind === 'START' ? STARTABLE : GIVABLE;
      // A restart planned before a shutdown began is dropped: no spawns once stopping.
      const names = p.names === 'all' ? context.order : context.mood > SupervisorStates.RESTARTING ? context.plan?.start ?? [] : [];
      const queue = names.filter((n) => takes.includes(context.states[n] ?? 'STOPPED'));
      enqueue.assign({ queue, plan: null });
      if (commandsHead(context, queue, p.kind)) enqueue.sendTo(queue[0], commandFor(context, p.kind));
    }),
    /**
     * The head of the queue has done what it was told: send the command to the next member.
     * A START is done once the head has forked (its `spawned:` line) or left STARTING, so
     * the spawns, and their lines, follow priority order.
     */
    advance: enqueueActions(({ context, event, enqueue }, p: { kind: 'START' | 'GIVE_UP' }) => {
      const head = context.queue[0];
      const done = (e: GroupEmitted) =>
        e.type === 'state'
          ? e.name === head && (p.kind !== 'START' || e.to !== 'STARTING')
          : p.kind === 'START' && e.message.startsWith(`spawned: '${head}' `);
      if (event.type !== 'relay' || !event.events.some(done)) return;
      const queue = context.queue.slice(1);
      enqueue.assign({ queue });
      if (commandsHead(context, queue, p.kind)) enqueue.sendTo(queue[0], commandFor(context, p.kind));
    }),
    beginGiveUp: enqueueActions(({ context, enqueue }) => {
      enqueue.emit(log('WARN', `gave up: ${intensityReason(context.config.name, context.config.supervision)}; stopping its processes and marking them FATAL`));
      enqueue.assign({ plan: null, queue: [] });
    }),
    /** Stop every member that is up, highest priority first; repeated as members move. */
    stopRunning: enqueueActions(({ context, enqueue }) => {
      for (const n of [...context.order].reverse()) {
        if (isRunning(context.states[n] ?? 'STOPPED')) enqueue.sendTo(n, { type: 'STOP' } satisfies ProcessCommand);
      }
    }),
    /** The last member's STOPPED is out already: each step is published as it ends. */
    reportStopped: enqueueActions(({ context, enqueue, self }) => {
      if (self._parent) enqueue.sendParent({ type: 'GROUP_STOPPED', group: context.config.name } satisfies GroupStopped);
    }),
  },
}).createMachine({
  id: 'group',
  context: ({ input, spawn, self }) => {
    if (input.publish) publishFrom(self, input.publish);
    const supervised = needsGroupRestart(input.config.supervision);
    const mood = input.mood ?? SupervisorStates.RUNNING;
    // Config order, as supervisord's first transition() spawns them; each is subscribed
    // before it starts, so its first events reach the stream.
    const members = input.config.processes.map((config) => {
      const ref = spawn('process', { id: config.name, systemId: processSystemId(input.config.name, config.name), input: { config, group: input.config.name, mood, supervised } });
      if (input.publish) publishFrom(ref, input.publish);
      return [config.name, ref] as const;
    });
    return {
      config: input.config, mood, listens: supervised,
      order: priorityOrder(input.config.processes).map((p) => p.name),
      states: liveStates(members),
      restarts: [], plan: null, queue: [], scan: 0,
    };
  },
  initial: 'running',
  on: {
    [ACTOR_ERROR]: { actions: 'reportCrash' },
    MOOD: { actions: 'setMood' },
    // A user's command reaches its member in every state, as it would without the group.
    START: { actions: 'forward' },
    SIGNAL: { actions: 'forward' },
    STOP: { actions: 'forward' },
    STOP_ALL: { target: '.stoppingAll', actions: assign({ plan: null, queue: [] }) },
  },
  states: {
    running: {
      on: {
        relay: [
          { guard: and(['restartDue', 'intensityExceeded']), actions: 'passOn', target: 'givingUp' },
          { guard: 'restartDue', actions: ['passOn', 'recordRestart', 'beginRestart'], target: 'restarting' },
          { actions: 'passOn' },
        ],
      },
    },
    // The strategy's victims are stopping; once all are down they start in priority order.
    restarting: {
      always: { guard: 'planStopped', target: 'starting', actions: { type: 'queueCommand', params: { kind: 'START', names: 'plan' } } },
      on: {
        relay: [
          { guard: and(['restartDue', 'intensityExceeded']), actions: 'passOn', target: 'givingUp' },
          { guard: 'restartDue', actions: ['passOn', 'recordRestart', 'beginRestart'] },
          { actions: 'passOn' },
        ],
      },
    },
    starting: {
      always: { guard: 'queueEmpty', target: 'running' },
      on: {
        relay: [
          { guard: and(['restartDue', 'intensityExceeded']), actions: 'passOn', target: 'givingUp' },
          { guard: 'restartDue', actions: ['passOn', 'recordRestart', 'beginRestart'], target: 'restarting' },
          { actions: ['passOn', { type: 'advance', params: { kind: 'START' } }] },
        ],
      },
    },
    // Intensity exceeded: every member is stopped, then each is marked FATAL.
    givingUp: {
      entry: ['beginGiveUp', 'stopRunning'],
      always: { guard: 'allStopped', target: 'markingFatal', actions: { type: 'queueCommand', params: { kind: 'GIVE_UP', names: 'all' } } },
      on: { relay: { actions: ['passOn', 'stopRunning'] } },
    },
    markingFatal: {
      always: { guard: 'queueEmpty', target: 'running', actions: assign({ restarts: [] }) },
      on: { relay: { actions: ['passOn', { type: 'advance', params: { kind: 'GIVE_UP' } }] } },
    },
    // Tagged: a member's step that leaves it past STOPPING is relayed here (emitted.ts
    // wantsRelay), and each costs a look at that member only.
    stoppingAll: {
      tags: ['stopsAll'],
      entry: ['sweepStopAll', assign({ scan: 0 }), 'scanStopped'],
      always: { guard: 'sweptStopped', target: 'stopped', actions: 'reportStopped' },
      on: { relay: { actions: ['passOn', 'resweepStopAll', 'scanStopped'] } },
    },
    stopped: {
      on: { relay: { actions: 'passOn' } },
    },
  },
});

export type GroupMachine = typeof groupMachine;
