// supervisor's event classes (events.EventTypes) as data: each name's parent, so a pool
// subscribed to an abstract type (EVENT, PROCESS_STATE, …) receives every subtype, as
// notify()'s isinstance test gives it. Imports nothing.

export const EVENT_PARENT = {
  EVENT: null,
  PROCESS_STATE: 'EVENT',
  PROCESS_STATE_STOPPED: 'PROCESS_STATE',
  PROCESS_STATE_EXITED: 'PROCESS_STATE',
  PROCESS_STATE_STARTING: 'PROCESS_STATE',
  PROCESS_STATE_STOPPING: 'PROCESS_STATE',
  PROCESS_STATE_BACKOFF: 'PROCESS_STATE',
  PROCESS_STATE_FATAL: 'PROCESS_STATE',
  PROCESS_STATE_RUNNING: 'PROCESS_STATE',
  PROCESS_STATE_UNKNOWN: 'PROCESS_STATE',
  PROCESS_COMMUNICATION: 'EVENT',
  PROCESS_COMMUNICATION_STDOUT: 'PROCESS_COMMUNICATION',
  PROCESS_COMMUNICATION_STDERR: 'PROCESS_COMMUNICATION',
  // Not abstract in supervisor's code, but nothing ever raises a bare ProcessLogEvent.
  PROCESS_LOG: 'EVENT',
  PROCESS_LOG_STDOUT: 'PROCESS_LOG',
  PROCESS_LOG_STDERR: 'PROCESS_LOG',
  REMOTE_COMMUNICATION: 'EVENT',
  SUPERVISOR_STATE_CHANGE: 'EVENT',
  SUPERVISOR_STATE_CHANGE_RUNNING: 'SUPERVISOR_STATE_CHANGE',
  SUPERVISOR_STATE_CHANGE_STOPPING: 'SUPERVISOR_STATE_CHANGE',
  TICK: 'EVENT',
  TICK_5: 'TICK',
  TICK_60: 'TICK',
  TICK_3600: 'TICK',
  PROCESS_GROUP: 'EVENT',
  PROCESS_GROUP_ADDED: 'PROCESS_GROUP',
  PROCESS_GROUP_REMOVED: 'PROCESS_GROUP',
} as const;

export type EventTypeName = keyof typeof EVENT_PARENT;

/** The types an event is ever raised as (the leaves). */
export type ConcreteEventName =
  | `PROCESS_STATE_${'STOPPED' | 'EXITED' | 'STARTING' | 'STOPPING' | 'BACKOFF' | 'FATAL' | 'RUNNING' | 'UNKNOWN'}`
  | `PROCESS_COMMUNICATION_${'STDOUT' | 'STDERR'}`
  | `PROCESS_LOG_${'STDOUT' | 'STDERR'}`
  | 'REMOTE_COMMUNICATION'
  | `SUPERVISOR_STATE_CHANGE_${'RUNNING' | 'STOPPING'}`
  | `TICK_${5 | 60 | 3600}`
  | `PROCESS_GROUP_${'ADDED' | 'REMOVED'}`;

export const isEventTypeName = (name: string): name is EventTypeName => Object.hasOwn(EVENT_PARENT, name);

/** isinstance(event, type): `name` is `ancestor` or one of its subtypes. */
export function isA(name: EventTypeName, ancestor: EventTypeName): boolean {
  for (let t: EventTypeName | null = name; t !== null; t = EVENT_PARENT[t]) if (t === ancestor) return true;
  return false;
}
