// A daemon for the listeners' unit tests: a fixed process table, stop/start calls
// recorded, and a fault on demand.
import type { ProcessControl, ProcessInfo } from '../../listeners/protocol.ts';
import { Faults, RpcFault } from '../../src/faults.ts';
import { ProcessStates, type ProcessStateName } from '../../src/states.ts';

export const NOW = 1_800_000_000;

export function info(group: string, name: string, state: ProcessStateName, upSeconds = 600, pid = state === 'RUNNING' ? 100 : 0): ProcessInfo {
  return {
    name, group, start: NOW - upSeconds, stop: 0, now: NOW, state: ProcessStates[state], statename: state, spawnerr: '',
    exitstatus: 0, logfile: '', stdout_logfile: '', stderr_logfile: '', pid, description: '',
  };
}

export class FakeDaemon implements ProcessControl {
  calls: string[] = [];

  constructor(private readonly infos: ProcessInfo[], private readonly failing?: 'stop' | 'start') {}

  async getAllProcessInfo(): Promise<ProcessInfo[]> {
    return this.infos;
  }

  async getProcessInfo(spec: string): Promise<ProcessInfo> {
    const found = this.infos.find((i) => `${i.group}:${i.name}` === spec || i.name === spec);
    if (!found) throw new RpcFault(Faults.BAD_NAME, spec);
    return found;
  }

  async startProcess(spec: string): Promise<boolean> {
    this.calls.push(`start ${spec}`);
    if (this.failing === 'start') throw new RpcFault(Faults.SPAWN_ERROR, spec);
    return true;
  }

  async stopProcess(spec: string): Promise<boolean> {
    this.calls.push(`stop ${spec}`);
    if (this.failing === 'stop') throw new RpcFault(Faults.NOT_RUNNING, spec);
    return true;
  }
}
