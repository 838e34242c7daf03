// One event on the bus and the payload text of each type, exactly as supervisor's
// events.py renders it. Payloads are rendered when the event is made: supervisor renders
// PROCESS_STATE's values eagerly and the others from values fixed at creation, so the
// text is the same either way.
import type { ProcessStateChange } from '../../machines/emitted.ts';
import { decodeOrRepr as text } from '../logs/output-copy.ts';
import type { ConcreteEventName } from './types.ts';

export class BusEvent {
  /** supervisor's GlobalSerial, given by the first pool that accepts the event; null until then. */
  serial: number | null = null;
  /** Each pool's own serial for it, given the first time that pool accepts it. */
  readonly poolSerials = new Map<string, number>();

  constructor(
    readonly type: ConcreteEventName,
    readonly payload: string,
  ) {}
}

export type OutputChannel = 'stdout' | 'stderr';

/** ProcessStateEvent.payload(): the tokens each subclass's get_extra_values adds. */
export function processStateEvent(e: ProcessStateChange): BusEvent {
  let s = `processname:${e.name} groupname:${e.group} from_state:${e.from}`;
  if (e.to === 'STARTING' || e.to === 'BACKOFF') s += ` tries:${e.tries}`;
  else if (e.to === 'EXITED') s += ` expected:${e.expected ? 1 : 0} pid:${e.pid}`;
  else if (e.to === 'RUNNING' || e.to === 'STOPPING' || e.to === 'STOPPED') s += ` pid:${e.pid}`;
  return new BusEvent(`PROCESS_STATE_${e.to}`, s);
}

/** Who a PROCESS_LOG / PROCESS_COMMUNICATION event is about. */
export interface ProcessRef {
  name: string;
  group: string;
  pid: number;
}

export const processLogEvent = (p: ProcessRef, channel: OutputChannel, data: Uint8Array): BusEvent =>
  new BusEvent(channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR', `processname:${p.name} groupname:${p.group} pid:${p.pid} channel:${channel}\n${text(data)}`);

export const processCommunicationEvent = (p: ProcessRef, channel: OutputChannel, data: Uint8Array): BusEvent =>
  new BusEvent(channel === 'stdout' ? 'PROCESS_COMMUNICATION_STDOUT' : 'PROCESS_COMMUNICATION_STDERR', `processname:${p.name} groupname:${p.group} pid:${p.pid}\n${text(data)}`);

export const remoteCommunicationEvent = (type: string, data: string): BusEvent => new BusEvent('REMOTE_COMMUNICATION', `type:${type}\n${data}`);

export const supervisorStateEvent = (to: 'RUNNING' | 'STOPPING'): BusEvent => new BusEvent(`SUPERVISOR_STATE_CHANGE_${to}`, '');

export type TickPeriod = 5 | 60 | 3600;

export const tickEvent = (period: TickPeriod, when: number): BusEvent => new BusEvent(`TICK_${period}`, `when:${when}`);

export const groupEvent = (change: 'ADDED' | 'REMOVED', group: string): BusEvent => new BusEvent(`PROCESS_GROUP_${change}`, `groupname:${group}\n`);
