// The fault table and fault texts against supervisor's own xmlrpc.Faults and RPCError.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { Faults, RpcFault, faultName, faultText, isRpcFault } from '../../src/faults.ts';
import { PYTHON } from './helpers.ts';

const test = suite('faults');

const python = (code: string): unknown => JSON.parse(execFileSync(PYTHON, ['-c', code], { encoding: 'utf8' }));

test('every name and code is supervisor 4.2.5 xmlrpc.Faults, nothing more', () => {
  const theirs = python(
    'import json; from supervisor.xmlrpc import Faults; print(json.dumps({k: v for k, v in vars(Faults).items() if not k.startswith("_")}))',
  );
  assert.equal({ ...Faults }, theirs);
});

test('fault strings are RPCError texts: NAME, or NAME: extra', () => {
  const theirs = python(
    'import json; from supervisor.xmlrpc import RPCError; print(json.dumps([RPCError(c, e).text for c, e in [(10, "foo"), (1, None), (92, "bad: x"), (2, 5), (99, None), (30, "")]]))',
  ) as string[];
  const ours = [new RpcFault(10, 'foo'), new RpcFault(1), new RpcFault(92, 'bad: x'), new RpcFault(2, 5), new RpcFault(99), new RpcFault(30, '')].map((f) => f.faultString);
  assert.equal(ours, theirs);
});

test('RpcFault carries the code, the text and a plain struct for the wire', () => {
  const f = new RpcFault(Faults.BAD_NAME, 'web:web_00');
  assert.is(f.faultCode, 10);
  assert.is(f.message, 'BAD_NAME: web:web_00');
  assert.ok(f instanceof Error && isRpcFault(f));
  assert.equal(f.toStruct(), { faultCode: 10, faultString: 'BAD_NAME: web:web_00' });
  assert.equal(Object.keys(f.toStruct()), ['faultCode', 'faultString']);
});

test('a received fault keeps its string verbatim', () => {
  const f = RpcFault.received(92, 'CANT_REREAD: something odd');
  assert.is(f.faultString, 'CANT_REREAD: something odd');
  assert.is(f.faultCode, 92);
  assert.is(faultName(5), 'UNKNOWN');
  assert.is(faultText(6), 'SHUTDOWN_STATE');
});

test.run();
