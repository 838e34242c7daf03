// The process log methods of supervisor.* (rpcinterface.py): readProcess{Stdout,Stderr}Log,
// tailProcess{Stdout,Stderr}Log, clearProcessLogs and clearAllProcessLogs, over the files
// ProcessLogs names and the outputs it holds open.
import { existsSync } from 'node:fs';
import type { ProcessResult, TailResult } from '../client/wire.ts';
import { Faults, RpcFault } from '../faults.ts';
import { namespecOf, type ActorTree, type Proc } from './api-tree.ts';
import { readFile, tailFile } from './api-util.ts';
import type { ProcessLogs } from './process-logs.ts';

export type Channel = 'stdout' | 'stderr';

export class ProcessLogFiles {
  constructor(private readonly tree: ActorTree, private readonly logs: ProcessLogs) {}

  private logOf(name: string, channel: Channel): string | null {
    const p = this.tree.process(name);
    return this.logs.logfile(p.group.name, p.config.name, channel);
  }

  async read(name: string, offset: number, length: number, channel: Channel): Promise<string> {
    const logfile = this.logOf(name, channel);
    if (logfile === null || !existsSync(logfile)) throw new RpcFault(Faults.NO_FILE, logfile);
    return readFile(logfile, offset, length);
  }

  async tail(name: string, offset: number, length: number, channel: Channel): Promise<TailResult> {
    const logfile = this.logOf(name, channel);
    if (logfile === null || !existsSync(logfile)) return ['', 0, false];
    return tailFile(logfile, offset, length);
  }

  /** Subprocess.removelogs over the live log files; any failure is FAILED: <name>. */
  private async remove(name: string, p: Proc): Promise<void> {
    try {
      for (const ch of ['stdout', 'stderr'] as const) await this.logs.output(p.group.name, p.config.name, ch)?.remove();
    } catch {
      throw new RpcFault(Faults.FAILED, name);
    }
  }

  async clear(name: string): Promise<boolean> {
    await this.remove(name, this.tree.process(name));
    return true;
  }

  async clearAll(): Promise<ProcessResult[]> {
    const results: ProcessResult[] = [];
    for (const p of this.tree.all()) {
      try {
        await this.remove(namespecOf(p), p);
        results.push({ name: p.config.name, group: p.group.name, status: Faults.SUCCESS, description: 'OK' });
      } catch (e) {
        if (!(e instanceof RpcFault)) throw e;
        results.push({ name: p.config.name, group: p.group.name, status: e.faultCode, description: e.faultString });
      }
    }
    return results;
  }
}
