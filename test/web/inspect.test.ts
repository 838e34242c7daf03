// statevisord --inspect: a WebSocket client on 127.0.0.1 gets the actor system's
// inspection events in @statelyai/inspect's format, live and (for a late client) replayed.
import * as assert from 'uvu/assert';
import { WebSocket } from 'ws';
import { suite } from '../harness.ts';
import { cleanupAll, freePort, program, prog, waitFor } from '../daemon/helpers.ts';
import { rpc, startWebDaemon } from './helpers.ts';
import { nodeHost } from '../../src/config/host.ts';
import { DEFAULT_INSPECT_PORT, parseArgs, USAGE } from '../../src/daemon/options.ts';

interface Inspected {
  type: string;
  sessionId: string;
  rootId?: string;
  name?: string;
  parentId?: string;
  definition?: string;
  createdAt: string;
  _version: string;
  event?: { type: string };
  snapshot?: { status: string; value?: unknown; context?: { pid?: number } };
}

const test = suite('statevisord --inspect', {}, 60_000);
test.after.each(cleanupAll);

async function connect(port: number): Promise<{ messages: Inspected[]; close(): Promise<void> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const messages: Inspected[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Inspected));
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  return {
    messages,
    close: () => new Promise<void>((resolve) => { ws.once('close', () => resolve()); ws.close(); }),
  };
}

test('a client gets every live actor, then @xstate.event and @xstate.snapshot for a process transition', async () => {
  const port = await freePort();
  const { daemon, base } = await startWebDaemon(prog('sleeper', program('sleep-forever.sh')), undefined, [`--inspect=${port}`]);
  await daemon.waitForLine(new RegExp(`^inspector: XState inspection events on ws://127\\.0\\.0\\.1:${port}, `));
  await daemon.waitForLine(/^success: sleeper entered RUNNING state/);
  const client = await connect(port);
  try {
    // the replay: the root, the group and the process, each with its definition and snapshot
    const actor = await waitFor('the process actor in the replay', () => client.messages.find((m) => m.type === '@xstate.actor' && m.name === 'sleeper' && JSON.parse(m.definition!).id === 'process'));
    const root = client.messages.find((m) => m.type === '@xstate.actor' && m.name === 'supervisor');
    assert.ok(root, 'the root is replayed');
    assert.is(actor.rootId, root!.sessionId);
    assert.is(JSON.parse(actor.definition!).id, 'process');
    assert.ok(JSON.parse(actor.definition!).states.STOPPING.after, 'the definition carries the delayed transitions (stopwaitsecs)');
    assert.is(actor.snapshot?.value, 'RUNNING');
    assert.type(actor._version, 'string');

    assert.match(await rpc(base, 'supervisor.stopProcess', 'sleeper'), /<boolean>1<\/boolean>/);
    const mine = () => client.messages.filter((m) => m.sessionId === actor.sessionId);
    await waitFor('a STOPPED snapshot of the process', () => mine().some((m) => m.type === '@xstate.snapshot' && m.snapshot?.value === 'STOPPED'));
    const stop = mine().find((m) => m.type === '@xstate.event' && m.event?.type === 'STOP');
    assert.ok(stop, 'the STOP event sent to the process');
    const snapshots = mine().filter((m) => m.type === '@xstate.snapshot');
    assert.equal(snapshots.map((m) => m.snapshot!.value).filter((v, i, all) => v !== all[i - 1]), ['STOPPING', 'STOPPED']);
    const stopping = snapshots.find((m) => m.snapshot!.value === 'STOPPING')!;
    assert.is(stopping.event?.type, 'STOP');
    assert.is(stopping.rootId, root!.sessionId);
    assert.is(stopping.snapshot!.status, 'active');
    assert.ok(Number(stopping.snapshot!.context!.pid) > 0, 'the snapshot carries the context');
    assert.ok(Number(stopping.createdAt) > 0);
  } finally {
    await client.close();
  }
});

test('without --inspect nothing listens; the bridge page feeds Stately\'s inspector', async () => {
  const port = await freePort();
  const { daemon } = await startWebDaemon(prog('sleeper', program('sleep-forever.sh')));
  assert.is(daemon.matching(/^inspector:/).length, 0);
  const refused = await connect(port).then(async (c) => { await c.close(); return null; }, (e: Error) => e);
  assert.match(String(refused), /ECONNREFUSED/);
  const inspected = await startWebDaemon(prog('sleeper', program('sleep-forever.sh')), undefined, [`--inspect=${port}`]);
  await inspected.daemon.waitForLine(/^inspector:/);
  const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  assert.match(page, /<iframe id="inspector" src="https:\/\/stately\.ai\/inspect">/);
  assert.match(page, new RegExp(`new WebSocket\\('ws://127\\.0\\.0\\.1:${port}'\\)`));
});

test('--inspect[=PORT] on the command line', () => {
  const run = (argv: string[]) => parseArgs(argv, nodeHost());
  assert.equal(run(['--inspect']), { run: { configfile: null, printConfig: false, inspect: DEFAULT_INSPECT_PORT, overrides: {} } });
  assert.equal(run(['-n', '--inspect=0', '-c', 'x.conf']), { run: { configfile: 'x.conf', printConfig: false, inspect: 0, overrides: { nodaemon: true } } });
  assert.equal(run(['-c', 'x.conf']), { run: { configfile: 'x.conf', printConfig: false, inspect: null, overrides: {} } });
  for (const bad of ['--inspect=', '--inspect=http', '--inspect=65536']) {
    assert.equal(run([bad]), { exit: 2, stderr: `Error: invalid value for --inspect '${bad.slice(10)}': not a port number\nFor help, use statevisord -h\n` });
  }
  assert.match(String((run(['--inspect', '--inspect=1']) as { stderr: string }).stderr), /conflicting command line option '--inspect'/);
  assert.match(USAGE, /--inspect\[=PORT\]/);
});

test('--inspect refuses a port in use with a usage error', async () => {
  const port = await freePort();
  const first = await startWebDaemon(prog('sleeper', program('sleep-forever.sh')), undefined, [`--inspect=${port}`]);
  await first.daemon.waitForLine(/^inspector:/);
  const second = await startWebDaemon(prog('sleeper', program('sleep-forever.sh')), undefined, [`--inspect=${port}`]).catch((e: Error) => e);
  assert.ok(second instanceof Error);
  assert.match(second.message, /Error: cannot serve --inspect on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
});

test.run();
