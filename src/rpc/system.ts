// The system namespace (supervisor.xmlrpc.SystemNamespaceRPCInterface). Its methods never
// check the daemon's mood. multicall keeps supervisor's shapes, which differ from the
// multicall spec: a successful call's result is the bare value, not a one-element array.
import { Faults, RpcFault, isRpcFault } from '../faults.ts';
import { defineMethod, type Dispatcher, type Namespace } from './dispatcher.ts';
import { SYSTEM_DOCS } from './docstrings.ts';
import { signatureOf } from './gettags.ts';
import { param } from './params.ts';
import { pyTypeName } from './pystr.ts';
import { isStruct, type XmlRpcValue } from './types.ts';

const unsupported = (): RpcFault => new RpcFault(Faults.SIGNATURE_UNSUPPORTED);

/** What supervisor's `'%s:%s' % sys.exc_info()[:2]` says about an unexpected error. */
export function failedText(e: unknown): string {
  const err = e instanceof Error ? e : new Error(String(e));
  return `<class '${err.name}'>:${err.message}`;
}

// Python calls func(*params): any iterable spreads (a string into characters, a struct
// into its keys); anything else is a TypeError, which supervisor reports as code 2.
function splat(params: XmlRpcValue): XmlRpcValue[] {
  if (Array.isArray(params)) return params;
  if (typeof params === 'string') return Array.from(params);
  if (isStruct(params)) return Object.keys(params);
  throw new RpcFault(Faults.INCORRECT_PARAMETERS);
}

async function oneCall(dispatcher: Dispatcher, call: XmlRpcValue): Promise<XmlRpcValue> {
  // supervisor reads each call with .get() outside its try: a call that is no struct
  // makes the whole request an HTTP 500.
  if (!isStruct(call)) throw new TypeError(`'${pyTypeName(call)}' object has no attribute 'get'`);
  const name = call.methodName;
  try {
    if (name === undefined || name === null) throw new RpcFault(Faults.INCORRECT_PARAMETERS, 'No methodName');
    if (name === 'system.multicall') throw new RpcFault(Faults.INCORRECT_PARAMETERS, 'Recursive system.multicall forbidden');
    if (typeof name !== 'string') {
      const type = name instanceof Date ? 'datetime.datetime' : pyTypeName(name);
      return { faultCode: Faults.FAILED, faultString: `FAILED: <class 'AttributeError'>:'${type}' object has no attribute 'split'` };
    }
    const params = call.params === undefined ? [] : splat(call.params);
    return await dispatcher.dispatch(name, params);
  } catch (e) {
    if (isRpcFault(e)) return e.toStruct();
    return { faultCode: Faults.FAILED, faultString: `FAILED: ${failedText(e)}` };
  }
}

/** Runs the calls one after another: a call that waits holds back the ones after it. */
async function multicall(dispatcher: Dispatcher, calls: XmlRpcValue): Promise<XmlRpcValue[]> {
  let list: readonly XmlRpcValue[];
  if (Array.isArray(calls)) list = calls;
  else if (calls === '') list = [];
  else if (typeof calls === 'string') throw new TypeError("'str' object has no attribute 'get'");
  else throw new RpcFault(Faults.INCORRECT_PARAMETERS); // calls[:] of a non-sequence
  const results: XmlRpcValue[] = [];
  for (const call of list) results.push(await oneCall(dispatcher, call));
  return results;
}

export function systemNamespace(dispatcher: Dispatcher): Namespace {
  const docOf = (name: XmlRpcValue): string => {
    const def = typeof name === 'string' ? dispatcher.methods().get(name) : undefined;
    if (!def) throw unsupported();
    return def.doc;
  };
  const signature = (name: XmlRpcValue): string[] => {
    const sig = signatureOf(docOf(name));
    if (!sig) throw unsupported();
    return sig;
  };
  return new Map([
    ['listMethods', defineMethod([], SYSTEM_DOCS.listMethods!, () => [...dispatcher.methods().keys()].sort())],
    ['methodHelp', defineMethod([param.any('name')], SYSTEM_DOCS.methodHelp!, (name) => docOf(name))],
    ['methodSignature', defineMethod([param.any('name')], SYSTEM_DOCS.methodSignature!, signature)],
    ['multicall', defineMethod([param.any('calls')], SYSTEM_DOCS.multicall!, (calls) => multicall(dispatcher, calls))],
  ]);
}
