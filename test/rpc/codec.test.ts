// parseMethodCall remembers the calls of recent small bodies (codec.ts): the same bytes give
// the same call, no caller can change what a later one gets, and what is not a call, or has
// params a caller could change, is parsed each time.
import * as assert from 'uvu/assert';
import { MalformedCall, parseMethodCall, type MethodCall } from '../../src/rpc/codec.ts';
import { suite } from '../harness.ts';

const test = suite('rpc/codec');

const body = (method: string, params: string[] = []): Buffer =>
  Buffer.from(`<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params.map((p) => `<param><value>${p}</value></param>`).join('')}</params></methodCall>`);

test('the same body twice: equal calls, each with its own params', () => {
  const b = body('supervisor.getProcessInfo', ['<string>svc</string>']);
  const first = parseMethodCall(b);
  assert.equal(first, { methodName: 'supervisor.getProcessInfo', params: ['svc'] });
  (first as { params: unknown[] }).params.push('extra');
  assert.equal(parseMethodCall(b), { methodName: 'supervisor.getProcessInfo', params: ['svc'] });
  assert.equal(parseMethodCall(body('supervisor.getProcessInfo', ['<string>other</string>'])), { methodName: 'supervisor.getProcessInfo', params: ['other'] });
});

test('a struct param is parsed anew each time: changing one changes no later call', () => {
  const b = body('system.multicall', ['<array><data><value><struct><member><name>methodName</name><value><string>supervisor.getPID</string></value></member></struct></value></data></array>']);
  const first = parseMethodCall(b);
  assert.not.instance(first, MalformedCall);
  ((first as MethodCall).params as Record<string, string>[][])[0]![0]!.methodName = 'changed';
  assert.equal(parseMethodCall(b), { methodName: 'system.multicall', params: [[{ methodName: 'supervisor.getPID' }]] });
});

test('a malformed body stays malformed; many different bodies each read right', () => {
  const bad = Buffer.from('<methodCall><params/></methodCall>');
  assert.instance(parseMethodCall(bad), MalformedCall);
  assert.instance(parseMethodCall(bad), MalformedCall);
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 200; i++) assert.equal(parseMethodCall(body('supervisor.getProcessInfo', [`<int>${i}</int>`])), { methodName: 'supervisor.getProcessInfo', params: [i] });
  }
});

test.run();
