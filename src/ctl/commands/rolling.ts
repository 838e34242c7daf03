// rolling-restart: statevisor's own command (issue #456 of supervisor, pm2's reload). One
// process at a time through statevisor.restartProcess, which returns once the process is
// RUNNING again; the first failure ends the run. The daemon makes each restart whole, so
// a client stopped mid-run (Ctrl-C, a lost session) leaves every process up, the rest
// simply not restarted; running the command again starts over.
import { Faults, RpcFault } from '../../faults.ts';
import { makeNamespec } from '../../client/namespec.ts';
import type { ProcessInfo } from '../../client/wire.ts';
import { Exit } from '../exit-codes.ts';
import { processesNamed, requireNames, type Command } from './command.ts';

/** The namespecs `names` stand for, in getAllProcessInfo's order within each, each once; and the error line of each name that matches nothing. */
export function expandNames(names: readonly string[], infos: readonly ProcessInfo[]): { namespecs: string[]; errors: string[] } {
  const namespecs = new Set<string>();
  const errors: string[] = [];
  for (const name of names) {
    const found = name === 'all' ? infos : processesNamed(name, infos);
    if (typeof found === 'string') errors.push(found);
    else for (const i of found) namespecs.add(makeNamespec(i.group, i.name));
  }
  return { namespecs: [...namespecs], errors };
}

/** Why a restart failed, in start's words where start has them. */
function failure(e: RpcFault): string {
  switch (e.faultCode) {
    case Faults.BAD_NAME: return 'no such process';
    case Faults.NO_FILE: return 'no such file';
    case Faults.NOT_EXECUTABLE: return 'file is not executable';
    case Faults.SPAWN_ERROR: return 'spawn error';
    case Faults.ABNORMAL_TERMINATION: return 'abnormal termination';
    case Faults.UNKNOWN_METHOD: return 'the server has no statevisor.restartProcess: is it supervisord?';
  }
  return e.faultString;
}

export const rollingRestart: Command = {
  async run(ctl, arg) {
    const names = await requireNames(ctl, 'rolling-restart', rollingRestart, arg, Exit.INVALID_ARGS);
    if (!names) return;
    const { namespecs, errors } = expandNames(names, await ctl.supervisor<ProcessInfo[]>('getAllProcessInfo'));
    if (errors.length) {
      // Nothing is touched until every name is known.
      for (const line of errors) ctl.output(line);
      ctl.exitstatus = Exit.INVALID_ARGS;
      return;
    }
    for (const [i, namespec] of namespecs.entries()) {
      try {
        await ctl.statevisor('restartProcess', namespec);
      } catch (e) {
        if (!(e instanceof RpcFault)) throw e;
        ctl.output(`${namespec}: ERROR (${failure(e)})`);
        ctl.setExitFromFault(e.faultCode);
        if (e.faultCode === Faults.UNKNOWN_METHOD) ctl.exitstatus = Exit.UNIMPLEMENTED_FEATURE;
        const rest = namespecs.slice(i + 1);
        ctl.output(`rolling-restart: stopped at ${namespec}${rest.length ? `; not restarted: ${rest.join(' ')}` : ''}`);
        return;
      }
      ctl.output(`${namespec}: restarted`);
    }
  },
  help: 'rolling-restart <name> <name>\tRestart processes one at a time\nrolling-restart <gname>:*\tRestart a group one process at a time\nrolling-restart all\t\tRestart every process one at a time\nEach must be RUNNING again before the next is stopped; the first that\nfails to come back ends the run (exit status 7).',
};
