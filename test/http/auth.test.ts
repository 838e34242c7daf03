// Basic auth on every path, plain and {SHA} passwords, and medusa's 401/400/500 answers.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { checkBasicAuth, passwordMatches } from '../../src/http/auth.ts';
import { pyB64decode } from '../../src/util/py-base64.ts';
import { errorPage } from '../../src/http/responses.ts';
import { basic, http, inet, methodCall, pyCall, PYTHON, serve, type TestServer } from '../rpc/helpers.ts';

const SHA = `{SHA}${createHash('sha1').update('s3cret').digest('hex')}`;
const test = suite('auth', { server: null as TestServer | null }, 20_000);

test.before(async (ctx) => {
  ctx.server = await serve([inet(['user', 'plain']), inet(['admin', SHA]), inet()]);
});
test.after(async (ctx) => ctx.server?.close());

test('base64 decoding is binascii\'s lenient one, failures included', () => {
  const samples = ['YWI=', 'YWI', 'YQ', 'YQ=', 'YQ==', 'Y', 'YWJj', '=YWI=', 'YW=I=', 'YWI=x', 'Y=Q==', 'YQ=x=', 'YQ==YWI=', 'a b c d', '!!!', '', '====', 'YQ=\n=', 'YWJjZA=', 'YWJjZA==x', 'dXNlcjpwbGFpbg==', ' dXNlcjpwbGFpbg== junk'];
  for (let i = 0; i < 300; i++) {
    const chars = 'YWJjZA=+/!- ';
    let s = '';
    for (let j = 0; j < (i % 13); j++) s += chars[(i * 7 + j * 13 + (i >> 3)) % chars.length];
    samples.push(s);
  }
  const theirs = JSON.parse(
    execFileSync(PYTHON, ['-c', 'import sys, json, binascii\nout = []\nfor s in json.load(sys.stdin):\n    try: out.append(binascii.a2b_base64(s.encode()).hex())\n    except binascii.Error: out.append(None)\nprint(json.dumps(out))'], { input: JSON.stringify(samples), encoding: 'utf8' }),
  ) as (string | null)[];
  samples.forEach((s, i) => assert.is(pyB64decode(s)?.toString('hex') ?? null, theirs[i], JSON.stringify(s)));
});

test('passwords: plain, or {SHA} and the sha1 hex of the real one', () => {
  assert.ok(passwordMatches('plain', 'plain'));
  assert.not.ok(passwordMatches('plain', 'Plain'));
  assert.ok(passwordMatches(SHA, 's3cret'));
  assert.not.ok(passwordMatches(SHA, SHA));
  assert.not.ok(passwordMatches(`{SHA}${SHA.slice(5).toUpperCase()}`, 's3cret')); // hex compared as written
  assert.is(checkBasicAuth(undefined, 'u', 'p'), 'unauthorized');
  assert.is(checkBasicAuth('Digest abc', 'u', 'p'), 'unauthorized');
  assert.is(checkBasicAuth('Basic', 'u', 'p'), 'unauthorized');
  assert.is(checkBasicAuth('bAsIc dTpw', 'u', 'p'), 'ok');
  assert.is(checkBasicAuth('Basic abc', 'u', 'p'), 'malformed');
  assert.is(checkBasicAuth(`Basic ${Buffer.from([0x75, 0x3a, 0xff]).toString('base64')}`, 'u', 'p'), 'malformed');
  assert.is(checkBasicAuth('Basic dXNlcg==', 'u', 'p'), 'no-colon');
  assert.is(checkBasicAuth('Basic dTpwOnE=', 'u', 'p:q'), 'ok'); // only the first ':' splits
});

test('no or wrong credentials: 401 with medusa\'s headers and page, on every path', async ({ server }) => {
  for (const [path, headers] of [['/RPC2', {}], ['/RPC2', basic('user', 'nope')], ['/RPC2', basic('nobody', 'plain')], ['/nope', {}], ['/logtail/cat', {}], ['/RPC2', { Authorization: 'Digest x' }]] as const) {
    const r = await http({ port: server!.port(0) }, 'POST', path, methodCall('supervisor.getPID'), headers);
    assert.is(r.status, 401, path);
    assert.is(r.reason, 'Unauthorized');
    assert.is(r.headers['www-authenticate'], 'Basic realm="default"');
    assert.is(r.headers.connection, 'close');
    assert.is(r.headers['content-type'], 'text/html');
    assert.is(r.headers.server, 'Medusa/1.12');
    assert.is(r.body, errorPage(401));
  }
  assert.is(errorPage(401), '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code 401.\r\n<p>Message: Unauthorized.\r\n</body>\r\n');
});

test('undecodable credentials 400; credentials without a colon 500 (supervisor\'s crash)', async ({ server }) => {
  const port = server!.port(0);
  assert.is((await http({ port }, 'POST', '/RPC2', 'x', { Authorization: 'Basic abc' })).status, 400);
  assert.is((await http({ port }, 'POST', '/RPC2', 'x', { Authorization: 'Basic dXNlcg==' })).status, 500);
});

test('Python clients: plain and {SHA} accepted, wrong ones get ProtocolError 401', async ({ server }) => {
  assert.equal(await pyCall(server!.url(0), 'supervisor.getPID', [], ['user', 'plain']), { ok: 4242 });
  assert.equal(await pyCall(server!.url(1), 'supervisor.getPID', [], ['admin', 's3cret']), { ok: 4242 });
  assert.equal(await pyCall(server!.url(1), 'supervisor.getPID', [], ['admin', SHA]), { protocol: 401 });
  assert.equal(await pyCall(server!.url(0), 'supervisor.getPID'), { protocol: 401 });
  assert.equal(await pyCall(server!.url(2), 'supervisor.getPID'), { ok: 4242 });
});

test.run();
