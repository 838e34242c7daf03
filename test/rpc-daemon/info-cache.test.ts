// getAllProcessInfo keeps its reply while the second, the groups and every process's
// snapshot are the same (DaemonApi, marshal.ts). What varies with time in supervisor's
// getProcessInfo (rpcinterface.py) is `now`, int(time.time()), and a RUNNING process's
// description, `pid N, uptime H:MM:SS` from now - start: no reply may carry a stale one,
// nor a stale state after a stop or a start.
import * as assert from 'uvu/assert';
import { xmlrpcCall } from '../../src/client/transport.ts';
import type { ProcessInfo } from '../../src/client/wire.ts';
import { timedelta } from '../../src/util/timedelta.ts';
import { cleanupAll, prog, program, section, startDaemon, waitFor } from '../daemon/helpers.ts';
import { suite } from '../harness.ts';

const test = suite('rpc-daemon/info-cache', {}, 60_000);
test.after.each(cleanupAll);

const BODY = [
  section('unix_http_server', { file: '%(here)s/sv.sock' }),
  prog('svc', program('sleep-forever.sh')),
  prog('idle', program('sleep-forever.sh'), { autostart: false, startsecs: 0 }),
].join('\n');

test('every reply has its own second in now and in each RUNNING uptime, and the states of the moment', async () => {
  const d = await startDaemon(BODY);
  await d.waitForLine(/^success: svc entered RUNNING/, 20_000);
  const o = { url: `unix://${d.path('sv.sock')}`, authorization: null };
  const all = async (): Promise<{ infos: ProcessInfo[]; from: number; to: number }> => {
    const from = Math.floor(Date.now() / 1000);
    const infos = (await xmlrpcCall(o, 'supervisor.getAllProcessInfo')) as ProcessInfo[];
    return { infos, from, to: Math.floor(Date.now() / 1000) };
  };
  const byName = (infos: ProcessInfo[], name: string): ProcessInfo => infos.find((i) => i.name === name)!;

  // back to back across at least two second boundaries
  const t0 = Date.now();
  let replies = 0;
  while (Date.now() - t0 < 2500) {
    const { infos, from, to } = await all();
    replies++;
    for (const i of infos) assert.ok(i.now >= from && i.now <= to, `now ${i.now} outside ${from}..${to}`);
    const svc = byName(infos, 'svc');
    assert.is(svc.statename, 'RUNNING');
    assert.is(svc.description, `pid ${svc.pid}, uptime ${timedelta(svc.now - svc.start)}`);
    assert.is(byName(infos, 'idle').description, 'Not started');
  }
  assert.ok(replies > 10, `${replies} replies`);

  // a change shows at once, within the second a reply was kept in: just after a boundary
  await waitFor('the start of a second', () => Date.now() % 1000 < 200, 5000);
  assert.is(byName((await all()).infos, 'svc').statename, 'RUNNING');
  assert.is(await xmlrpcCall(o, 'supervisor.stopProcess', ['svc']), true);
  assert.is(await xmlrpcCall(o, 'supervisor.startProcess', ['idle']), true);
  const after = (await all()).infos;
  assert.is(byName(after, 'svc').statename, 'STOPPED');
  assert.ok(byName(after, 'svc').stop >= byName(after, 'svc').start);
  const idle = byName(after, 'idle');
  assert.is(idle.statename, 'RUNNING');
  assert.is(idle.description, `pid ${idle.pid}, uptime ${timedelta(idle.now - idle.start)}`);
  await d.stop();
});

test.run();
