// The events supervisor 4.2.5 sends a listener, typed, and the parser that turns an
// envelope's header line and payload into them (reference/supervisor.md §3.2, events.py).
// Token-set payloads are `key:value` pairs joined by single spaces; PROCESS_LOG_*,
// PROCESS_COMMUNICATION_* and REMOTE_COMMUNICATION put such a line, a newline, then data.
import { ProcessStates, type ProcessStateName } from '../src/states.ts';

/** The envelope's header line: `ver:3.0 server:supervisor serial:21 pool:lis poolserial:21 eventname:X len:59`. */
export interface Envelope {
  ver: string;
  server: string;
  serial: number;
  pool: string;
  poolserial: number;
  eventname: string;
  /** The payload's length in Unicode code points, as Python's len() counts a str. */
  len: number;
}

/** A header line or payload that is not what supervisor writes. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

interface Common {
  headers: Envelope;
  /** The payload as received, unparsed. */
  payload: string;
}

/** One member per name, so that `Extract<ListenerEvent, { eventname: N }>` finds each. */
type Base<N extends string> = N extends string ? Common & { eventname: N } : never;

interface ProcessStateFields {
  processname: string;
  groupname: string;
  from_state: ProcessStateName;
}

export type ProcessStateEvent =
  | (Base<'PROCESS_STATE_STARTING' | 'PROCESS_STATE_BACKOFF'> & ProcessStateFields & { tries: number })
  | (Base<'PROCESS_STATE_RUNNING' | 'PROCESS_STATE_STOPPING' | 'PROCESS_STATE_STOPPED'> & ProcessStateFields & { pid: number })
  | (Base<'PROCESS_STATE_EXITED'> & ProcessStateFields & { expected: boolean; pid: number })
  | (Base<'PROCESS_STATE_FATAL' | 'PROCESS_STATE_UNKNOWN'> & ProcessStateFields);

export type ProcessLogEvent = Base<'PROCESS_LOG_STDOUT' | 'PROCESS_LOG_STDERR'> & {
  processname: string;
  groupname: string;
  pid: number;
  channel: 'stdout' | 'stderr';
  /** The chunk the child wrote (or `Undecodable: b'…'` when it was not UTF-8). */
  data: string;
};

export type ProcessCommunicationEvent = Base<'PROCESS_COMMUNICATION_STDOUT' | 'PROCESS_COMMUNICATION_STDERR'> & {
  processname: string;
  groupname: string;
  pid: number;
  /** What the child wrote between `<!--XSUPERVISOR:BEGIN-->` and `<!--XSUPERVISOR:END-->`. */
  data: string;
};

export type RemoteCommunicationEvent = Base<'REMOTE_COMMUNICATION'> & { type: string; data: string };

export type SupervisorStateChangeEvent = Base<'SUPERVISOR_STATE_CHANGE_RUNNING' | 'SUPERVISOR_STATE_CHANGE_STOPPING'>;

export type TickEvent = Base<'TICK_5' | 'TICK_60' | 'TICK_3600'> & {
  /** Start of the period, in seconds since the epoch. */
  when: number;
};

export type ProcessGroupEvent = Base<'PROCESS_GROUP_ADDED' | 'PROCESS_GROUP_REMOVED'> & { groupname: string };

/**
 * An event type supervisor 4.2.5 does not define (a plugin's `events.register`): its real
 * name is `headers.eventname`. It has a name of its own so that checking `eventname`
 * still narrows the union to one type.
 */
export type UnregisteredEvent = Base<'UNREGISTERED'>;

export type ListenerEvent =
  | ProcessStateEvent
  | ProcessLogEvent
  | ProcessCommunicationEvent
  | RemoteCommunicationEvent
  | SupervisorStateChangeEvent
  | TickEvent
  | ProcessGroupEvent
  | UnregisteredEvent;

/** Every event name a listener can be sent, i.e. what `events=` may list that is not abstract. */
export type EventName = Exclude<ListenerEvent['eventname'], 'UNREGISTERED'>;

/** The event of one name: `EventOf<'PROCESS_STATE_EXITED'>`. */
export type EventOf<N extends ListenerEvent['eventname']> = Extract<ListenerEvent, { eventname: N }>;

/** childutils.get_headers: `a:1 b:2` → {a: '1', b: '2'}; a value keeps any further colons. */
export function tokens(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const token of line.split(' ')) {
    if (token === '') continue;
    const colon = token.indexOf(':');
    if (colon < 0) throw new ProtocolError(`token without a colon: ${JSON.stringify(token)} in ${JSON.stringify(line)}`);
    out[token.slice(0, colon)] = token.slice(colon + 1);
  }
  return out;
}

function need(fields: Record<string, string>, key: string, where: string): string {
  const v = fields[key];
  if (v === undefined) throw new ProtocolError(`${where}: no ${key} in ${JSON.stringify(fields)}`);
  return v;
}

function int(fields: Record<string, string>, key: string, where: string): number {
  const v = need(fields, key, where);
  if (!/^-?\d+$/.test(v)) throw new ProtocolError(`${where}: ${key} is not an integer: ${JSON.stringify(v)}`);
  return Number(v);
}

export function parseEnvelope(line: string): Envelope {
  const f = tokens(line);
  const where = 'envelope';
  return {
    ver: need(f, 'ver', where),
    server: need(f, 'server', where),
    serial: int(f, 'serial', where),
    pool: need(f, 'pool', where),
    poolserial: int(f, 'poolserial', where),
    eventname: need(f, 'eventname', where),
    len: int(f, 'len', where),
  };
}

function stateName(f: Record<string, string>, where: string): ProcessStateName {
  const v = need(f, 'from_state', where);
  if (!Object.hasOwn(ProcessStates, v)) throw new ProtocolError(`${where}: unknown from_state ${JSON.stringify(v)}`);
  return v as ProcessStateName;
}

/** The token line and the data after the first newline (childutils.eventdata). */
function splitData(payload: string): [Record<string, string>, string] {
  const nl = payload.indexOf('\n');
  return nl < 0 ? [tokens(payload), ''] : [tokens(payload.slice(0, nl)), payload.slice(nl + 1)];
}

const PROCESS_STATES = new Set(Object.keys(ProcessStates).map((state) => `PROCESS_STATE_${state}`));

/** The typed event for an envelope and its payload; throws ProtocolError on a malformed payload. */
export function parseEvent(headers: Envelope, payload: string): ListenerEvent {
  const name = headers.eventname;
  const where = name;
  if (PROCESS_STATES.has(name)) {
    const f = tokens(payload);
    const base = { headers, payload, processname: need(f, 'processname', where), groupname: need(f, 'groupname', where), from_state: stateName(f, where) };
    switch (name) {
      case 'PROCESS_STATE_STARTING':
      case 'PROCESS_STATE_BACKOFF':
        return { eventname: name, ...base, tries: int(f, 'tries', where) };
      case 'PROCESS_STATE_RUNNING':
      case 'PROCESS_STATE_STOPPING':
      case 'PROCESS_STATE_STOPPED':
        return { eventname: name, ...base, pid: int(f, 'pid', where) };
      case 'PROCESS_STATE_EXITED':
        return { eventname: name, ...base, expected: need(f, 'expected', where) === '1', pid: int(f, 'pid', where) };
      case 'PROCESS_STATE_FATAL':
      case 'PROCESS_STATE_UNKNOWN':
        return { eventname: name, ...base };
    }
  }
  switch (name) {
    case 'PROCESS_LOG_STDOUT':
    case 'PROCESS_LOG_STDERR': {
      const [f, data] = splitData(payload);
      const channel = need(f, 'channel', where);
      if (channel !== 'stdout' && channel !== 'stderr') throw new ProtocolError(`${where}: unknown channel ${JSON.stringify(channel)}`);
      return { eventname: name, headers, payload, processname: need(f, 'processname', where), groupname: need(f, 'groupname', where), pid: int(f, 'pid', where), channel, data };
    }
    case 'PROCESS_COMMUNICATION_STDOUT':
    case 'PROCESS_COMMUNICATION_STDERR': {
      const [f, data] = splitData(payload);
      return { eventname: name, headers, payload, processname: need(f, 'processname', where), groupname: need(f, 'groupname', where), pid: int(f, 'pid', where), data };
    }
    case 'REMOTE_COMMUNICATION': {
      // The type is everything between `type:` and the first newline, spaces included.
      const nl = payload.indexOf('\n');
      const line = nl < 0 ? payload : payload.slice(0, nl);
      if (!line.startsWith('type:')) throw new ProtocolError(`${where}: payload does not start with type: ${JSON.stringify(payload)}`);
      return { eventname: name, headers, payload, type: line.slice(5), data: nl < 0 ? '' : payload.slice(nl + 1) };
    }
    case 'SUPERVISOR_STATE_CHANGE_RUNNING':
    case 'SUPERVISOR_STATE_CHANGE_STOPPING':
      return { eventname: name, headers, payload };
    case 'TICK_5':
    case 'TICK_60':
    case 'TICK_3600':
      return { eventname: name, headers, payload, when: int(tokens(payload), 'when', where) };
    case 'PROCESS_GROUP_ADDED':
    case 'PROCESS_GROUP_REMOVED':
      // `groupname:G\n`: the trailing newline is supervisor's, not part of the name.
      return { eventname: name, headers, payload, groupname: need(splitData(payload)[0], 'groupname', where) };
    default:
      return { eventname: 'UNREGISTERED', headers, payload };
  }
}
