// State names and codes as supervisor 4.2.5's supervisor/states.py has them, and the
// signal names its options.signame() prints. Imports nothing: clients (ctl, listeners)
// and machines share this file with the daemon.

export const ProcessStates = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;
export type ProcessStateName = keyof typeof ProcessStates;
export type ProcessStateCode = (typeof ProcessStates)[ProcessStateName];

/** supervisord's "mood". FATAL is defined by supervisor but never set by its code. */
export const SupervisorStates = {
  FATAL: 2,
  RUNNING: 1,
  RESTARTING: 0,
  SHUTDOWN: -1,
} as const;
export type SupervisorStateName = keyof typeof SupervisorStates;
export type SupervisorStateCode = (typeof SupervisorStates)[SupervisorStateName];

export const EventListenerStates = {
  READY: 10,
  BUSY: 20,
  ACKNOWLEDGED: 30,
  UNKNOWN: 40,
} as const;
export type EventListenerStateName = keyof typeof EventListenerStates;
export type EventListenerStateCode = (typeof EventListenerStates)[EventListenerStateName];

export const STOPPED_STATES: readonly ProcessStateCode[] = [
  ProcessStates.STOPPED, ProcessStates.EXITED, ProcessStates.FATAL, ProcessStates.UNKNOWN,
];
export const RUNNING_STATES: readonly ProcessStateCode[] = [
  ProcessStates.RUNNING, ProcessStates.BACKOFF, ProcessStates.STARTING,
];
export const SIGNALLABLE_STATES: readonly ProcessStateCode[] = [
  ProcessStates.RUNNING, ProcessStates.STARTING, ProcessStates.STOPPING,
];

export const isStopped = (state: ProcessStateName): boolean => STOPPED_STATES.includes(ProcessStates[state]);
export const isRunning = (state: ProcessStateName): boolean => RUNNING_STATES.includes(ProcessStates[state]);
export const isSignallable = (state: ProcessStateName): boolean => SIGNALLABLE_STATES.includes(ProcessStates[state]);

function namesByCode<K extends string, C extends number>(table: Record<K, C>): ReadonlyMap<number, K> {
  return new Map((Object.keys(table) as K[]).map((name) => [table[name], name]));
}
const processNames = namesByCode(ProcessStates);
const supervisorNames = namesByCode(SupervisorStates);
const listenerNames = namesByCode(EventListenerStates);

/** The name of a process state code, or undefined as Python's dict.get gives None. */
export const getProcessStateDescription = (code: number): ProcessStateName | undefined => processNames.get(code);
export const getSupervisorStateDescription = (code: number): SupervisorStateName | undefined => supervisorNames.get(code);
export const getEventListenerStateDescription = (code: number): EventListenerStateName | undefined => listenerNames.get(code);

/**
 * Linux signal numbers to the names supervisor prints. Python's signal module has
 * aliases (SIGIOT, SIGCLD, SIGIO); signame() keeps the last one defined, which is
 * SIGABRT, SIGCHLD and SIGPOLL on Linux.
 */
export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS',
  8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE',
  14: 'SIGALRM', 15: 'SIGTERM', 16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP',
  20: 'SIGTSTP', 21: 'SIGTTIN', 22: 'SIGTTOU', 23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ',
  26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGPOLL', 30: 'SIGPWR', 31: 'SIGSYS',
  34: 'SIGRTMIN', 64: 'SIGRTMAX',
};

export const SIGKILL = 9;

/** supervisor's signame(): `SIGTERM`, or `signal 35` for a number without a name. */
export const signame = (sig: number): string => SIGNAL_NAMES[sig] ?? `signal ${sig}`;

/** Every SIG-prefixed name of Python's signal module, which supervisor's config accepts. */
export const SIGNALS_BY_NAME: Readonly<Record<string, number>> = {
  ...Object.fromEntries(Object.entries(SIGNAL_NAMES).map(([num, name]) => [name, Number(num)])),
  SIGIOT: 6, SIGCLD: 17, SIGIO: 29,
  SIG_DFL: 0, SIG_IGN: 1, SIG_BLOCK: 0, SIG_UNBLOCK: 1, SIG_SETMASK: 2,
};
