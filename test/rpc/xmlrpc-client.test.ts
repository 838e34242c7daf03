// Python's xmlrpc.client with supervisor's own SupervisorTransport (what supervisorctl and
// superlance use) against our server, over TCP and over a unix socket.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inet, pyCalls, serve, unix, type TestServer } from './helpers.ts';

const test = suite('xmlrpc-client', { dir: '', server: null as TestServer | null, shutting: false }, 20_000);

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'statevisor-rpc-'));
  ctx.server = await serve([inet(), unix(join(ctx.dir, 'sv.sock'))], { shuttingDown: () => ctx.shutting });
});

test.after(async (ctx) => {
  await ctx.server?.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

const CALLS: [string, unknown[]][] = [
  ['system.listMethods', []],
  ['system.methodSignature', ['supervisor.startProcess']],
  ['system.methodHelp', ['supervisor.getPID']],
  ['supervisor.getPID', []],
  ['supervisor.getProcessInfo', ['web:web_00']],
  ['supervisor.getProcessInfo', ['nope']],
  ['supervisor.startProcess', ['cat']],
  ['supervisor.getPID', [1]],
  ['supervisor.nope', []],
  ['a.b.c', []],
  ['supervisor.sendProcessStdin', ['cat', { $binary: 'bytes é' }]],
  ['supervisor.tailProcessStdoutLog', ['cat', 0, 10]],
  ['supervisor.reloadConfig', []],
];

function checkCommon(out: Awaited<ReturnType<typeof pyCalls>>): void {
  const list = (out[0] as { ok: string[] }).ok;
  assert.is(list.length, 41);
  assert.equal(list.slice(-4), ['system.listMethods', 'system.methodHelp', 'system.methodSignature', 'system.multicall']);
  assert.equal(out[1], { ok: ['boolean', 'string', 'boolean'] });
  assert.match((out[2] as { ok: string }).ok, /@return int PID/);
  assert.equal(out[3], { ok: 4242 });
  const info = (out[4] as { ok: Record<string, unknown> }).ok;
  assert.equal(Object.keys(info), ['name', 'group', 'start', 'stop', 'now', 'state', 'statename', 'spawnerr', 'exitstatus', 'logfile', 'stdout_logfile', 'stderr_logfile', 'pid', 'description']);
  assert.is(info.statename, 'STOPPED');
  assert.equal(out[5], { fault: [10, 'BAD_NAME: nope'] });
  assert.equal(out[6], { fault: [60, 'ALREADY_STARTED: cat'] });
  assert.equal(out[7], { fault: [2, 'INCORRECT_PARAMETERS'] });
  assert.equal(out[8], { fault: [1, 'UNKNOWN_METHOD'] });
  assert.equal(out[9], { fault: [1, 'UNKNOWN_METHOD'] });
  assert.equal(out[10], { ok: true });
  assert.equal(out[11], { ok: ['tail', 10, false] });
  assert.equal(out[12], { ok: [[['new'], [], ['old']]] });
}

test('system.* and supervisor.* over TCP, faults as xmlrpc.client.Fault', async ({ server }) => {
  checkCommon(await pyCalls(server!.url(0), [...CALLS, ['supervisor.sendProcessStdin', ['cat', 'héllo ✓ <&>']]]));
  assert.ok(server!.api.calls.includes('sendProcessStdin cat "bytes é"'), 'base64 arrives as text');
  assert.ok(server!.api.calls.includes('sendProcessStdin cat "héllo ✓ <&>"'));
});

test('the same over the unix socket', async ({ server }) => {
  assert.match(server!.url(1), /^unix:\/\//);
  checkCommon(await pyCalls(server!.url(1), CALLS));
});

test('multicall over the wire: bare values and fault structs', async ({ server }) => {
  const [out] = await pyCalls(server!.url(0), [['system.multicall', [[
    { methodName: 'supervisor.getAPIVersion' },
    { methodName: 'supervisor.getProcessInfo', params: ['nope'] },
    { methodName: 'supervisor.getPID', params: [1] },
    { methodName: 'system.multicall', params: [[]] },
    { params: [] },
  ]]]]);
  assert.equal(out, { ok: [
    '3.0',
    { faultCode: 10, faultString: 'BAD_NAME: nope' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
  ] });
});

test('an unexpected server error is HTTP 500 (ProtocolError), as supervisor', async ({ server }) => {
  server!.api.pid = () => {
    throw new Error('broken actor');
  };
  try {
    assert.equal(await pyCalls(server!.url(0), [['supervisor.getPID', []], ['system.multicall', [[{ methodName: 'supervisor.getPID' }]]]]), [
      { protocol: 500 },
      { ok: [{ faultCode: 30, faultString: "FAILED: <class 'Error'>:broken actor" }] },
    ]);
    assert.ok(server!.log.some((l) => /^CRIT Handling XML-RPC request with data "<\?xml version='1.0'\?>.* raised an unexpected exception: Error: broken actor/s.test(l)));
  } finally {
    server!.api.pid = () => 4242;
  }
});

test('markup and non-ASCII text in a result arrive intact', async ({ server }) => {
  const odd = 'a<b]]>c & é ✓ "q"';
  server!.api.getIdentification = () => odd;
  assert.equal(await pyCalls(server!.url(0), [['supervisor.getIdentification', []]]), [{ ok: odd }]);
});

test('a control character in a result cannot be written as XML: 500, not a broken document', async ({ server }) => {
  server!.api.pid = () => 1;
  const orig = server!.api.readProcessStdoutLog.bind(server!.api);
  server!.api.readProcessStdoutLog = () => '\x1b[31mred';
  try {
    assert.equal(await pyCalls(server!.url(0), [['supervisor.readProcessStdoutLog', ['cat', 0, 0]]]), [{ protocol: 500 }]);
  } finally {
    server!.api.readProcessStdoutLog = orig;
    server!.api.pid = () => 4242;
  }
});

test('SHUTDOWN_STATE while the daemon stops; system.* still answers', async (ctx) => {
  ctx.shutting = true;
  try {
    assert.equal(await pyCalls(ctx.server!.url(1), [['supervisor.getState', []], ['system.methodSignature', ['supervisor.getState']], ['supervisor.sendRemoteCommEvent', ['t', 'd']]]), [
      { fault: [6, 'SHUTDOWN_STATE'] },
      { ok: ['struct'] },
      { ok: true },
    ]);
  } finally {
    ctx.shutting = false;
  }
});

test('an idle persistent connection stays usable (superlance keeps one between ticks)', async ({ server }) => {
  // Node closes idle keep-alive connections after 5 s (+1 s) by default; supervisor's
  // transport then fails its next call with BrokenPipeError instead of reconnecting
  assert.equal(await pyCalls(server!.url(0), [['supervisor.getPID', []], ['$sleep', [7]], ['supervisor.getPID', []]]), [{ ok: 4242 }, { ok: null }, { ok: 4242 }]);
});

test('trace lines as supervisor logs them', async ({ server }) => {
  assert.ok(server!.log.includes('TRAC XML-RPC method called: supervisor.getPID()'));
  assert.ok(server!.log.includes('TRAC XML-RPC method supervisor.getPID() returned successfully'));
  assert.ok(server!.log.includes('TRAC XML-RPC method supervisor.getProcessInfo() returned fault: [10] BAD_NAME: nope'));
  assert.equal(server!.log.filter((l) => l.startsWith('INFO') || l.startsWith('CRIT Server')), [
    "INFO RPC interface 'supervisor' initialized",
    "CRIT Server 'inet_http_server' running without any HTTP authentication checking",
    "INFO RPC interface 'supervisor' initialized",
    "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
  ]);
});

test.run();
