// The SDK end to end under a real daemon: the README's example listener (listeners/example.ts)
// receives multi-byte output and a crash without losing its place in the stream, and the
// XML-RPC client reaches the daemon over http:// with auth and over unix://.
import { createServer, type AddressInfo } from 'node:net';
import * as assert from 'uvu/assert';
import { RpcFault } from '../../src/faults.ts';
import { rpcFromEnv } from '../../listeners/protocol.ts';
import { suite } from '../harness.ts';
import { DAEMONS, FIXTURES, PROGRAMS, Run, until } from './helpers.ts';

const test = suite('listeners/sdk', {}, 60_000);

const EXAMPLE = new URL('../../dist/listeners/example.js', import.meta.url).pathname;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

for (const daemon of DAEMONS) {
  test(`${daemon}: the example listener gets multi-byte output, then the crash, and stays in step`, async () => {
    const run = new Run(daemon, `
[program:talk]
command=${FIXTURES}talk.sh
startsecs=1
autorestart=false
stdout_events_enabled=true

[eventlistener:example]
command=${process.execPath} ${EXAMPLE}
events=PROCESS_LOG_STDOUT,PROCESS_STATE_EXITED
startsecs=0
stdout_logfile=%(here)s/example.out
stderr_logfile=%(here)s/example.err`);
    try {
      const detail = run.detail('example.err');
      const err = await until('the crash in example.err', () => /exited unexpectedly/.test(run.file('example.err')) && run.file('example.err'), 30_000, detail);
      const [pid] = run.spawns('talk');
      assert.is(err, `talk wrote "héllo ✓ 😀\\n"\ntalk:talk exited unexpectedly (pid ${pid})\n`);
      // Its stdout is the protocol's and nothing else: READY, two answers, READY again.
      await until('READY after the second answer', () => run.file('example.out') === 'READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n', 10_000, () => `\n${JSON.stringify(run.file('example.out'))}`);
      assert.not.match(run.side.text(), /UNKNOWN/);
    } finally {
      await run.stop();
    }
  });

  test(`${daemon}: the XML-RPC client over http:// with Basic auth and over unix://`, async () => {
    const port = await freePort();
    const run = new Run(daemon, `
[inet_http_server]
port=127.0.0.1:${port}
username=lance
password=s3cret

[program:sleeper]
command=${PROGRAMS}sleep-forever.sh
startsecs=0`);
    try {
      await run.side.waitFor(/^INFO success: sleeper /);
      const http = rpcFromEnv({ SUPERVISOR_SERVER_URL: `http://127.0.0.1:${port}`, SUPERVISOR_USERNAME: 'lance', SUPERVISOR_PASSWORD: 's3cret' });
      const unix = rpcFromEnv({ SUPERVISOR_SERVER_URL: `unix://${run.dir}/supervisor.sock` });
      for (const client of [http, unix]) {
        const [info] = await client.getAllProcessInfo();
        assert.is(info.name, 'sleeper');
        assert.is(info.statename, 'RUNNING');
        assert.is(info.pid, run.spawns('sleeper')[0]);
        const fault = await client.getProcessInfo('nope').then(() => null, (e: unknown) => e);
        assert.instance(fault, RpcFault);
        assert.is((fault as RpcFault).faultCode, 10);
        assert.is((fault as RpcFault).faultString, 'BAD_NAME: nope');
      }
      assert.is(await http.stopProcess('sleeper'), true);
      assert.is((await unix.getProcessInfo('sleeper')).statename, 'STOPPED');
      const denied = rpcFromEnv({ SUPERVISOR_SERVER_URL: `http://127.0.0.1:${port}`, SUPERVISOR_USERNAME: 'lance', SUPERVISOR_PASSWORD: 'wrong' });
      await denied.getAllProcessInfo().then(
        () => assert.unreachable('a wrong password was let in'),
        (e: Error) => assert.match(e.message, /: 401 Unauthorized$/),
      );
      assert.throws(() => rpcFromEnv({}), /SUPERVISOR_SERVER_URL is not set/);
    } finally {
      await run.stop();
    }
  });
}

test.run();
