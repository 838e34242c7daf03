// A process group ([program:x] with its numprocs, or [group:x] programs=): owns one
// process actor per member, forwards commands, relays what they emit, and applies the
// group's supervision strategy and restart intensity (strategy.ts) when a member exits
// in a way that calls for a restart.
//
// With supervisor's default (one_for_one, no max_restarts) the group stays out of the
// way: members restart themselves exactly as supervisord's do. Otherwise members are
// `supervised` and wait in EXITED for the group to decide.
//
// A relay arrives while the relaying member is still finishing its step, so a command
// sent to it then is handled after commands sent to its idle siblings. Where order
// matters (starting in priority order, marking FATAL) the group therefore sends one
// command at a time from `queue` and sends the next when the previous member has moved.
import { and, assign, enqueueActions, setup } from 'xstate';
import { isRunning, SupervisorStates, type ProcessStateName } from '../src/states.ts';
import { ACTOR_ERROR, crashed, log, type GroupEmitted, type Relay } from './emitted.ts';
import { commandFor, exitIn, exitTime, processSystemId, type GroupContext, type GroupEvent, type GroupInput, type GroupStopped } from './group-types.ts';
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

/** The members' states once a relay's state events are in. */
function statesAfter(states: GroupContext['states'], events: readonly GroupEmitted[]): GroupContext['states'] {
  const next = { ...states };
  for (const e of events) if (e.type === 'state') next[e.name] = e.to;
  return next;
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
    queueEmpty: ({ context }) => context.queue.length === 0,
    hasOutbox: ({ context }) => context.outbox.length > 0,
  },
  actions: {
    spawnMembers: enqueueActions(({ context, enqueue }) => {
      const supervised = needsGroupRestart(context.config.supervision);
      // Config order, as supervisord's first transition() spawns them.
      for (const config of context.config.processes) {
        enqueue.spawnChild('process', {
          id: config.name, systemId: processSystemId(context.config.name, config.name),
          input: { config, group: context.config.name, mood: context.mood, supervised },
        });
      }
    }),
    /** Track members' states and pass their events on, unchanged, to our listeners and parent. */
    reportCrash: assign(({ context, event }) => ({ outbox: [...context.outbox, crashed(event)] })),
    /** Into the outbox, emitted and relayed once the step is done (`flush`). */
    relay: assign(({ context, event }) => {
      if (event.type !== 'relay') return {};
      return { states: statesAfter(context.states, event.events), outbox: [...context.outbox, ...event.events] };
    }),
    /**
     * A relay the group adds nothing to: emitted and sent up at once, not through the
     * outbox, which saves the step its `flush` (a relay arrives with the outbox empty).
     */
    passOn: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'relay') return;
      enqueue.assign({ states: statesAfter(context.states, event.events) });
      for (const e of event.events) enqueue.emit(e);
      if (self._parent) enqueue.sendParent({ type: 'relay', events: event.events } satisfies Relay<GroupEmitted>);
    }),
    flush: enqueueActions(({ context, enqueue, self }) => {
      for (const e of context.outbox) enqueue.emit(e);
      if (self._parent) enqueue.sendParent({ type: 'relay', events: context.outbox } satisfies Relay<GroupEmitted>);
      enqueue.assign({ outbox: [] });
    }),
    forward: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'START' && event.type !== 'STOP' && event.type !== 'SIGNAL') return;
      const { name, ...command } = event;
      const targets = name === undefined ? context.order : context.order.filter((n) => n === name);
      for (const n of targets) enqueue.sendTo(n, command as ProcessCommand);
      // A member the user starts or stops is no longer the strategy's to handle; the
      // queue's head keeps its place, its state change is what moves the queue on. A
      // command its state ignores (START while STOPPING) changes nothing, the plan included.
      if (event.type === 'SIGNAL' || (context.plan === null && context.queue.length === 0)) return;
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
    /** stop_all(), repeated on every member change as supervisord repeats it every loop. */
    sweepStopAll: enqueueActions(({ context, enqueue }) => {
      const held = heldByDependents(context.config.processes, context.states);
      for (const n of [...context.order].reverse()) {
        if (held.has(n)) continue;
        const s = context.states[n];
        if (s === 'RUNNING' || s === 'STARTING') enqueue.sendTo(n, { type: 'STOP' } satisfies ProcessCommand);
        else if (s === 'BACKOFF') enqueue.sendTo(n, { type: 'GIVE_UP' } satisfies ProcessCommand);
      }
    }),
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
      if (fresh.start.length > 1) {
        const line = log('INFO', `${s.strategy}: ${dead} exited in group ${context.config.name}, restarting ${fresh.start.join(', ')}`);
        enqueue.assign({ outbox: [...context.outbox, line] });
      }
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
      const line = log('WARN', `gave up: ${intensityReason(context.config.name, context.config.supervision)}; stopping its processes and marking them FATAL`);
      enqueue.assign({ plan: null, queue: [], outbox: [...context.outbox, line] });
    }),
    /** Stop every member that is up, highest priority first; repeated as members move. */
    stopRunning: enqueueActions(({ context, enqueue }) => {
      for (const n of [...context.order].reverse()) {
        if (isRunning(context.states[n] ?? 'STOPPED')) enqueue.sendTo(n, { type: 'STOP' } satisfies ProcessCommand);
      }
    }),
    /** The step's events go first: the parent must see the last STOPPED before it moves on. */
    reportStopped: enqueueActions(({ context, enqueue, self }) => {
      for (const e of context.outbox) enqueue.emit(e);
      enqueue.assign({ outbox: [] });
      if (!self._parent) return;
      if (context.outbox.length) enqueue.sendParent({ type: 'relay', events: context.outbox } satisfies Relay<GroupEmitted>);
      enqueue.sendParent({ type: 'GROUP_STOPPED', group: context.config.name } satisfies GroupStopped);
    }),
  },
}).createMachine({
  id: 'group',
  context: ({ input }) => ({
    config: input.config,
    mood: input.mood ?? SupervisorStates.RUNNING,
    order: priorityOrder(input.config.processes).map((p) => p.name),
    states: Object.fromEntries(input.config.processes.map((p) => [p.name, 'STOPPED' as ProcessStateName])),
    restarts: [], plan: null, queue: [], outbox: [],
  }),
  entry: 'spawnMembers',
  always: { guard: 'hasOutbox', actions: 'flush' },
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
          { guard: and(['restartDue', 'intensityExceeded']), actions: 'relay', target: 'givingUp' },
          { guard: 'restartDue', actions: ['relay', 'recordRestart', 'beginRestart'], target: 'restarting' },
          { actions: 'passOn' },
        ],
      },
    },
    // The strategy's victims are stopping; once all are down they start in priority order.
    restarting: {
      always: { guard: 'planStopped', target: 'starting', actions: { type: 'queueCommand', params: { kind: 'START', names: 'plan' } } },
      on: {
        relay: [
          { guard: and(['restartDue', 'intensityExceeded']), actions: 'relay', target: 'givingUp' },
          { guard: 'restartDue', actions: ['relay', 'recordRestart', 'beginRestart'] },
          { actions: 'relay' },
        ],
      },
    },
    starting: {
      always: { guard: 'queueEmpty', target: 'running' },
      on: {
        relay: [
          { guard: and(['restartDue', 'intensityExceeded']), actions: 'relay', target: 'givingUp' },
          { guard: 'restartDue', actions: ['relay', 'recordRestart', 'beginRestart'], target: 'restarting' },
          { actions: ['relay', { type: 'advance', params: { kind: 'START' } }] },
        ],
      },
    },
    // Intensity exceeded: every member is stopped, then each is marked FATAL.
    givingUp: {
      entry: ['beginGiveUp', 'stopRunning'],
      always: { guard: 'allStopped', target: 'markingFatal', actions: { type: 'queueCommand', params: { kind: 'GIVE_UP', names: 'all' } } },
      on: { relay: { actions: ['relay', 'stopRunning'] } },
    },
    markingFatal: {
      always: { guard: 'queueEmpty', target: 'running', actions: assign({ restarts: [] }) },
      on: { relay: { actions: ['relay', { type: 'advance', params: { kind: 'GIVE_UP' } }] } },
    },
    stoppingAll: {
      entry: 'sweepStopAll',
      always: { guard: 'allStopped', target: 'stopped', actions: 'reportStopped' },
      on: { relay: { actions: ['passOn', 'sweepStopAll'] } },
    },
    stopped: {
      on: { relay: { actions: 'passOn' } },
    },
  },
});

export type GroupMachine = typeof groupMachine;
