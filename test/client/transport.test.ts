// The client core's transport against real servers on a unix socket and on TCP: values,
// faults, and each kind of failure typed so that statevisorctl and the listeners can word
// it their own way.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { BadResponse, CallTimeout, HttpStatusError, SocketFailure, target, UnknownProtocol, xmlrpcCall } from '../../src/client/transport.ts';
import { RpcFault } from '../../src/faults.ts';
import { RpcClient } from '../../listeners/rpc.ts';
import { call, ProtocolError } from '../../src/ctl/rpc-client.ts';
import { PyException } from '../../src/ctl/pyerrors.ts';
import { suite } from '../harness.ts';

const response = (value: string) => `<?xml version="1.0"?><methodResponse><params><param><value>${value}</value></param></params></methodResponse>`;
const FAULT = '<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>10</int></value></member><member><name>faultString</name><value><string>BAD_NAME: x</string></value></member></struct></value></fault></methodResponse>';

/** What the server answers to each method; `seen` keeps each request's path and headers. */
type Handler = (res: ServerResponse) => void;
const ANSWERS: Record<string, Handler> = {
  'ok': (res) => res.end(response('<string>hello</string>')),
  'fault': (res) => res.end(FAULT),
  'denied': (res) => { res.statusCode = 401; res.statusMessage = 'Unauthorized'; res.end('no'); },
  'garbage': (res) => res.end('this is no xml'),
  'silent': () => {},
  'hangup': (res) => res.socket?.destroy(),
};

interface Ctx { dir: string; unix: Server; tcp: Server; port: number; seen: IncomingMessage[] }
const test = suite<Ctx>('client/transport', { dir: '', unix: createServer(), tcp: createServer(), port: 0, seen: [] }, 20_000);

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'statevisor-client-'));
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      ctx.seen.push(req);
      ANSWERS[/<methodName>(\w+)<\/methodName>/.exec(body)![1]!]!(res);
    });
  };
  ctx.unix = createServer(handle);
  ctx.tcp = createServer(handle);
  await new Promise<void>((r) => ctx.unix.listen(join(ctx.dir, 'sock'), r));
  await new Promise<void>((r) => ctx.tcp.listen(0, '127.0.0.1', r));
  ctx.port = (ctx.tcp.address() as AddressInfo).port;
});

test.after((ctx) => {
  ctx.unix.closeAllConnections();
  ctx.tcp.closeAllConnections();
  ctx.unix.close();
  ctx.tcp.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

const rejection = (p: Promise<unknown>): Promise<unknown> => p.then(() => assert.unreachable('resolved'), (e: unknown) => e);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return assert.unreachable('did not throw');
}

test('targets: http by host and port (80 by default), unix by path; anything else is UnknownProtocol', () => {
  assert.equal(target('http://[::1]:9001/x').connect, { host: '::1', port: 9001 });
  assert.equal(target('http://localhost').connect, { host: 'localhost', port: 80 });
  assert.equal(target('unix:///run/sv.sock'), { unix: true, connect: { socketPath: '/run/sv.sock' }, netloc: '' });
  assert.instance(thrown(() => target('https://x')), UnknownProtocol);
});

test('values over unix and tcp, POST /RPC2 with the given headers; faults are RpcFaults', async (ctx) => {
  const unix = { url: `unix://${ctx.dir}/sock`, authorization: null };
  const tcp = { url: `http://127.0.0.1:${ctx.port}/ignored`, authorization: 'Basic eDp5', headers: { 'User-Agent': 'test' } };
  assert.is(await xmlrpcCall(unix, 'ok'), 'hello');
  assert.is(await xmlrpcCall(tcp, 'ok', ['a', 1]), 'hello');
  const [u, t] = ctx.seen.slice(-2);
  assert.equal([u!.method, u!.url, u!.headers.authorization], ['POST', '/RPC2', undefined]);
  assert.equal([t!.url, t!.headers.authorization, t!.headers['user-agent']], ['/RPC2', 'Basic eDp5', 'test']);
  const fault = await rejection(xmlrpcCall(unix, 'fault'));
  assert.instance(fault, RpcFault);
  assert.equal([(fault as RpcFault).faultCode, (fault as RpcFault).faultString], [10, 'BAD_NAME: x']);
});

test('failures: HTTP status, a body that is no XML-RPC, a refused or dropped connection, a timeout', async (ctx) => {
  const o = { url: `unix://${ctx.dir}/sock`, authorization: null };
  const status = await rejection(xmlrpcCall(o, 'denied'));
  assert.instance(status, HttpStatusError);
  assert.equal([(status as HttpStatusError).status, (status as HttpStatusError).reason], [401, 'Unauthorized']);
  assert.instance(await rejection(xmlrpcCall(o, 'garbage')), BadResponse);
  const refused = await rejection(xmlrpcCall({ ...o, url: `unix://${ctx.dir}/nothing` }, 'ok'));
  assert.instance(refused, SocketFailure);
  assert.equal([(refused as SocketFailure).cause.code, (refused as SocketFailure).connected], ['ENOENT', false]);
  const dropped = await rejection(xmlrpcCall(o, 'hangup'));
  assert.instance(dropped, SocketFailure);
  assert.is((dropped as SocketFailure).connected, true);
  const late = await rejection(xmlrpcCall({ ...o, timeoutMs: 200 }, 'silent'));
  assert.instance(late, CallTimeout);
  assert.is((late as Error).message, `silent: no answer from unix://${ctx.dir}/sock within 200 ms`);
});

test("each client words the core's failures its own way: statevisorctl as Python, the listeners as plain Errors", async (ctx) => {
  const url = `unix://${ctx.dir}/sock`;
  const ctl = { serverurl: url, username: null, password: null };
  const denied = await rejection(call(ctl, 'denied'));
  assert.instance(denied, ProtocolError);
  assert.is((denied as PyException).report, "error: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>: file: /usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 539");
  const gone = await rejection(call({ ...ctl, serverurl: `unix://${ctx.dir}/nothing` }, 'ok'));
  assert.is((gone as PyException).report, "error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory: file: /usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 557");
  assert.is((await rejection(call({ ...ctl, serverurl: 'ftp://x' }, 'ok')) as PyException).pyClass, 'ValueError');

  const listener = new RpcClient({ url, timeoutMs: 200 });
  const plain = await rejection(listener.call('denied'));
  assert.equal([(plain as Error).constructor, (plain as Error).message], [Error, `${url}/RPC2: 401 Unauthorized`]);
  const late = await rejection(listener.call('silent'));
  assert.equal([(late as Error).constructor, (late as Error).message], [Error, `silent: no answer from ${url} within 200 ms`]);
  assert.is(((await rejection(new RpcClient({ url: `unix://${ctx.dir}/nothing` }).call('ok'))) as NodeJS.ErrnoException).code, 'ENOENT');
  assert.throws(() => new RpcClient({ url: 'ftp://x' }), (e: Error) => e.constructor === Error && e.message === 'Unknown protocol for serverurl ftp://x');
});

test.run();
