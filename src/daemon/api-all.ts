// supervisor's make_allfunc: act on every process the predicate takes, in order; a fault
// becomes that process's result at once, an immediate success is `OK` at once, and a
// deferred one (wait) adds its result when it completes, in completion order.
import { Faults, RpcFault } from '../faults.ts';
import type { ProcessResult } from '../client/wire.ts';

/** One process's action: done now, or a promise for when it is done (it may reject with a fault). */
export type Step = true | Promise<true>;

type Target = { group: { name: string }; config: { name: string } };

export async function allfunc<P extends Target>(procs: readonly P[], predicate: (p: P) => boolean, act: (namespec: string, p: P) => Step): Promise<ProcessResult[]> {
  const results: ProcessResult[] = [];
  const ok = (p: P): ProcessResult => ({ name: p.config.name, group: p.group.name, status: Faults.SUCCESS, description: 'OK' });
  const fault = (p: P, e: unknown): ProcessResult => {
    if (!(e instanceof RpcFault)) throw e;
    // supervisor's RPCError.text: `NAME: extra`, the same as the fault string
    return { name: p.config.name, group: p.group.name, status: e.faultCode, description: e.faultString };
  };
  const pending: Promise<void>[] = [];
  for (const p of procs) {
    if (!predicate(p)) continue;
    let step: Step;
    try {
      step = act(p.group.name === p.config.name ? p.config.name : `${p.group.name}:${p.config.name}`, p);
    } catch (e) {
      results.push(fault(p, e));
      continue;
    }
    if (step === true) results.push(ok(p));
    else pending.push(step.then(() => void results.push(ok(p)), (e: unknown) => void results.push(fault(p, e))));
  }
  await Promise.all(pending);
  return results;
}
