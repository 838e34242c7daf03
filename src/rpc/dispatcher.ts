// Method lookup and calling, as supervisor's `traverse`: a name is exactly `namespace.method`
// (one dot, CVE-2017-11610), never `_private`, and anything else is UNKNOWN_METHOD. The
// SHUTDOWN_STATE gate is the daemon's predicate, checked where supervisor's `_update` is.
import { Faults, RpcFault } from '../faults.ts';
import { checkArity, coerceArgs, type ArgsOf, type Param } from './params.ts';
import type { Awaitable, XmlRpcValue } from './types.ts';

/**
 * Where a method checks the daemon's mood: before doing anything (most supervisor.*
 * methods), only after acting (signalAllProcesses sends its signals first), both
 * (signalProcessGroup), or never (sendRemoteCommEvent and every system.* method).
 */
export type Gate = 'before' | 'after' | 'both' | 'none';

export interface MethodDef {
  readonly params: readonly Param[];
  /** The docstring system.methodHelp returns and system.methodSignature parses. */
  readonly doc: string;
  readonly gate: Gate;
  /** Converts the arguments (their count already checked) and runs the method. */
  run(args: readonly XmlRpcValue[]): Awaitable<XmlRpcValue>;
}

export type Namespace = ReadonlyMap<string, MethodDef>;

export function defineMethod<const P extends readonly Param[]>(
  params: P,
  doc: string,
  impl: (...args: ArgsOf<P>) => Awaitable<XmlRpcValue>,
  gate: Gate = 'none',
): MethodDef {
  return { params, doc, gate, run: (args) => impl(...coerceArgs(params, args)) };
}

export interface DispatcherOptions {
  /** True while the daemon shuts down or restarts (supervisor: mood < RUNNING). */
  shuttingDown?: () => boolean;
}

export class Dispatcher {
  private readonly namespaces = new Map<string, Namespace>();
  /** lookup()'s answers by full name, until a namespace is registered again. */
  private readonly found = new Map<string, MethodDef>();
  private readonly shuttingDown: () => boolean;

  constructor(options: DispatcherOptions = {}) {
    this.shuttingDown = options.shuttingDown ?? (() => false);
  }

  /** Publish a namespace's methods as `<name>.<method>`; a later one of the same name replaces it. */
  register(name: string, methods: Namespace): this {
    this.namespaces.set(name, methods);
    this.found.clear();
    return this;
  }

  /** The names of the registered namespaces, in registration order. */
  namespaceNames(): string[] {
    return [...this.namespaces.keys()];
  }

  /** Every published method by its full name. */
  methods(): Map<string, MethodDef> {
    const out = new Map<string, MethodDef>();
    for (const [ns, methods] of this.namespaces) for (const [m, def] of methods) if (!m.startsWith('_')) out.set(`${ns}.${m}`, def);
    return out;
  }

  lookup(methodName: string): MethodDef {
    const known = this.found.get(methodName);
    if (known) return known;
    const parts = methodName.split('.');
    if (parts.length !== 2 || parts[1]!.startsWith('_')) throw new RpcFault(Faults.UNKNOWN_METHOD);
    const def = this.namespaces.get(parts[0]!)?.get(parts[1]!);
    if (!def) throw new RpcFault(Faults.UNKNOWN_METHOD);
    this.found.set(methodName, def);
    return def;
  }

  /**
   * Call a method. Resolves to its value; rejects with an RpcFault for a fault, or with
   * any other error for a failure of the server itself (answered as HTTP 500).
   */
  async dispatch(methodName: string, params: readonly XmlRpcValue[]): Promise<XmlRpcValue> {
    return await this.call(methodName, params);
  }

  /**
   * dispatch() without a promise where the method answers at once: its value, or a promise
   * for a method that defers or checks the mood after acting. Throws (or rejects with) an
   * RpcFault for a fault, any other error for a failure of the server itself. A poll of
   * getAllProcessInfo then goes from request to reply without waiting for a microtask.
   */
  call(methodName: string, params: readonly XmlRpcValue[]): Awaitable<XmlRpcValue> {
    const def = this.lookup(methodName);
    checkArity(def.params, params);
    if ((def.gate === 'before' || def.gate === 'both') && this.shuttingDown()) throw new RpcFault(Faults.SHUTDOWN_STATE);
    if (def.gate === 'after' || def.gate === 'both') return this.checkAfter(def, params);
    return def.run(params);
  }

  private async checkAfter(def: MethodDef, params: readonly XmlRpcValue[]): Promise<XmlRpcValue> {
    const value = await def.run(params);
    if (this.shuttingDown()) throw new RpcFault(Faults.SHUTDOWN_STATE);
    return value;
  }
}
