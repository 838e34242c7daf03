// statevisor.*: the daemon's own methods, in a namespace supervisorctl never calls, so
// supervisor's clients see supervisor.* and system.* exactly as supervisord serves them.
// Docstrings in supervisor's style: system.methodHelp returns them and
// system.methodSignature reads their @param/@return tags.
import { defineMethod, type Namespace } from './dispatcher.ts';
import { param } from './params.ts';
import type { Awaitable } from './types.ts';

/** The namespace's name on the wire. */
export const STATEVISOR_NAMESPACE = 'statevisor';

export interface StatevisorApi {
  /**
   * Stops the process if it runs, starts it and resolves once it is RUNNING again (ready,
   * where a ready check gates RUNNING), waiting through BACKOFF retries. Faults: BAD_NAME
   * (an unknown process, or a group), startProcess's NO_FILE, NOT_EXECUTABLE and
   * SPAWN_ERROR (at once), ABNORMAL_TERMINATION when it gives up (FATAL), is stopped
   * meanwhile or removed.
   */
  restartProcess(name: string): Awaitable<boolean>;
}

const RESTART_DOC = " Restart a process and wait until it is RUNNING again: stop it if it\n        runs, start it, wait through its retries. Fails if it ends in any other\n        state. statevisorctl rolling-restart calls it once per process.\n\n        @param string name The name of the process (or 'group:name')\n        @return boolean result     Always true unless error\n        ";

export function statevisorNamespace(api: StatevisorApi): Namespace {
  return new Map([['restartProcess', defineMethod([param.string('name')], RESTART_DOC, (n) => api.restartProcess(n), 'before')]]);
}
