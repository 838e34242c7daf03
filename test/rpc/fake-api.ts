// A small SupervisorApi for the RPC and HTTP tests: two processes in canned states, calls
// recorded, and hooks a test can swap in (a slow method, a throwing one).
import { Faults, RpcFault } from '../../src/faults.ts';
import type { ConfigInfo, ProcessInfo, ProcessResult, TailResult } from '../../src/client/wire.ts';
import type { SupervisorApi } from '../../src/rpc/supervisor-api.ts';
import type { ProcessStateCode, ProcessStateName } from '../../src/states.ts';

export const info = (name: string, group: string, state: ProcessStateCode, statename: ProcessStateName, pid = 0): ProcessInfo => ({
  name,
  group,
  start: pid ? 1_700_000_000 : 0,
  stop: 0,
  now: 1_700_000_060,
  state,
  statename,
  spawnerr: '',
  exitstatus: 0,
  logfile: `/tmp/${name}.log`,
  stdout_logfile: `/tmp/${name}.log`,
  stderr_logfile: '',
  pid,
  description: pid ? `pid ${pid}, uptime 0:01:00` : 'Not started',
});

export class FakeApi implements SupervisorApi {
  readonly calls: string[] = [];
  readonly processes = [info('cat', 'cat', 20, 'RUNNING', 4242), info('web_00', 'web', 0, 'STOPPED')];
  /** Replaces getPID's answer: a test can make it slow or throw. */
  pid: () => Promise<number> | number = () => 4242;

  private find(name: string): ProcessInfo {
    const [group, proc] = name.includes(':') ? name.split(':', 2) : [name, name];
    const p = this.processes.find((x) => x.group === group && x.name === proc);
    if (!p) throw new RpcFault(Faults.BAD_NAME, name);
    return p;
  }
  private result(p: ProcessInfo): ProcessResult {
    return { name: p.name, group: p.group, status: Faults.SUCCESS, description: 'OK' };
  }

  getAPIVersion() { this.calls.push('getAPIVersion'); return '3.0'; }
  getSupervisorVersion() { return '4.2.5'; }
  getIdentification() { return 'supervisor'; }
  getState() { return { statecode: 1, statename: 'RUNNING' }; }
  getPID() { this.calls.push('getPID'); return this.pid(); }
  readLog(offset: number, length: number) {
    if ((offset < 0 && length !== 0) || (offset >= 0 && length < 0)) throw new RpcFault(Faults.BAD_ARGUMENTS);
    return `log ${offset} ${length}`;
  }
  clearLog() { return true; }
  shutdown() { this.calls.push('shutdown'); return true; }
  restart() { return true; }
  reloadConfig(): [[string[], string[], string[]]] { return [[['new'], [], ['old']]]; }
  addProcessGroup(name: string): boolean { throw new RpcFault(Faults.BAD_NAME, name); }
  removeProcessGroup(name: string): boolean { throw new RpcFault(Faults.BAD_NAME, name); }
  async startProcess(name: string, wait: boolean) {
    this.calls.push(`startProcess ${name} ${wait}`);
    if (this.find(name).state === 20) throw new RpcFault(Faults.ALREADY_STARTED, name);
    return true;
  }
  startProcessGroup(name: string, wait: boolean) { this.calls.push(`startProcessGroup ${name} ${wait}`); return this.processes.filter((p) => p.group === name).map((p) => this.result(p)); }
  startAllProcesses(wait: boolean) { this.calls.push(`startAllProcesses ${wait}`); return this.processes.map((p) => this.result(p)); }
  stopProcess(name: string, wait: boolean) { this.calls.push(`stopProcess ${name} ${wait}`); this.find(name); return true; }
  stopProcessGroup(name: string) { return this.processes.filter((p) => p.group === name).map((p) => this.result(p)); }
  stopAllProcesses() { return this.processes.map((p) => this.result(p)); }
  signalProcess(name: string, signal: string | number) { this.calls.push(`signalProcess ${name} ${typeof signal} ${signal}`); this.find(name); return true; }
  signalProcessGroup(name: string, signal: string | number) { this.calls.push(`signalProcessGroup ${name} ${signal}`); return []; }
  signalAllProcesses(signal: string | number) { this.calls.push(`signalAllProcesses ${signal}`); return []; }
  getAllConfigInfo(): ConfigInfo[] { return []; }
  getProcessInfo(name: string) { return this.find(name); }
  getAllProcessInfo() { return this.processes; }
  readProcessStdoutLog(name: string, offset: number, length: number) { this.find(name); return `out ${offset} ${length}`; }
  readProcessStderrLog(name: string) { this.find(name); return ''; }
  tailProcessStdoutLog(name: string, offset: number, length: number): TailResult { this.find(name); return ['tail', offset + length, false]; }
  tailProcessStderrLog(name: string): TailResult { this.find(name); return ['', 0, false]; }
  clearProcessLogs(name: string) { this.find(name); return true; }
  clearAllProcessLogs() { return this.processes.map((p) => this.result(p)); }
  sendProcessStdin(name: string, chars: string) { this.calls.push(`sendProcessStdin ${name} ${JSON.stringify(chars)}`); this.find(name); return true; }
  sendRemoteCommEvent(type: string, data: string) { this.calls.push(`sendRemoteCommEvent ${type} ${data}`); return true; }
}
