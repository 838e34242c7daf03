// What supervisord 4.2.5 answers for requests that are not a good XML-RPC call, as
// observed with curl against the real daemon: status, reason, headers and page.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { errorPage } from '../../src/http/responses.ts';
import { http, inet, methodCall, serve, type TestServer } from '../rpc/helpers.ts';

const test = suite('routes', { server: null as TestServer | null }, 20_000);

test.before(async (ctx) => {
  ctx.server = await serve([inet()], {
    logtail: { processLog: (ns) => (ns === 'cat' ? '/nonexistent/cat.log' : null), mainLog: () => null },
  });
});
test.after(async (ctx) => ctx.server?.close());

const at = (s: TestServer | null) => ({ port: s!.port() });

function isError(r: Awaited<ReturnType<typeof http>>, code: number, reason: string): void {
  assert.is(r.status, code);
  assert.is(r.reason, reason);
  assert.is(r.headers['content-type'], 'text/html');
  assert.is(r.headers['content-length'], String(Buffer.byteLength(errorPage(code))));
  assert.is(r.headers.server, 'Medusa/1.12');
  assert.ok(r.headers.date);
  assert.is(r.body, errorPage(code));
}

test('unknown paths: 404 for GET, 400 for other methods (medusa\'s default handler)', async ({ server }) => {
  isError(await http(at(server), 'GET', '/nope'), 404, 'Not Found');
  isError(await http(at(server), 'GET', '/'), 404, 'Not Found');
  assert.is((await http(at(server), 'HEAD', '/nope')).status, 404);
  isError(await http(at(server), 'POST', '/nope', 'x'), 400, 'Bad Request');
  isError(await http(at(server), 'PUT', '/nope', 'x'), 400, 'Bad Request');
});

test('/RPC2 only takes POST; anything starting with /RPC2 is it, after unquoting', async ({ server }) => {
  isError(await http(at(server), 'GET', '/RPC2'), 400, 'Bad Request');
  isError(await http(at(server), 'PUT', '/RPC2', 'x'), 400, 'Bad Request');
  for (const path of ['/RPC2', '/RPC2xyz', '/RPC2?x=1', '/RP%43%32', '/RPC2/deeper']) {
    const r = await http(at(server), 'POST', path, methodCall('supervisor.getAPIVersion'));
    assert.is(r.status, 200, path);
    assert.is(r.headers['content-type'], 'text/xml');
    assert.match(r.body, /<string>3\.0<\/string>/);
  }
});

test('a body that is no method call: 400, logged as supervisor logs it', async ({ server }) => {
  for (const body of ['hello', '', '<methodCall><params/></methodCall>', '<methodCall><methodName></methodName></methodCall>', '<methodCall><methodName>x.y</methodName><params><param><value><int>abc</int></value></param></params></methodCall>', '<methodCall><methodName>x.y']) {
    isError(await http(at(server), 'POST', '/RPC2', body), 400, 'Bad Request');
  }
  assert.ok(server!.log.includes("ERRO XML-RPC request data 'hello' is invalid: unmarshallable"));
  assert.ok(server!.log.includes("ERRO XML-RPC request data '<methodCall><params/></methodCall>' is invalid: no method name"));
});

test('an unknown method is a fault in a 200, not a 404', async ({ server }) => {
  const r = await http(at(server), 'POST', '/RPC2', methodCall('foo.bar'));
  assert.is(r.status, 200);
  assert.is(r.headers['content-type'], 'text/xml');
  assert.is(r.headers['content-length'], String(Buffer.byteLength(r.body)));
  // byte for byte what supervisord 4.2.5 sends (Python's xmlrpc.client.dumps)
  assert.is(r.body, "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>UNKNOWN_METHOD</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n");
  assert.not.ok('connection' in r.headers, 'medusa names no Connection on a reply');
});

test('a POST without Content-Length: 411, then the connection closes', async ({ server }) => {
  const reply = await new Promise<string>((resolve, reject) => {
    const s = connect({ port: server!.port(), host: '127.0.0.1' });
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
  });
  assert.match(reply, /^HTTP\/1\.1 411 Length Required\r\n/);
  assert.ok(reply.endsWith(errorPage(411)));
});

test('/logtail and /mainlogtail: GET only, 404 for what cannot be tailed, 500 without a name', async ({ server }) => {
  isError(await http(at(server), 'POST', '/logtail/cat', 'x'), 400, 'Bad Request');
  assert.is((await http(at(server), 'HEAD', '/logtail/cat')).status, 400);
  isError(await http(at(server), 'GET', '/logtail/nope'), 404, 'Not Found');
  isError(await http(at(server), 'GET', '/logtail/cat'), 404, 'Not Found'); // the file does not exist
  isError(await http(at(server), 'GET', '/logtail/cat/bogus'), 404, 'Not Found');
  isError(await http(at(server), 'GET', '/logtail/'), 404, 'Not Found');
  isError(await http(at(server), 'GET', '/logtail'), 500, 'Internal Server Error');
  isError(await http(at(server), 'GET', '/logtailfoo'), 500, 'Internal Server Error');
  isError(await http(at(server), 'GET', '/mainlogtail'), 404, 'Not Found');
  isError(await http(at(server), 'POST', '/mainlogtail', 'x'), 400, 'Bad Request');
});

test.run();
