// What the page's buttons and supervisor's own action URLs do: web.py's
// StatusView.make_callback, over the same supervisor.* methods the XML-RPC clients call,
// answering with its messages word for word (`Process x stopped`, `ERROR: Process x: spawn
// error`, `All restarted at <ctime>` …).
import { Faults, RpcFault } from '../faults.ts';
import type { SupervisorApi } from '../rpc/supervisor-api.ts';
import type { ActionRequest, ActionResult } from './types.ts';

export const ACTIONS: readonly ActionRequest['action'][] = ['start', 'stop', 'restart', 'clearlog', 'startall', 'stopall', 'restartall'];

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** time.ctime(): `Fri Nov 27 09:43:19 2026`, the day of month padded with a space. */
export function ctime(d = new Date()): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}`;
}

const unexpected = (e: RpcFault) => `unexpected rpc fault [${e.faultCode}] ${e.faultString}`;

const START_ERRORS: Record<number, string> = {
  [Faults.NO_FILE]: 'no such file',
  [Faults.NOT_EXECUTABLE]: 'file not executable',
  [Faults.ALREADY_STARTED]: 'already started',
  [Faults.SPAWN_ERROR]: 'spawn error',
  [Faults.ABNORMAL_TERMINATION]: 'abnormal termination',
};

/** Runs `f`; an RpcFault becomes the message `onFault` makes of it, anything else is thrown. */
async function faulted(f: () => Promise<unknown> | unknown, ok: string, onFault: (e: RpcFault) => string): Promise<ActionResult> {
  try {
    await f();
    return { message: ok, error: false };
  } catch (e) {
    if (e instanceof RpcFault) return { message: onFault(e), error: true };
    throw e;
  }
}

/** Swallows faults, as system.multicall returns them as results. */
const quietly = async (f: () => Promise<unknown>): Promise<void> => {
  try { await f(); } catch (e) { if (!(e instanceof RpcFault)) throw e; }
};

/**
 * One action, with web.py's message. `refresh` is the page's, kept for supervisor's URLs.
 * Throws for an action web.py does not know (its ValueError: a 500).
 */
export async function runAction(api: SupervisorApi, action: string, name: string | undefined): Promise<ActionResult> {
  switch (action) {
    case 'refresh':
      return { message: `Page refreshed at ${ctime()}`, error: false };
    case 'stopall':
      await api.stopAllProcesses(true);
      return { message: `All stopped at ${ctime()}`, error: false };
    case 'startall':
      await api.startAllProcesses(true);
      return { message: `All started at ${ctime()}`, error: false };
    case 'restartall':
      await quietly(async () => api.stopAllProcesses(true));
      await quietly(async () => api.startAllProcesses(true));
      return { message: `All restarted at ${ctime()}`, error: false };
  }
  if (!name) throw new Error(`unknown action ${action}`);
  if (!['start', 'stop', 'restart', 'clearlog'].includes(action)) throw new Error(`unknown action ${action}`);
  try {
    api.getProcessInfo(name);
  } catch (e) {
    if (e instanceof RpcFault && e.faultCode === Faults.BAD_NAME) return { message: `No such process named ${name}`, error: true };
    throw e;
  }
  switch (action) {
    case 'start':
      return faulted(() => api.startProcess(name, true), `Process ${name} started`, (e) => `ERROR: Process ${name}: ${START_ERRORS[e.faultCode] ?? unexpected(e)}`);
    case 'stop':
      return faulted(() => api.stopProcess(name, true), `Process ${name} stopped`, unexpected);
    case 'restart':
      await quietly(async () => api.stopProcess(name, true));
      await quietly(async () => api.startProcess(name, true));
      return { message: `Process ${name} restarted`, error: false };
    default:
      return faulted(() => api.clearProcessLogs(name), `Log for ${name} cleared`, unexpected);
  }
}
