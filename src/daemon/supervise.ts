// One run of supervisord's runforever(): the actor tree for one configuration, driven by
// signals, until it shuts down or restarts. The machines decide; this file wires them to
// the runtime, the main log and the process's signals.
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import { groupMachine } from '../../machines/group.ts';
import { processMachine } from '../../machines/process.ts';
import { supervisorMachine } from '../../machines/supervisor.ts';
import type { Emitted } from '../../machines/emitted.ts';
import type { Config } from '../config/types.ts';
import type { EventBus } from '../events/bus.ts';
import { EventSystem } from '../events/system.ts';
import type { MainLog } from '../logs/main-log.ts';
import { healthMachine, readinessMachine } from '../../machines/checks.ts';
import { childActor } from '../runtime/child-actor.ts';
import { probeActor } from '../runtime/checks/probes.ts';
import { ReadySignals } from '../runtime/checks/signals.ts';
import type { ChildExit } from '../runtime/child.ts';
import { TimerIndex } from '../runtime/timers.ts';
import type { DaemonContext } from '../runtime/environment.ts';
import { signame } from '../states.ts';
import { InspectionFanOut } from '../web/watch.ts';
import { makeDispatcher, rpcInterfaceNames } from '../rpc/rpc.ts';
import { DaemonApi } from './api.ts';
import { splitNamespec } from '../client/namespec.ts';
import { DaemonStatevisorApi } from './api-statevisor.ts';
import { ActorTree } from './api-tree.ts';
import { EmitGate } from './emit-gate.ts';
import { ExitOnWatch } from './exit-on.ts';
import { growFdTable } from './fd-table.ts';
import type { DaemonMetrics } from './metrics.ts';
import { processSamples } from './metrics-source.ts';
import { ProcessLogs, type OutputEvents } from './process-logs.ts';
import { ProcessStdin } from './process-stdin.ts';
import { MemorySettler } from './settle-memory.ts';
import { notReady } from './readiness.ts';
import type { SignalQueue } from './signals.ts';
import { stackOf } from '../util/stack.ts';

/** A configuration as the daemon holds it (the composition root keeps more beside it). */
export interface Loaded {
  config: Config;
}

export interface SuperviseOptions<R extends Loaded> {
  config: Config;
  mainLog: MainLog;
  daemon: DaemonContext;
  /** The configuration file read again (SIGHUP, reloadConfig), or the error that keeps the current one. */
  reread: () => R | Error;
  signals: SignalQueue;
  /** The event bus, which outlives runs (its global serial does, as supervisor's). */
  bus: EventBus;
  /** /metrics, which outlives runs as the bus does. */
  metrics: DaemonMetrics;
  /** Sees the actor system's inspection events (statevisord --inspect). */
  inspect?: Observer<InspectionEvent>;
  /** Runs once the HTTP servers listen, before any process starts (supervisord writes its pidfile there). */
  beforeStart?: () => void;
}

export interface RunOutcome<R extends Loaded> {
  restart: boolean;
  /** The configuration the next run starts with (after a reload). */
  next: R | null;
  /** The daemon's exit status: 0, or what exit_on asked for. */
  exitStatus: number;
}

const EXIT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT'];
const SIGNUM: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15, SIGUSR2: 12 };

export async function supervise<R extends Loaded>(o: SuperviseOptions<R>): Promise<RunOutcome<R>> {
  const inspection = new InspectionFanOut(o.inspect);
  const events = new EventSystem({
    // Without --inspect the listeners are watched only while a web page is (inspectTree below).
    inspect: o.inspect ? inspection : undefined,
    bus: o.bus, identifier: o.config.supervisord.identifier, log: (level, message) => o.mainLog.log(level, message),
    // Every group is registered with the logs before the tree makes it (addProcessGroup too).
    poolConfig: (name) => logs.pool(name),
  });
  // Held events are handled before anything else is told: a main-log line, a bus event.
  const gate = new EmitGate((e) => onEmitted(e));
  o.mainLog.beforeLog = () => gate.flush();
  const publishNow: OutputEvents['publish'] = (e) => {
    gate.flush();
    events.publish(e);
  };
  const ready = new ReadySignals();
  growFdTable(o.config.groups.reduce((n, g) => n + g.processes.length, 0));
  const logs = new ProcessLogs(o.config.supervisord, o.mainLog, { publish: publishNow, attachListener: (...a) => events.attachListener(...a) }, ready);
  // An AUTO file that cannot be made fails the start before anything runs, as in
  // supervisord; one of those made in the background that fails once programs run
  // (a full disk) ends the run with status 1.
  let started = false;
  let createFailure: Error | null = null;
  logs.registerAtStart(o.config.groups, (e) => {
    if (!started) return void (createFailure ??= e);
    o.mainLog.critical(`could not create an AUTO child log file: ${e.message}`);
    exitStatus = 1;
    shutdown();
  });
  const stdin = new ProcessStdin();
  let exitStatus = 0;
  const exitOn = new ExitOnWatch({
    exitOn: (group, name) => tree.group(group)?.processes.find((p) => p.name === name)?.statevisor.exit_on ?? null,
    // after the rest of the step, so the log tells of the exit first
    shutdown: (status, reason) => queueMicrotask(() => {
      o.mainLog.critical(reason);
      exitStatus = status;
      shutdown();
    }),
  });
  const onExit = (group: string, name: string, exit: ChildExit) => exitOn.childExited(group, name, exit);
  const settler = new MemorySettler();
  const probe = probeActor(o.daemon);
  const process_ = processMachine.provide({
    actors: {
      child: childActor({ daemon: o.daemon, io: stdin.wrap(logs), onExit, exitStep: (step) => gate.hold(step), spawnStarted: () => gate.spawnStarted(), ready, crit: (m) => o.mainLog.critical(m) }),
      readiness: readinessMachine.provide({ actors: { probe, watch: ready.watch } }),
      health: healthMachine.provide({ actors: { probe } }),
    },
  });
  const machine = supervisorMachine.provide({ actors: { group: groupMachine.provide({ actors: { process: process_ } }) } });
  // Without --inspect nobody observes the tree until a web page opens (startWebUi subscribes
  // then): XState builds no inspection events for a system without observers.
  // Delayed events indexed by actor: each actor's stop then cancels its own without a scan of all.
  const timers = new TimerIndex();
  /** The tree's events, each at the end of the step that caused it (machines/emitted.ts). */
  const onEmitted = (e: Emitted) => {
    // XState calls this inside the step that emitted e: an exception here would leave the
    // actor half-way through its mailbox.
    try {
      if (e.type === 'log') o.mainLog.log(e.level, e.message, e.at);
      events.onEmitted(e);
      if (e.type !== 'state') return;
      o.metrics.stateChanged(e);
      settler.stateChanged(e);
      exitOn.stateChanged(e, stopping);
    } catch (err) {
      o.mainLog.critical(`uncaptured exception handling a ${e.type} event: ${stackOf(err)}`);
    }
  };
  const root = createActor(machine, { input: { groups: o.config.groups, publish: gate.emit }, clock: timers.clock, ...(o.inspect ? { inspect: inspection } : {}) });
  timers.attach(root.system);
  const tree = new ActorTree(root);

  let next: R | null = null;
  let stopping = false;
  const shutdown = () => {
    stopping = true;
    root.send({ type: 'SHUTDOWN' });
  };
  /** A restart re-reads the configuration first: one that does not load keeps this run going. */
  const restart = () => {
    const loaded = o.reread();
    if (loaded instanceof Error) return o.mainLog.error(`not restarting: the configuration does not load: ${loaded.message}`);
    next = loaded;
    stopping = true;
    root.send({ type: 'RESTART' });
  };
  const api = new DaemonApi({
    root, logs, stdin, mainLog: o.mainLog, logfile: o.config.supervisord.logfile, identifier: o.config.supervisord.identifier, configGroups: o.config.groups,
    reread: () => {
      const loaded = o.reread();
      return loaded instanceof Error ? loaded : loaded.config;
    },
    // The reply goes out first, then the tree hears of it, as supervisord's loop does.
    shutdown: () => {
      stopping = true;
      setImmediate(shutdown);
    },
    restart: () => setImmediate(restart),
    publish: publishNow,
  });
  const dispatcher = makeDispatcher({
    supervisor: api,
    statevisor: new DaemonStatevisorApi(new ActorTree(root), api),
    shuttingDown: () => stopping || root.getSnapshot().context.mood !== 'RUNNING',
  });
  const logfileOf = (namespec: string, channel: 'stdout' | 'stderr'): string | null => {
    const [group, name] = splitNamespec(namespec);
    return name === null ? null : logs.logfile(group, name, channel);
  };
  const mainLogfile = o.config.supervisord.logfile;
  const inspectTree = (observer: Observer<InspectionEvent>) => {
    const tree = root.system.inspect(observer);
    const listeners = events.inspectListeners(observer);
    return { unsubscribe: () => (tree.unsubscribe(), listeners()) };
  };
  // node:http (with crypto and dns) and the web page are loaded only for a configuration
  // with an HTTP server: a daemon without one is about 2 MB smaller (bench/README.md).
  const served = await serveHttp(o.config.servers, async () => {
    const { startWebUi } = await import('../web/ui.ts');
    const { startHttpServers } = await import('../http/server.ts');
    const web = startWebUi({ root, api, inspection, inspectTree: o.inspect ? null : inspectTree, outsideActor: (key) => events.listenerActor(key) });
    const servers = await startHttpServers({
      servers: o.config.servers,
      rpc: dispatcher,
      rpcInterfaces: rpcInterfaceNames(dispatcher),
      logger: o.mainLog,
      logtail: { processLog: logfileOf, mainLog: () => (mainLogfile === 'syslog' ? null : mainLogfile) },
      fallback: web.handle,
      ops: { open: o.config.supervisord.statevisor.open_probes, notReady: () => notReady(tree), metrics: () => o.metrics.render() },
    });
    return { web, servers };
  });
  const detachMetrics = o.metrics.attach({
    processes: processSamples(tree),
    pools: () => events.buffered(),
  });
  const onSignal = (sig: NodeJS.Signals) => {
    const name = signame(SIGNUM[sig]);
    if (EXIT_SIGNALS.includes(sig)) {
      o.mainLog.warn(`received ${name} indicating exit request`);
      shutdown();
    } else if (sig === 'SIGHUP') {
      if (stopping) return o.mainLog.warn(`ignored ${name} indicating restart request (shutdown in progress)`);
      o.mainLog.warn(`received ${name} indicating restart request`);
      restart();
    } else if (sig === 'SIGUSR2') {
      o.mainLog.info(`received ${name} indicating log reopen request`);
      void o.mainLog.reopen().then(() => logs.reopen());
    }
  };
  // supervisord runs until it is told to stop, even with nothing left to supervise and no
  // HTTP server configured: hold the event loop open.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let release = () => {};
  try {
    // The run ends when the root reaches `stopped`, every group down. The tree is dropped
    // then, not stopped (see machines/supervisor.ts), unless an inspector watches it end.
    const over = new Promise<boolean>((resolve, reject) => {
      root.subscribe({ next: (snap) => { if (snap.value === 'stopped') resolve(snap.context.mood === 'RESTARTING'); }, error: reject });
    });
    if (createFailure) throw createFailure;
    o.beforeStart?.();
    started = true;
    root.start();
    release = o.signals.consume(onSignal);
    const restart = await over;
    if (o.inspect) root.send({ type: 'FINISH' });
    return { restart, next, exitStatus };
  } finally {
    gate.flush();
    o.mainLog.beforeLog = null;
    clearInterval(keepAlive);
    settler.close();
    detachMetrics();
    events.close();
    release();
    served?.web.close();
    logs.close();
    await served?.servers.close();
  }
}

/**
 * What serves HTTP, started only when the configuration has a server; async either way, so
 * that the run goes on after the same hop as when startHttpServers was always awaited.
 */
async function serveHttp<T>(servers: readonly unknown[], start: () => Promise<T>): Promise<T | null> {
  return servers.length === 0 ? null : start();
}
