// methodHelp texts and methodSignature results against the installed supervisor's own
// SystemNamespaceRPCInterface: the docstrings file is generated from it.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { signatureOf, gettags } from '../../src/rpc/gettags.ts';
import { makeDispatcher } from '../../src/rpc/rpc.ts';
import { FakeApi } from './fake-api.ts';
import { PYTHON } from './helpers.ts';

const test = suite('docstrings');

const PY = `
import json
from supervisor.rpcinterface import SupervisorNamespaceRPCInterface
from supervisor.xmlrpc import SystemNamespaceRPCInterface, RPCError, gettags
s = SystemNamespaceRPCInterface([('supervisor', SupervisorNamespaceRPCInterface(None))])
out = {}
for name in s.listMethods():
    out[name] = [s.methodHelp(name), s.methodSignature(name)]
odd = ["", "@return", "  @param   int  x  some  text  \\n more", "@return string\\n@param x", "text\\n@foo a b c d e\\nmore"]
print(json.dumps({'methods': out, 'order': s.listMethods(), 'tags': [[list(t) for t in gettags(d)] for d in odd], 'odd': odd}))
`;

const theirs = JSON.parse(execFileSync(PYTHON, ['-c', PY], { encoding: 'utf8' })) as {
  methods: Record<string, [string, string[]]>;
  order: string[];
  tags: [number, string | null, string | null, string | null, string][][];
  odd: string[];
};
const d = makeDispatcher({ supervisor: new FakeApi() });

test('system.listMethods gives supervisor\'s names in its order', async () => {
  assert.equal(await d.dispatch('system.listMethods', []), theirs.order);
});

test('methodHelp and methodSignature of every method are supervisor\'s', async () => {
  for (const [name, [help, sig]] of Object.entries(theirs.methods)) {
    assert.is(await d.dispatch('system.methodHelp', [name]), help, name);
    assert.equal(await d.dispatch('system.methodSignature', [name]), sig, name);
  }
});

test('gettags agrees on odd docstrings', () => {
  theirs.odd.forEach((doc, i) => {
    const ours = gettags(doc).map((t) => [t.tag, t.datatype, t.name, t.text]);
    assert.equal(ours, theirs.tags[i]!.map((t) => t.slice(1)), JSON.stringify(doc));
  });
  assert.is(signatureOf('no tags'), null);
});

test.run();
