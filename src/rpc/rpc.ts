// The daemon's RPC surface in one call: supervisor.* backed by the daemon's SupervisorApi,
// any further namespaces ([rpcinterface:x]), and system.* over all of them.
import { Dispatcher, type Namespace } from './dispatcher.ts';
import type { SupervisorApi } from './supervisor-api.ts';
import { supervisorNamespace } from './supervisor-namespace.ts';
import { systemNamespace } from './system.ts';

export interface RpcOptions {
  supervisor: SupervisorApi;
  /** True while the daemon shuts down or restarts: supervisor.* then answers SHUTDOWN_STATE. */
  shuttingDown?: () => boolean;
  /** More namespaces by name, published beside `supervisor`. */
  namespaces?: Readonly<Record<string, Namespace>>;
}

export function makeDispatcher(o: RpcOptions): Dispatcher {
  const d = new Dispatcher(o.shuttingDown ? { shuttingDown: o.shuttingDown } : {});
  d.register('supervisor', supervisorNamespace(o.supervisor));
  for (const [name, ns] of Object.entries(o.namespaces ?? {})) d.register(name, ns);
  return d.register('system', systemNamespace(d));
}

/** The namespaces supervisord logs as `RPC interface 'x' initialized` (system is not one). */
export const rpcInterfaceNames = (d: Dispatcher): string[] => d.namespaceNames().filter((n) => n !== 'system');
