// Dispatching without HTTP: supervisor's name rules, argument checks, the SHUTDOWN_STATE
// gate and multicall's result shapes (observed on supervisord 4.2.5, see the report in
// the http tests for the wire side).
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { RpcFault } from '../../src/faults.ts';
import { makeDispatcher } from '../../src/rpc/rpc.ts';
import type { XmlRpcValue } from '../../src/rpc/types.ts';
import { FakeApi } from './fake-api.ts';

const test = suite('dispatcher');

async function outcome(p: Promise<XmlRpcValue>): Promise<XmlRpcValue | string> {
  try {
    return await p;
  } catch (e) {
    return e instanceof RpcFault ? `fault ${e.faultCode} ${e.faultString}` : `error ${(e as Error).message}`;
  }
}

const setup = (shutting = false) => {
  const api = new FakeApi();
  const state = { shutting };
  return { api, state, d: makeDispatcher({ supervisor: api, shuttingDown: () => state.shutting }) };
};

test('names must be namespace.method, public, known', async () => {
  const { d } = setup();
  for (const name of ['getPID', 'a.b.c', 'supervisor._update', 'supervisor.nope', 'nope.getPID', 'supervisor.', '.getPID', 'supervisor.constructor', 'supervisor.__proto__', 'system.toString']) {
    assert.is(await outcome(d.dispatch(name, [])), 'fault 1 UNKNOWN_METHOD', name);
  }
  assert.is(await outcome(d.dispatch('supervisor.getPID', [])), 4242);
});

test('a wrong count of arguments is INCORRECT_PARAMETERS with no text, as a Python TypeError', async () => {
  const { d } = setup();
  assert.is(await outcome(d.dispatch('supervisor.getPID', [1])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.getProcessInfo', [])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.startProcess', ['cat', true, 1])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('system.methodHelp', [])), 'fault 2 INCORRECT_PARAMETERS');
});

test('wrong types are INCORRECT_PARAMETERS; flags, signals and comm events coerce as Python does', async () => {
  const { d, api } = setup();
  assert.is(await outcome(d.dispatch('supervisor.getProcessInfo', [5])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.readLog', ['a', 1])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.readLog', ['1.5', 1])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.readLog', ['1__0', 1])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.readLog', [Infinity, 1])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.readLog', [[], 1])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.readLog', [true, 0])), 'log 1 0');
  // offsets and lengths go through Python's int(): a double is truncated, a numeric string read
  assert.is(await outcome(d.dispatch('supervisor.readLog', [0.5, 1])), 'log 0 1');
  assert.is(await outcome(d.dispatch('supervisor.readLog', [-4.7, 0.9])), 'log -4 0');
  assert.is(await outcome(d.dispatch('supervisor.readLog', [' 1_0 ', '+3'])), 'log 10 3');
  assert.is(await outcome(d.dispatch('supervisor.readLog', ['-5', '0'])), 'log -5 0');
  assert.is(await outcome(d.dispatch('supervisor.readLog', [-1, 1])), 'fault 3 BAD_ARGUMENTS');
  await d.dispatch('supervisor.startProcessGroup', ['web']);
  await d.dispatch('supervisor.startProcessGroup', ['web', 'x']);
  await d.dispatch('supervisor.startAllProcesses', [[]]);
  await d.dispatch('supervisor.signalProcess', ['cat', 9]);
  await d.dispatch('supervisor.signalProcess', ['cat', 'HUP']);
  assert.is(await outcome(d.dispatch('supervisor.signalProcess', ['cat', []])), 'fault 2 INCORRECT_PARAMETERS');
  await d.dispatch('supervisor.sendRemoteCommEvent', [1, [true, null, 'a']]);
  assert.equal(api.calls, [
    'startProcessGroup web true',
    'startProcessGroup web true',
    'startAllProcesses false',
    'signalProcess cat number 9',
    'signalProcess cat string HUP',
    "sendRemoteCommEvent 1 [True, None, 'a']",
  ]);
});

test('sendProcessStdin names a non-text chars, as supervisor', async () => {
  const { d } = setup();
  assert.is(await outcome(d.dispatch('supervisor.sendProcessStdin', ['cat', 5])), 'fault 2 INCORRECT_PARAMETERS: 5');
  assert.is(await outcome(d.dispatch('supervisor.sendProcessStdin', [5, 'x'])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('supervisor.sendProcessStdin', ['nope', 'x'])), 'fault 10 BAD_NAME: nope');
});

test('aliases call their targets', async () => {
  const { d } = setup();
  assert.is(await d.dispatch('supervisor.getVersion', []), '3.0');
  assert.is(await d.dispatch('supervisor.readMainLog', [0, 5]), 'log 0 5');
  assert.is(await d.dispatch('supervisor.readProcessLog', ['cat', 0, 5]), 'out 0 5');
  assert.equal(await d.dispatch('supervisor.tailProcessLog', ['cat', 1, 5]), ['tail', 6, false]);
  assert.is(await d.dispatch('supervisor.clearProcessLog', ['cat']), true);
});

test('while shutting down: supervisor.* answers SHUTDOWN_STATE, system.* and sendRemoteCommEvent still work', async () => {
  const { d, api, state } = setup(true);
  assert.is(await outcome(d.dispatch('supervisor.getPID', [])), 'fault 6 SHUTDOWN_STATE');
  assert.is(await outcome(d.dispatch('supervisor.getPID', [1])), 'fault 2 INCORRECT_PARAMETERS'); // arity first
  assert.is(await outcome(d.dispatch('supervisor.sendProcessStdin', ['cat', 5])), 'fault 6 SHUTDOWN_STATE'); // gate before types
  assert.is(await outcome(d.dispatch('supervisor.signalProcessGroup', ['web', 'HUP'])), 'fault 6 SHUTDOWN_STATE');
  assert.is(await outcome(d.dispatch('supervisor.signalAllProcesses', ['HUP'])), 'fault 6 SHUTDOWN_STATE');
  assert.is(await d.dispatch('supervisor.sendRemoteCommEvent', ['t', 'd']), true);
  assert.ok(Array.isArray(await d.dispatch('system.listMethods', [])));
  assert.equal(await d.dispatch('system.multicall', [[{ methodName: 'supervisor.getPID' }]]), [{ faultCode: 6, faultString: 'SHUTDOWN_STATE' }]);
  // signalAllProcesses sends its signals before it looks; signalProcessGroup does not
  assert.equal(api.calls.filter((c) => c.startsWith('signal')), ['signalAllProcesses HUP']);
  state.shutting = false;
  assert.is(await d.dispatch('supervisor.getPID', []), 4242);
});

test('multicall: bare values, fault structs, supervisor\'s texts, strictly in order', async () => {
  const { d, api } = setup();
  let release!: () => void;
  api.pid = () => new Promise((r) => (release = () => r(7)));
  const pending = d.dispatch('system.multicall', [[
    { methodName: 'supervisor.getPID' },
    { methodName: 'supervisor.getAPIVersion', params: [] },
    { methodName: 'nope.x', params: [] },
    { methodName: 'system.multicall', params: [[]] },
    {},
    { methodName: null },
    { methodName: 5 },
    { methodName: 'supervisor.getPID', params: 5 },
    { methodName: 'supervisor.getProcessInfo', params: 'cat' },
    { methodName: 'supervisor.getState', params: {} },
    { methodName: 'supervisor.getProcessInfo', params: ['nope'] },
    { methodName: 'system.methodSignature', params: ['supervisor.getPID'] },
  ]]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(api.calls, ['getPID'], 'the second call waits for the first');
  release();
  assert.equal(await pending, [
    7,
    '3.0',
    { faultCode: 1, faultString: 'UNKNOWN_METHOD' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
    { faultCode: 30, faultString: "FAILED: <class 'AttributeError'>:'int' object has no attribute 'split'" },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' },
    { statecode: 1, statename: 'RUNNING' },
    { faultCode: 10, faultString: 'BAD_NAME: nope' },
    ['int'],
  ]);
});

test('multicall: an unexpected error is FAILED in the list, a non-list is INCORRECT_PARAMETERS, a non-struct call fails the request', async () => {
  const { d, api } = setup();
  api.pid = () => {
    throw new RangeError('boom');
  };
  assert.equal(await d.dispatch('system.multicall', [[{ methodName: 'supervisor.getPID' }]]), [
    { faultCode: 30, faultString: "FAILED: <class 'RangeError'>:boom" },
  ]);
  assert.is(await outcome(d.dispatch('supervisor.getPID', [])), 'error boom');
  assert.is(await outcome(d.dispatch('system.multicall', [5])), 'fault 2 INCORRECT_PARAMETERS');
  assert.is(await outcome(d.dispatch('system.multicall', [{ a: 1 }])), 'fault 2 INCORRECT_PARAMETERS');
  assert.equal(await d.dispatch('system.multicall', ['']), []);
  assert.match(String(await outcome(d.dispatch('system.multicall', ['ab']))), /^error /);
  assert.match(String(await outcome(d.dispatch('system.multicall', [[5]]))), /^error /);
});

test.run();
