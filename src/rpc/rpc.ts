// The daemon's RPC surface in one call: supervisor.* backed by the daemon's SupervisorApi,
// any further namespaces ([rpcinterface:x]), statevisor.* when given, and system.* over all of them.
import { Dispatcher, type Namespace } from './dispatcher.ts';
import type { SupervisorApi } from './supervisor-api.ts';
import { STATEVISOR_NAMESPACE, statevisorNamespace, type StatevisorApi } from './statevisor-namespace.ts';
import { supervisorNamespace } from './supervisor-namespace.ts';
import { systemNamespace } from './system.ts';

export interface RpcOptions {
  supervisor: SupervisorApi;
  /** True while the daemon shuts down or restarts: supervisor.* then answers SHUTDOWN_STATE. */
  shuttingDown?: () => boolean;
  /** More namespaces by name, published beside `supervisor`. */
  namespaces?: Readonly<Record<string, Namespace>>;
  /** statevisor's own methods (statevisor.*). */
  statevisor?: StatevisorApi;
}

export function makeDispatcher(o: RpcOptions): Dispatcher {
  const d = new Dispatcher(o.shuttingDown ? { shuttingDown: o.shuttingDown } : {});
  d.register('supervisor', supervisorNamespace(o.supervisor));
  for (const [name, ns] of Object.entries(o.namespaces ?? {})) d.register(name, ns);
  if (o.statevisor) d.register(STATEVISOR_NAMESPACE, statevisorNamespace(o.statevisor));
  return d.register('system', systemNamespace(d));
}

/**
 * The namespaces supervisord logs as `RPC interface 'x' initialized`: those of
 * [rpcinterface:x] sections, so neither system nor statevisor, which no section configures.
 */
export const rpcInterfaceNames = (d: Dispatcher): string[] => d.namespaceNames().filter((n) => n !== 'system' && n !== STATEVISOR_NAMESPACE);
