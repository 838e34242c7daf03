// supervisor.* over the running actor tree: supervisor 4.2.5's SupervisorNamespaceRPCInterface
// (rpcinterface.py) method by method, same checks in the same order, same fault texts.
// Deferred methods (wait=true) await the process actors' snapshots instead of polling.
import { existsSync } from 'node:fs';
import { waitFor, type AnyActorRef } from 'xstate';
import { diffGroups } from '../config/diff.ts';
import type { Config, GroupConfig } from '../config/types.ts';
import { remoteCommunicationEvent, type BusEvent } from '../events/event.ts';
import { signalNumber } from '../config/datatypes.ts';
import { Faults, RpcFault } from '../faults.ts';
import type { MainLog } from '../logs/main-log.ts';
import type { ConfigInfo, ProcessInfo, ProcessResult, ReloadResult, StateInfo, TailResult } from '../client/wire.ts';
import { splitNamespec } from '../client/namespec.ts';
import type { SupervisorApi } from '../rpc/supervisor-api.ts';
import { resolveCommand } from '../runtime/command.ts';
import { SpawnError } from '../runtime/errors.ts';
import { isRunning, isSignallable, isStopped, SupervisorStates, type ProcessStateName } from '../states.ts';
import type { SupervisorCommand } from '../../machines/supervisor.ts';
import { allfunc, type Step } from './api-all.ts';
import { allConfigInfo } from './api-config.ts';
import { dependentsFirst, startDependencies, stopDependents, type Send } from './api-lifecycle.ts';
import { ProcessInfos } from './api-info.ts';
import { ProcessLogFiles } from './api-logs.ts';
import { ActorTree, factsOf, stateOf, type Proc } from './api-tree.ts';
import { readFile } from './api-util.ts';
import type { ProcessLogs } from './process-logs.ts';
import { STDIN_QUEUE_LIMIT, type ProcessStdin } from './process-stdin.ts';
import { StopReports } from './stop-reports.ts';

export interface DaemonApiOptions {
  /** The root supervisor actor of this run. */
  root: AnyActorRef;
  logs: ProcessLogs;
  stdin: ProcessStdin;
  mainLog: MainLog;
  /** [supervisord] logfile and identifier. */
  logfile: string;
  identifier: string;
  /** The parsed configuration's groups (options.process_group_configs) until reloadConfig reads newer ones. */
  configGroups: readonly GroupConfig[];
  /** options.process_config(): the configuration file read again, or why it does not load. */
  reread(): Config | Error;
  /** Hands an event to the listener pools (sendRemoteCommEvent). */
  publish(event: BusEvent): void;
  /** Ask for a shutdown / a restart; both act after the reply. */
  shutdown(): void;
  restart(): void;
}

const names = (groups: readonly GroupConfig[]): string[] => groups.map((g) => g.name);
const notRunning = (p: Proc): boolean => !isRunning(stateOf(p.actor));
const running = (p: Proc): boolean => isRunning(stateOf(p.actor));
const signallable = (p: Proc): boolean => isSignallable(stateOf(p.actor));

export class DaemonApi implements SupervisorApi {
  private readonly tree: ActorTree;
  private readonly infos: ProcessInfos;
  private readonly logFiles: ProcessLogFiles;
  private configGroups: readonly GroupConfig[];

  constructor(private readonly o: DaemonApiOptions) {
    this.tree = new ActorTree(o.root);
    this.infos = new ProcessInfos(this.tree, o.logs);
    this.logFiles = new ProcessLogFiles(this.tree, o.logs);
    this.configGroups = o.configGroups;
  }

  getAPIVersion(): string { return '3.0'; }
  getSupervisorVersion(): string { return '4.2.5'; }
  getIdentification(): string { return this.o.identifier; }
  getState(): StateInfo {
    const mood = this.tree.ctx.mood;
    return { statecode: SupervisorStates[mood], statename: mood };
  }
  getPID(): number { return process.pid; }

  readLog(offset: number, length: number): Promise<string> {
    const logfile = this.o.logfile;
    if (!existsSync(logfile)) throw new RpcFault(Faults.NO_FILE, logfile);
    return readFile(logfile, offset, length);
  }

  async clearLog(): Promise<boolean> {
    const logfile = this.o.logfile;
    if (!existsSync(logfile)) throw new RpcFault(Faults.NO_FILE);
    try {
      await this.o.mainLog.clear(logfile);
    } catch {
      throw new RpcFault(Faults.FAILED);
    }
    return true;
  }

  shutdown(): boolean { this.o.shutdown(); return true; }
  restart(): boolean { this.o.restart(); return true; }

  /** Reads the file again and keeps its groups for addProcessGroup; the running tree is untouched. */
  reloadConfig(): ReloadResult {
    const loaded = this.o.reread();
    if (loaded instanceof Error) throw new RpcFault(Faults.CANT_REREAD, loaded.message);
    this.configGroups = loaded.groups;
    const { order, configs } = this.tree.ctx;
    const { added, changed, removed } = diffGroups(loaded.groups, order.map((g) => configs[g]), (g, p, ch) => this.o.logs.logfile(g, p, ch));
    return [[names(added), names(changed), names(removed)]];
  }

  addProcessGroup(name: string): boolean {
    const config = this.configGroups.find((g) => g.name === name);
    if (!config) throw new RpcFault(Faults.BAD_NAME, name);
    if (this.tree.group(name)) throw new RpcFault(Faults.ALREADY_ADDED, name);
    this.o.logs.register(config);
    this.o.root.send({ type: 'ADD_GROUP', config } satisfies SupervisorCommand);
    return true;
  }

  removeProcessGroup(name: string): boolean {
    const group = this.tree.requireGroup(name);
    if (this.tree.members(group).some((p) => !isStopped(stateOf(p.actor)))) throw new RpcFault(Faults.STILL_RUNNING, name);
    this.o.root.send({ type: 'REMOVE_GROUP', name } satisfies SupervisorCommand);
    this.o.logs.forget(group);
    return true;
  }

  /** On Python 3 the `unicode` check never matches: type and data go into the payload as given. */
  sendRemoteCommEvent(type: string, data: string): boolean {
    this.o.publish(remoteCommunicationEvent(type, data));
    return true;
  }

  getAllConfigInfo(): ConfigInfo[] {
    return allConfigInfo(this.configGroups, this.tree.ctx.configs, this.o.logs);
  }

  /** startProcess up to its deferred part: true, or the promise onwait stands for. Throws its faults. */
  private beginStart(name: string, p: Proc, wait: boolean): Step {
    try {
      resolveCommand(p.config.command, p.config.environment, process.env.PATH);
    } catch (e) {
      if (e instanceof SpawnError) throw new RpcFault(e.kind === 'NotFound' ? Faults.NO_FILE : Faults.NOT_EXECUTABLE, e.message);
      throw e;
    }
    const state = stateOf(p.actor);
    if (isRunning(state)) throw new RpcFault(Faults.ALREADY_STARTED, name);
    if (state === 'UNKNOWN') throw new RpcFault(Faults.FAILED, `${name} is in an unknown process state`);
    startDependencies(p, this.tree.dependencies(), this.tree.all(), this.send);
    this.tree.command(p, { type: 'START' });
    if (factsOf(p.actor).spawnerr) throw new RpcFault(Faults.SPAWN_ERROR, name);
    if (!wait || stateOf(p.actor) === 'RUNNING') return true;
    // A start waiting for its dependencies (wantStart) is still under way.
    return waitFor(p.actor, (s) => !!s.context.spawnerr || (s.value !== 'STARTING' && !s.context.wantStart), { timeout: Infinity }).then((s) => {
      if (s.context.spawnerr) throw new RpcFault(Faults.SPAWN_ERROR, name);
      const st = s.value as ProcessStateName;
      if (st !== 'STARTING' && st !== 'RUNNING') throw new RpcFault(Faults.ABNORMAL_TERMINATION, name);
      return true as const;
    });
  }

  private readonly send: Send = (p, command) => this.tree.command(p, command);
  private readonly stopReports = new StopReports();

  private beginStop(name: string, p: Proc, wait: boolean): Step {
    if (!isRunning(stateOf(p.actor))) throw new RpcFault(Faults.NOT_RUNNING, name);
    const first = stopDependents(p, this.tree.dependencies(), this.tree.all(), this.send);
    if (!first) return this.stopNow(p, wait);
    // depends_on: the dependents are down first; a process that stopped meanwhile stays so.
    const done = first.then(() => (isRunning(stateOf(p.actor)) ? this.stopNow(p, wait) : true as const));
    return wait ? done : true;
  }

  private stopNow(p: Proc, wait: boolean): Step {
    this.tree.command(p, { type: 'STOP', wait });
    if (!wait || isStopped(stateOf(p.actor))) return true;
    const done = this.stopReports.watch(p.actor);
    return waitFor(p.actor, (s) => isStopped(s.value as ProcessStateName), { timeout: Infinity }).then(() => (done(), true as const));
  }

  private beginSignal(name: string, p: Proc, signal: string | number): Step {
    let sig: number;
    try {
      sig = signalNumber(String(signal));
    } catch {
      throw new RpcFault(Faults.BAD_SIGNAL, signal);
    }
    if (!isSignallable(stateOf(p.actor))) throw new RpcFault(Faults.NOT_RUNNING, name);
    this.tree.command(p, { type: 'SIGNAL', signal: sig });
    return true;
  }

  async startProcess(name: string, wait: boolean): Promise<boolean | ProcessResult[]> {
    const { process: p } = this.tree.resolve(name);
    if (!p) return this.startProcessGroup(splitNamespec(name)[0], wait);
    return this.beginStart(name, p, wait);
  }

  startProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]> {
    return allfunc(this.tree.members(this.tree.requireGroup(name)), notRunning, (n, p) => this.beginStart(n, p, wait));
  }

  startAllProcesses(wait: boolean): Promise<ProcessResult[]> {
    return allfunc(this.tree.all(), notRunning, (n, p) => this.beginStart(n, p, wait));
  }

  async stopProcess(name: string, wait: boolean): Promise<boolean | ProcessResult[]> {
    const { process: p } = this.tree.resolve(name);
    if (!p) return this.stopProcessGroup(splitNamespec(name)[0], wait);
    return this.beginStop(name, p, wait);
  }

  stopProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]> {
    return allfunc(dependentsFirst(this.tree.members(this.tree.requireGroup(name)), this.tree.dependencies()), running, (n, p) => this.beginStop(n, p, wait));
  }

  stopAllProcesses(wait: boolean): Promise<ProcessResult[]> {
    return allfunc(dependentsFirst(this.tree.all(), this.tree.dependencies()), running, (n, p) => this.beginStop(n, p, wait));
  }

  async signalProcess(name: string, signal: string | number): Promise<boolean | ProcessResult[]> {
    const { process: p } = this.tree.resolve(name);
    if (!p) return this.signalProcessGroup(splitNamespec(name)[0], signal);
    return this.beginSignal(name, p, signal);
  }

  signalProcessGroup(name: string, signal: string | number): Promise<ProcessResult[]> {
    return allfunc(this.tree.members(this.tree.requireGroup(name)), signallable, (n, p) => this.beginSignal(n, p, signal));
  }

  signalAllProcesses(signal: string | number): Promise<ProcessResult[]> {
    return allfunc(this.tree.all(), signallable, (n, p) => this.beginSignal(n, p, signal));
  }

  getProcessInfo(name: string): ProcessInfo { return this.infos.one(this.tree.process(name)); }
  getAllProcessInfo(): readonly ProcessInfo[] { return this.infos.list(); }

  readProcessStdoutLog(name: string, offset: number, length: number): Promise<string> { return this.logFiles.read(name, offset, length, 'stdout'); }
  readProcessStderrLog(name: string, offset: number, length: number): Promise<string> { return this.logFiles.read(name, offset, length, 'stderr'); }
  tailProcessStdoutLog(name: string, offset: number, length: number): Promise<TailResult> { return this.logFiles.tail(name, offset, length, 'stdout'); }
  tailProcessStderrLog(name: string, offset: number, length: number): Promise<TailResult> { return this.logFiles.tail(name, offset, length, 'stderr'); }
  clearProcessLogs(name: string): Promise<boolean> { return this.logFiles.clear(name); }
  clearAllProcessLogs(): Promise<ProcessResult[]> { return this.logFiles.clearAll(); }

  /** A stdin the child has closed answers NO_FILE once the daemon has seen the EPIPE. */
  sendProcessStdin(name: string, chars: string): boolean {
    const p = this.tree.process(name);
    if (!factsOf(p.actor).pid || stateOf(p.actor) === 'STOPPING') throw new RpcFault(Faults.NOT_RUNNING, name);
    const written = this.o.stdin.write(p.group.name, p.config.name, chars);
    if (written === 'closed') throw new RpcFault(Faults.NO_FILE, name);
    if (written !== 'ok') throw new RpcFault(Faults.FAILED, `${name}: its stdin holds ${written.full} bytes it has not read, the most is ${STDIN_QUEUE_LIMIT}`);
    return true;
  }
}
