// The daemon's own life through both clients against both daemons: reload, shutdown over
// the unix socket and over TCP, wrong or missing credentials, and every command's answer
// once the daemon is gone (refused connection, no such socket file).
import * as assert from 'uvu/assert';
import { program, serverSections, SLEEP } from './config.ts';
import { alternate, fourWay, reference, script, USER, type Combo, type Result, type Step } from './harness.ts';

const programs = program('sleeper', SLEEP);

const config = (c: Combo, port: number) => `${serverSections(c, port)}${programs}`;
type Record = (step: string, r: Result) => void;

/** Until the daemon has started `count` times since the log began, and settled. */
async function restarted(c: Combo, count: number): Promise<void> {
  await c.side!.waitFor(/supervisord started with pid/, count);
  await c.settled();
}

async function exited(c: Combo, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (c.side!.daemon.exitCode === null && c.side!.daemon.signalCode === null) {
    if (Date.now() > deadline) throw new Error(`${c.daemon} still running ${timeoutMs} ms after shutdown`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One client run with its own arguments (no transport's). */
async function raw(c: Combo, record: Record, args: string[]): Promise<void> {
  record(args.join(' ').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:PORT'), await c.run(args).finish());
}

const GONE: string[] = ['status', 'avail', 'shutdown', 'maintail', 'tail -f sleeper', 'version', 'reread'];

async function drive(c: Combo, record: Record): Promise<void> {
  const url = `http://127.0.0.1:${await c.port}`;
  await script(c, [{ transport: 'unix', line: 'reload' }], record, false);
  await restarted(c, 2);
  await script(c, [{ transport: 'tcp', line: 'reload' }], record, false);
  await restarted(c, 3);
  await script(c, alternate(['status', 'status']), record);
  for (const line of ['status', 'avail', 'tail -f sleeper']) {
    await raw(c, record, ['-s', url, '-u', USER, '-p', 'wrong', ...line.split(' ')]);
    await raw(c, record, ['-s', url, ...line.split(' ')]);
  }
  await script(c, [{ transport: 'unix', line: 'shutdown' }], record, false);
  await exited(c);
  const gone: Step[] = GONE.flatMap((line) => [{ transport: 'unix', line }, { transport: 'tcp', line }]);
  await script(c, gone, record, false);
  // Again, shut down over TCP this time.
  await c.start();
  await script(c, [{ transport: 'tcp', line: 'shutdown' }], record, false);
  await exited(c);
  await script(c, [{ transport: 'tcp', line: 'shutdown' }], record, false);
}

fourWay('reload, shutdown, credentials, no daemon', config, drive, (transcripts) => {
  // What the scenario exercised, on the reference.
  assert.equal(reference(transcripts, '[unix] reload'), { stdout: 'Restarted supervisord\n', stderr: '', code: 0 });
  assert.equal(reference(transcripts, '[tcp] status', 'last'), { stdout: 'http://127.0.0.1:PORT refused connection\n', stderr: '', code: 4 });
  assert.equal(reference(transcripts, '[unix] status').code, 0);
  assert.match(reference(transcripts, '-s http://127.0.0.1:PORT -u chris -p wrong status').stdout, /^Server requires authentication\nerror: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1\/RPC2: 401 Unauthorized>/);
});
