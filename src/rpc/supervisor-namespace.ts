// supervisor.* method names → SupervisorApi, with supervisor's parameter lists (from its
// docstrings' @param tags), defaults (`wait=True`), aliases and SHUTDOWN_STATE gates.
import { Faults, RpcFault } from '../faults.ts';
import { defineMethod, type Gate, type MethodDef, type Namespace } from './dispatcher.ts';
import { SUPERVISOR_DOCS } from './docstrings.ts';
import { param, type ArgsOf, type Param } from './params.ts';
import { pyStr } from './pystr.ts';
import type { SupervisorApi } from './supervisor-api.ts';
import type { Awaitable, XmlRpcValue } from './types.ts';

const name = param.string('name');
const offset = param.int('offset');
const length = param.int('length');
const wait = param.boolean('wait', true);
const signal = param.signal('signal');

/** The names supervisor publishes twice; each alias shares its target's docstring. */
export const SUPERVISOR_ALIASES: Readonly<Record<string, keyof SupervisorApi>> = {
  getVersion: 'getAPIVersion',
  readMainLog: 'readLog',
  readProcessLog: 'readProcessStdoutLog',
  tailProcessLog: 'tailProcessStdoutLog',
  clearProcessLog: 'clearProcessLogs',
};

export function supervisorNamespace(api: SupervisorApi): Namespace {
  const methods = new Map<string, MethodDef>();
  const add = <const P extends readonly Param[]>(
    method: keyof SupervisorApi,
    params: P,
    impl: (...args: ArgsOf<P>) => Awaitable<XmlRpcValue>,
    gate: Gate = 'before',
  ): void => {
    methods.set(method, defineMethod(params, SUPERVISOR_DOCS[method]!, impl, gate));
  };

  add('getAPIVersion', [], () => api.getAPIVersion());
  add('getSupervisorVersion', [], () => api.getSupervisorVersion());
  add('getIdentification', [], () => api.getIdentification());
  add('getState', [], () => api.getState());
  add('getPID', [], () => api.getPID());
  add('readLog', [offset, length], (o, l) => api.readLog(o, l));
  add('clearLog', [], () => api.clearLog());
  add('shutdown', [], () => api.shutdown());
  add('restart', [], () => api.restart());
  add('reloadConfig', [], () => api.reloadConfig());
  add('addProcessGroup', [name], (n) => api.addProcessGroup(n));
  add('removeProcessGroup', [name], (n) => api.removeProcessGroup(n));
  add('startProcess', [name, wait], (n, w) => api.startProcess(n, w));
  add('startProcessGroup', [name, wait], (n, w) => api.startProcessGroup(n, w));
  add('startAllProcesses', [wait], (w) => api.startAllProcesses(w));
  add('stopProcess', [name, wait], (n, w) => api.stopProcess(n, w));
  add('stopProcessGroup', [name, wait], (n, w) => api.stopProcessGroup(n, w));
  add('stopAllProcesses', [wait], (w) => api.stopAllProcesses(w));
  add('signalProcess', [name, signal], (n, s) => api.signalProcess(n, s));
  // supervisor checks the mood of the group call before and after signalling, and that
  // of the all-process call only after: its signals go out even during a shutdown.
  add('signalProcessGroup', [name, signal], (n, s) => api.signalProcessGroup(n, s), 'both');
  add('signalAllProcesses', [signal], (s) => api.signalAllProcesses(s), 'after');
  add('getAllConfigInfo', [], () => api.getAllConfigInfo());
  add('getProcessInfo', [name], (n) => api.getProcessInfo(n));
  add('getAllProcessInfo', [], () => api.getAllProcessInfo());
  add('readProcessStdoutLog', [name, offset, length], (n, o, l) => api.readProcessStdoutLog(n, o, l));
  add('readProcessStderrLog', [name, offset, length], (n, o, l) => api.readProcessStderrLog(n, o, l));
  add('tailProcessStdoutLog', [name, offset, length], (n, o, l) => api.tailProcessStdoutLog(n, o, l));
  add('tailProcessStderrLog', [name, offset, length], (n, o, l) => api.tailProcessStderrLog(n, o, l));
  add('clearProcessLogs', [name], (n) => api.clearProcessLogs(n));
  add('clearAllProcessLogs', [], () => api.clearAllProcessLogs());
  // supervisor tests chars before it looks at the name, and names the bad value.
  add('sendProcessStdin', [param.any('name'), param.any('chars')], (n, chars) => {
    if (typeof chars !== 'string') throw new RpcFault(Faults.INCORRECT_PARAMETERS, pyStr(chars));
    if (typeof n !== 'string') throw new RpcFault(Faults.INCORRECT_PARAMETERS);
    return api.sendProcessStdin(n, chars);
  });
  add('sendRemoteCommEvent', [param.text('type'), param.text('data')], (t, d) => api.sendRemoteCommEvent(t, d), 'none');

  for (const [alias, target] of Object.entries(SUPERVISOR_ALIASES)) methods.set(alias, methods.get(target)!);
  return methods;
}
