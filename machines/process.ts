// One supervised process: supervisor 4.2.5's Subprocess (process.py) as an explicit
// table. Each state lists every event it takes; an event a state does not list is
// ignored, as supervisor's RPC layer refuses it (ALREADY_STARTED, NOT_RUNNING, …).
// Runtime contract (typed and detailed in process-types.ts): provide the actor `child`,
// fromCallback<ChildRequest, ChildInput, ChildReport>, spawned on each entry to STARTING
// and stopped when the child is gone. It reports SPAWNED {pid, at, age} or SPAWN_ERROR
// {message, at} at once, later EXITED {code, signal, at}; it takes KILL {signal, group}
// and reports KILL_FAILED {message} for any error but ESRCH. Timers are the named delays
// startsecs, backoff, stopwaitsecs, so SimulatedClock drives them all.
//
// Unlike supervisord, which polls every second, the machine reacts to each report at
// once; the order of states, events and log lines is supervisor's. Each state change
// emits one `state` event (see emitted.ts); log lines are emitted where process.py
// writes them, before or after the change as it does.
import { assertEvent, assign, cancel, emit, enqueueActions, raise, sendParent, sendTo, setup, spawnChild, stopChild } from 'xstate';
import { choose, type ChooseArgs } from './choose.ts';
import { SIGKILL } from '../src/states.ts';
import { backoffResets, restartDelayMs, startBackoffMs } from './backoff.ts';
import { healthMachine, readinessMachine } from './checks.ts';
import { ACTOR_ERROR, crashed, log, wantsRelay, type ProcessEmitted, type Relay } from './emitted.ts';
import { msg, TOO_QUICKLY } from './process-log.ts';
import {
  initialContext, mayAutoSpawn, noRuntime, selfRestartDue,
  type ChildRequest, type ProcessContext, type ProcessEvent, type ProcessInput,
} from './process-types.ts';
import {
  signalOf, failureOf, exitOf, change, say, spawning, stopping, exitedFrom, stoppedFrom, giveUp, stopBackoff, depsFail, gatedStart, deferredStart, running, toldRunning, exitRecord, quickExit, quickExitRecord,
} from './process-rows.ts';

export * from './process-types.ts';

/** The restart_delay timer: one per process, cancelled when it leaves EXITED. */
const RESTART_DUE = { type: 'RESTART_DUE' } as const;
const RESTART_TIMER = { delay: 'restartdelay', id: 'restartdelay' } as const;
type Args = ChooseArgs<ProcessContext, ProcessEvent>;
/** What `choose` picks, built once: they depend on nothing but their names and the context. */
const CANCEL_STARTSECS = [cancel('startsecs')];
const FLUSH = [
  sendParent(({ context }: { context: ProcessContext }) => ({ type: 'relay', events: context.outbox }) satisfies Relay<ProcessEmitted>),
  assign<ProcessContext, ProcessEvent, undefined, ProcessEvent, never>({ outbox: [] }),
];
const autostartDue = (c: ProcessContext): boolean => c.config.autostart && !c.started && mayAutoSpawn(c);
const restartDelayed = (c: ProcessContext): boolean => restartDelayMs(c.config.statevisor, c.crashes, c.config.name) > 0;
/** A raise after one of the machine's named delays. */
const timer = (event: ProcessEvent, delay: string) => raise<ProcessContext, ProcessEvent, ProcessEvent, undefined, string, string>(event, { delay, id: delay });
const READY_TIMER = timer({ type: 'READY_TIMEOUT' }, 'readytimeout');
const BACKOFF_RESET_TIMER = timer({ type: 'BACKOFF_RESET' }, 'backoffreset');
const RESTART_DUE_TIMER = timer(RESTART_DUE, RESTART_TIMER.delay);
const STOP_CHECKS = [stopChild('readiness'), stopChild('health'), ...['checkkill', 'readytimeout', 'backoffreset'].map((id) => cancel(id))];

export const processMachine = setup({
  types: {
    input: {} as ProcessInput,
    context: {} as ProcessContext,
    events: {} as ProcessEvent,
    emitted: {} as ProcessEmitted,
  },
  actors: { child: noRuntime, readiness: readinessMachine, health: healthMachine },
  delays: {
    /**
     * What is left of startsecs once the pid is known: it counts from laststart (SPAWNED's
     * `at`, `age` ms before). Whole ms: Node keeps a timer list per distinct delay, and a
     * fraction would give each of an autostart's timers its own.
     */
    startsecsLeft: ({ context, event }) => Math.max(0, Math.ceil(context.config.startsecs * 1000 - (event.type === 'SPAWNED' ? event.age : 0))),
    /** Entering BACKOFF bumps the counter first, so the waits are 1 s, 2 s, 3 s … from the exit. */
    backoff: ({ context }) => startBackoffMs(context.config.statevisor, context.backoff, context.config.name),
    restartdelay: ({ context }) => restartDelayMs(context.config.statevisor, context.crashes, context.config.name),
    backoffreset: ({ context }) => context.config.statevisor.backoff_reset * 1000,
    readytimeout: ({ context }) => context.config.statevisor.ready_timeout * 1000,
    stopwaitsecs: ({ context }) => context.config.stopwaitsecs * 1000,
  },
  guards: {
    // The guards of rows that many steps try are single functions, not and()/not() over
    // named ones: XState's and() allocates on each evaluation, a plain guard does not.
    /** autostart, with depends_on: a dependency has failed / one still waits (a start is wanted once) / all hold. */
    autostartDepFailed: ({ context }) => autostartDue(context) && context.depFailed !== null,
    autostartWaits: ({ context }) => autostartDue(context) && context.waiting !== null && !context.wantStart,
    autostartNow: ({ context }) => autostartDue(context) && context.waiting === null,
    autorestartDue: ({ context }) => selfRestartDue(context),
    /** An autorestart without restart_delay. */
    autorestartNow: ({ context }) => selfRestartDue(context) && !restartDelayed(context),
    /** The group's strategy restarts this member, which waits restart_delay first. */
    strategyRestartDelayed: ({ context, event }) => event.type === 'START' && event.restart === true && restartDelayed(context),
    /** A supervised member's delayed restart is still the group's while supervisord is RUNNING. */
    groupRestartDue: ({ context }) => context.supervised && mayAutoSpawn(context),
    depsWaiting: ({ context }) => context.waiting !== null,
    depFailed: ({ context }) => context.depFailed !== null,
    /** A wanted start (deferredStart): a dependency has failed / all hold and spawns are allowed. */
    wantedDepFailed: ({ context }) => context.wantStart && context.depFailed !== null,
    wantedDepsHold: ({ context }) => context.wantStart && context.waiting === null && mayAutoSpawn(context),
    hasReadyCheck: ({ context }) => context.config.statevisor.ready_check !== null,
    ready: ({ context }) => context.config.statevisor.ready_check === null || context.ready,
    /** The ready check passed after startsecs, before ready_timeout. */
    readyAfterStartsecs: ({ context }) => (context.startsecsDone || context.config.startsecs === 0) && context.readyFailed === null,
    /** ready_timeout, once, while a child lives. */
    readyTimedOut: ({ context }) => context.pid !== 0 && context.readyFailed === null,
    healthGivesUp: ({ context }) => context.healthFailures + 1 >= context.config.statevisor.health_retries,
    healthKill: ({ context }) => context.healthKill,
    healthOk: ({ event }) => event.type === 'HEALTH' && event.ok,
    stillHealthy: ({ context, event }) => event.type === 'HEALTH' && event.ok && context.health === 'healthy',
    mayRetry: ({ context }) => mayAutoSpawn(context),
    retriesExhausted: ({ context }) => !context.config.statevisor.retry_forever && context.backoff > context.config.startretries,
    /** SPAWNED with nothing left to wait for: startsecs already over since laststart (0, or a late spawn), and no ready check. */
    upOnSpawn: ({ context, event }) => event.type === 'SPAWNED' && event.age >= context.config.startsecs * 1000 && context.config.statevisor.ready_check === null,
    hasOutbox: ({ context }) => context.outbox.length > 0,
    stopPending: ({ context }) => context.stopPending,
    /** In an eventless transition `event` is the one that began the step: here, a child's exit. */
    exitBeingHandled: ({ event }) => event.type === 'EXITED',
    hasPid: ({ context }) => context.pid !== 0,
    administrativeStop: ({ context }) => context.administrativeStop,
    /** finish(): a laststart in the future means the clock went back; supervisor then assumes "not too quickly". */
    clockWentBack: ({ context, event }) => event.type === 'EXITED' && event.at < context.laststart,
    /** finish(): "too quickly" is `now - laststart < startsecs`; the timer may not have fired yet. */
    stayedUp: ({ context, event }) => event.type === 'EXITED' && event.at - context.laststart >= context.config.startsecs * 1000,
  },
  actions: {
    /**
     * Emit a row's events (XState emits them once the step is done, in order); for a
     * parent that listens, also into the step's outbox, which `flush` relays when the step
     * is done (emitted.ts). Without one, a step copies no context for what it tells.
     */
    tell: choose(({ context, event, self }: Args, events: readonly (ProcessEmitted | null)[]) => {
      const told: ProcessEmitted[] = [];
      for (const e of events) if (e) told.push(e.type === 'log' && 'at' in event ? { ...e, at: event.at } : e);
      const actions: unknown[] = told.map((e) => ({ type: 'publish', params: e }));
      if (wantsRelay(self._parent, told)) actions.push(assign({ outbox: [...context.outbox, ...told] }));
      return actions;
    }),
    /** One event of `tell`'s: one emit action for them all, the event its params. */
    publish: emit((_, e: ProcessEmitted) => e),
    flush: choose(() => FLUSH),
    spawn: spawnChild('child', { id: 'child', input: ({ context }) => ({ config: context.config, group: context.group }) }),
    release: stopChild('child'),
    prepareSpawn: assign({
      started: true, spawnerr: null, exitstatus: null, administrativeStop: false, stopPending: false, stopReport: false,
      wantStart: false, ready: false, startsecsDone: false, readyReason: null, readyFailed: null, healthKill: false,
    }),
    recordSpawn: assign(({ event }) => { assertEvent(event, 'SPAWNED'); return { pid: event.pid, laststart: event.at, spawnerr: null }; }),
    /** recordSpawn and resetBackoff in one assign, for a spawn already past startsecs: a step copies the context once. */
    recordSpawnUp: assign(({ event }) => { assertEvent(event, 'SPAWNED'); return { pid: event.pid, laststart: event.at, spawnerr: null, backoff: 0 }; }),
    recordSpawnError: assign(({ event, context }) => {
      assertEvent(event, 'SPAWN_ERROR');
      return { spawnerr: event.message, laststart: event.at, backoff: context.backoff + 1 };
    }),
    recordQuickExit: assign(({ event, context }) => ({ ...quickExitRecord(context, event), pid: 0 })),
    recordExit: assign(({ event, context }) => ({ ...exitRecord(context, event), pid: 0 })),
    recordStopExit: assign(({ event, context }) => ({ exitstatus: exitOf(event).status, laststop: 'at' in event ? event.at : context.laststop, pid: 0 })),
    recordGiveUp: assign(({ event, context }) => ({ backoff: 0, spawnerr: event.type === 'GIVE_UP' && event.reason ? event.reason : context.spawnerr })),
    adjustLaststart: assign(({ event, context }) => ({ laststart: event.type === 'EXITED' ? event.at : context.laststart })),
    resetBackoff: assign({ backoff: 0 }),
    setDeps: assign(({ event, context }) => (event.type === 'DEPS' ? { waiting: event.waiting, depFailed: event.failed } : context)),
    wantStart: assign({ wantStart: true }),
    recordDepFailure: assign(({ context }) => ({ spawnerr: context.depFailed, wantStart: false })),
    watchReadiness: choose(({ context }: Args) => {
      const check = context.config.statevisor.ready_check;
      return check ? [spawnChild('readiness', { id: 'readiness', input: { check, config: context.config, group: context.group, pid: context.pid } })] : undefined;
    }),
    markReady: assign({ ready: true }),
    markStartsecs: assign({ startsecsDone: true }),
    /**
     * supervisor counts startsecs from laststart, taken just before its fork, and its
     * transition() makes the process RUNNING once `now - laststart > startsecs`. A spawn
     * may come back from another thread after a while (an autostart of many): the timer
     * starts when the pid is known, for what is left of startsecs since laststart.
     */
    scheduleStartsecs: raise({ type: 'STARTSECS' }, { delay: 'startsecsLeft', id: 'startsecs' }),
    /** Leaving STARTING on its SPAWNED (no timer started yet) or on STARTSECS (it fired), there is no timer to cancel. */
    cancelStartsecs: choose(({ event }: Args) => (event.type === 'SPAWNED' || event.type === 'STARTSECS' ? undefined : CANCEL_STARTSECS)),
    recordReadyTry: assign(({ event, context }) => ({ readyReason: event.type === 'READY_TRY_FAILED' ? event.reason : context.readyReason })),
    /** ready_timeout: the start has failed (the row says so and stops the child, SIGKILL after stopwaitsecs); its exit goes to BACKOFF. */
    failReadiness: enqueueActions(({ context, enqueue }) => {
      const s = context.config.statevisor;
      enqueue.assign({ readyFailed: `ready check ${s.ready_check?.spec} did not pass within ${s.ready_timeout} s${context.readyReason ? ` (${context.readyReason})` : ''}` });
      enqueue.stopChild('readiness');
    }),
    recordReadyFailure: assign(({ event, context }) => {
      assertEvent(event, 'EXITED');
      return { exitstatus: null, spawnerr: context.readyFailed ?? TOO_QUICKLY, laststop: event.at, backoff: context.backoff + 1 };
    }),
    // Spawned children start once the step is over: passing through RUNNING on the way to
    // EXITED (an exit after startsecs) runs no probe.
    watchHealth: choose(({ context }: Args) => {
      const check = context.config.statevisor.health_check;
      if (!check) return undefined;
      return [assign({ healthFailures: 0, health: null }), spawnChild('health', { id: 'health', input: { check, config: context.config, group: context.group } })];
    }),
    healthy: assign({ healthFailures: 0, health: 'healthy' }),
    unhealthy: assign(({ event, context }) => {
      const failures = context.healthFailures + 1;
      const reason = event.type === 'HEALTH' && !event.ok ? event.reason : '';
      return { healthFailures: failures, health: `unhealthy ${failures}/${context.config.statevisor.health_retries}: ${reason}` };
    }),
    /** health_retries consecutive failures (the row says so): stop the child; its exit restarts it (through the group when supervised). */
    failHealth: enqueueActions(({ enqueue }) => {
      enqueue.assign({ healthKill: true });
      enqueue.stopChild('health');
    }),
    scheduleCheckKill: raise({ type: 'CHECK_KILL' }, { delay: 'stopwaitsecs', id: 'checkkill' }),
    cancelCheckKill: cancel('checkkill'),
    stopChecks: choose(({ context }: Args) => {
      const s = context.config.statevisor;
      // Without these options there is nothing to stop or cancel (each stop and cancel costs a step its work).
      return s.ready_check || s.health_check || backoffResets(s) ? STOP_CHECKS : undefined;
    }),
    scheduleReadyTimeout: choose(({ context }: Args) => (context.config.statevisor.ready_check ? [READY_TIMER] : undefined)),
    scheduleBackoffReset: choose(({ context }: Args) => (backoffResets(context.config.statevisor) ? [BACKOFF_RESET_TIMER] : undefined)),
    scheduleRestart: choose(({ context }: Args) => (selfRestartDue(context) && restartDelayed(context) ? [RESTART_DUE_TIMER] : undefined)),
    /** RESTART_DUE after restart_delay: an autorestart, or the group's restart of this member (then its START). */
    delayRestart: raise(RESTART_DUE, RESTART_TIMER),
    cancelRestart: cancel('restartdelay'),
    resetCrashes: assign({ crashes: 0 }),
    clearPid: assign({ pid: 0 }),
    setMood: assign(({ event, context }) => ({ mood: event.type === 'MOOD' ? event.mood : context.mood })),
    requestStop: assign(({ event }) => ({ administrativeStop: true, stopReport: event.type === 'STOP' && event.wait === true })),
    holdStop: assign(({ event }) => ({ administrativeStop: true, stopPending: true, stopReport: event.type === 'STOP' && event.wait === true })),
    killWithStopSignal: sendTo('child', ({ context }): ChildRequest => ({ type: 'KILL', signal: context.config.stopsignal, group: context.config.stopasgroup })),
    killWithSigkill: sendTo('child', ({ context }): ChildRequest => ({ type: 'KILL', signal: SIGKILL, group: context.config.killasgroup })),
    signal: sendTo('child', ({ event }): ChildRequest => ({ type: 'KILL', signal: signalOf(event), group: false })),
  },
}).createMachine({
  id: 'process',
  context: ({ input }) => initialContext(input),
  initial: 'STOPPED',
  on: { MOOD: { actions: 'setMood' }, DEPS: { actions: 'setDeps' }, [ACTOR_ERROR]: { actions: { type: 'tell', params: ({ event }: { event: { type: string } }) => [crashed(event)] } } },
  always: { guard: 'hasOutbox', actions: 'flush' },
  states: {
    STOPPED: {
      entry: 'release',
      always: [
        ...deferredStart('STOPPED'),
        { guard: 'autostartDepFailed', target: 'FATAL', actions: depsFail('STOPPED') },
        { guard: 'autostartWaits', actions: 'wantStart' },
        { guard: 'autostartNow', target: 'STARTING', actions: spawning('STOPPED') },
      ],
      on: {
        START: gatedStart('STOPPED'),
        GIVE_UP: { target: 'FATAL', actions: giveUp('STOPPED') },
      },
    },
    STARTING: {
      entry: ['spawn', 'scheduleReadyTimeout'],
      exit: ['stopChecks', 'cancelStartsecs'],
      on: {
        SPAWNED: [
          { guard: 'stopPending', target: 'STOPPING', actions: ['recordSpawn', say((c) => msg.spawned(c.config.name, c.pid)), ...stopping('STARTING')] },
          { guard: 'upOnSpawn', target: 'RUNNING', actions: ['recordSpawnUp', say((c) => msg.spawned(c.config.name, c.pid)), toldRunning] },
          { actions: ['recordSpawn', say((c) => msg.spawned(c.config.name, c.pid)), 'scheduleStartsecs', 'watchReadiness'] },
        ],
        STARTSECS: [{ guard: 'ready', target: 'RUNNING', actions: running }, { actions: 'markStartsecs' }],
        SPAWN_ERROR: [
          // With a STOP held, BACKOFF passes the stop on at once (its `always`).
          { target: 'BACKOFF', actions: ['recordSpawnError', say((c) => msg.spawnerr(c.spawnerr ?? '')), change('STARTING', 'BACKOFF')] },
        ],
        READY: [{ guard: 'readyAfterStartsecs', target: 'RUNNING', actions: running }, { actions: 'markReady' }],
        READY_TRY_FAILED: { actions: 'recordReadyTry' },
        READY_TIMEOUT: { guard: 'readyTimedOut', actions: ['failReadiness', say((c) => log('WARN', `${c.config.name}: ${c.readyFailed}; stopping it`)), 'killWithStopSignal', 'scheduleCheckKill'] },
        CHECK_KILL: { guard: 'hasPid', actions: [say((c) => msg.sigkill(c.config.name, c.pid)), 'killWithSigkill', 'scheduleCheckKill'] },
        EXITED: [
          // With a ready check the process was never RUNNING: any exit is a failed start.
          { guard: 'hasReadyCheck', target: 'BACKOFF', actions: ['recordReadyFailure', change('STARTING', 'BACKOFF'), say((c, e) => msg.exited(c.config.name, exitOf(e).text, false)), 'clearPid'] },
          // An exit after startsecs whose timer has not fired: finish() moves STARTING to
          // RUNNING, then RUNNING to EXITED; RUNNING's `always` takes the second step.
          { guard: 'clockWentBack', target: 'RUNNING', actions: [say((c) => msg.laststartInFuture(c.config.name, c.pid)), 'adjustLaststart', change('STARTING', 'RUNNING')] },
          { guard: 'stayedUp', target: 'RUNNING', actions: change('STARTING', 'RUNNING') },
          { target: 'BACKOFF', actions: quickExit },
        ],
        STOP: [
          { guard: 'hasPid', target: 'STOPPING', actions: ['requestStop', ...stopping('STARTING')] },
          { actions: 'holdStop' },
        ],
        SIGNAL: [
          { guard: 'hasPid', actions: [say((c, e) => msg.sending(c.config.name, c.pid, signalOf(e))), 'signal'] },
          { actions: say((c, e) => msg.notRunning(c.config.name, signalOf(e))) },
        ],
        KILL_FAILED: { target: 'UNKNOWN', actions: [say((c, e) => msg.signalProblem(c.config.name, c.pid, failureOf(e))), change('STARTING', 'UNKNOWN')] },
      },
    },
    RUNNING: {
      entry: ['watchHealth', 'scheduleBackoffReset'],
      exit: 'stopChecks',
      always: { guard: 'exitBeingHandled', target: 'EXITED', actions: exitedFrom('RUNNING') },
      on: {
        HEALTH: [
          { guard: 'healthKill' },
          // Nothing to record while it stays healthy: no new snapshot every health_interval.
          { guard: 'stillHealthy' },
          { guard: 'healthOk', actions: 'healthy' },
          {
            guard: 'healthGivesUp',
            actions: [
              'unhealthy', 'failHealth',
              say((c, e) => log('WARN', `${c.config.name}: health check failed ${c.config.statevisor.health_retries} times: ${e.type === 'HEALTH' && !e.ok ? e.reason : ''}`)),
              'killWithStopSignal', 'scheduleCheckKill',
            ],
          },
          { actions: 'unhealthy' },
        ],
        CHECK_KILL: { actions: [say((c) => msg.sigkill(c.config.name, c.pid)), 'killWithSigkill', 'scheduleCheckKill'] },
        BACKOFF_RESET: { actions: 'resetCrashes' },
        EXITED: { target: 'EXITED', actions: exitedFrom('RUNNING') },
        STOP: { target: 'STOPPING', actions: ['requestStop', ...stopping('RUNNING')] },
        SIGNAL: { actions: [say((c, e) => msg.sending(c.config.name, c.pid, signalOf(e))), 'signal'] },
        KILL_FAILED: { target: 'UNKNOWN', actions: [say((c, e) => msg.signalProblem(c.config.name, c.pid, failureOf(e))), change('RUNNING', 'UNKNOWN')] },
      },
    },
    BACKOFF: {
      entry: 'release',
      always: [
        // A STOP held through a failed spawn: kill() on BACKOFF.
        { guard: 'stopPending', target: 'STOPPED', actions: stopBackoff },
        // The last BACKOFF event reports tries = startretries + 1, then FATAL follows at once.
        { guard: 'retriesExhausted', target: 'FATAL', actions: ['recordGiveUp', change('BACKOFF', 'FATAL'), say((c) => msg.gaveUp(c.config.name))] },
      ],
      after: { backoff: { guard: 'mayRetry', target: 'STARTING', actions: spawning('BACKOFF') } },
      on: {
        START: { target: 'STARTING', actions: spawning('BACKOFF') },
        // kill() on BACKOFF: straight to STOPPED, no signal, so a stop is never stuck behind the retries.
        STOP: { target: 'STOPPED', actions: ['requestStop', ...stopBackoff] },
        // stop_all() at shutdown calls give_up(), which logs nothing.
        GIVE_UP: { target: 'FATAL', actions: giveUp('BACKOFF') },
      },
    },
    STOPPING: {
      // SIGKILL after stopwaitsecs, again every stopwaitsecs while the child lives; no state event.
      after: {
        stopwaitsecs: {
          target: 'STOPPING', reenter: true,
          actions: [say((c) => msg.sigkill(c.config.name, c.pid)), say((c) => msg.killing(c.config.name, c.pid, c.config.killasgroup, SIGKILL)), 'killWithSigkill'],
        },
      },
      on: {
        EXITED: { target: 'STOPPED', actions: stoppedFrom('STOPPING') },
        SIGNAL: { actions: [say((c, e) => msg.sending(c.config.name, c.pid, signalOf(e))), 'signal'] },
        KILL_FAILED: { target: 'UNKNOWN', actions: [say((c, e) => msg.killProblem(c.config.name, c.pid, failureOf(e))), change('STOPPING', 'UNKNOWN')] },
        // A caller still waits (src/daemon/stop-reports.ts sends it every 2 s).
        STOP_REPORT: { actions: say((c) => msg.waitingToStop(c.config.name)) },
      },
    },
    EXITED: {
      entry: ['release', 'scheduleRestart'],
      exit: 'cancelRestart',
      always: [...deferredStart('EXITED'), { guard: 'autorestartNow', target: 'STARTING', actions: spawning('EXITED') }],
      on: {
        RESTART_DUE: [
          { guard: 'autorestartDue', target: 'STARTING', actions: spawning('EXITED') },
          { guard: 'groupRestartDue', actions: raise({ type: 'START' }) },
        ],
        START: [{ guard: 'strategyRestartDelayed', actions: 'delayRestart' }, ...gatedStart('EXITED')],
        GIVE_UP: { target: 'FATAL', actions: giveUp('EXITED') },
      },
    },
    FATAL: {
      entry: 'release',
      always: deferredStart('FATAL'),
      on: { START: gatedStart('FATAL') },
    },
    // supervisord would crash on this exit (an assertion in finish()); we settle it:
    // STOPPED if a stop was asked for, else EXITED like an exit from RUNNING.
    UNKNOWN: {
      on: {
        EXITED: [
          { guard: 'administrativeStop', target: 'STOPPED', actions: stoppedFrom('UNKNOWN') },
          { target: 'EXITED', actions: exitedFrom('UNKNOWN') },
        ],
      },
    },
  },
});

export type ProcessMachine = typeof processMachine;
