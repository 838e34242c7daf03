// statevisor.* over the running actor tree. restartProcess is the daemon's half of
// `statevisorctl rolling-restart`: the client sequences the processes, the daemon makes
// each restart whole, so a client that goes away mid-call never leaves a process down.
import { waitFor } from 'xstate';
import { Faults, RpcFault } from '../faults.ts';
import type { StatevisorApi } from '../rpc/statevisor-namespace.ts';
import type { SupervisorApi } from '../rpc/supervisor-api.ts';
import { isRunning, isStopped, type ProcessStateName } from '../states.ts';
import { stateOf, type ActorTree } from './api-tree.ts';

type Snapshot = { value: ProcessStateName };

export class DaemonStatevisorApi implements StatevisorApi {
  constructor(private readonly tree: ActorTree, private readonly supervisor: SupervisorApi) {}

  async restartProcess(name: string): Promise<boolean> {
    const p = this.tree.process(name);
    // stopProcess and startProcess as supervisor.* runs them, faults and all; a process
    // that stopped by itself in between is not running, which is what the stop was for.
    if (isRunning(stateOf(p.actor))) {
      try {
        await this.supervisor.stopProcess(name, true);
      } catch (e) {
        if (!(e instanceof RpcFault) || e.faultCode !== Faults.NOT_RUNNING) throw e;
      }
    }
    await this.supervisor.startProcess(name, false);
    // Unlike startProcess(wait=true), a BACKOFF is no failure yet: it may still come up.
    const end = await waitFor(p.actor, (s: Snapshot) => s.value === 'RUNNING' || isStopped(s.value), { timeout: Infinity }).then(
      (s: Snapshot) => s,
      // The actor itself went away (its group removed meanwhile).
      () => null,
    );
    if (end?.value === 'RUNNING') return true;
    // Gave up (FATAL, whatever its last try's spawnerr), stopped by someone else, or gone.
    throw new RpcFault(Faults.ABNORMAL_TERMINATION, name);
  }
}
