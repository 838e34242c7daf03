// getAllProcessInfo keeps its reply while the second, the groups and every process's
// snapshot are the same (api-info.ts, api-tree.ts `changes`, marshal.ts). What varies with time in supervisor's
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

const CHANGES = [
  section('unix_http_server', { file: '%(here)s/sv.sock' }),
  prog('svc', program('sleep-forever.sh'), { startsecs: 0 }),
  prog('slow', program('sleep-forever.sh'), { autostart: false, startsecs: 1 }),
  prog('idle', program('sleep-forever.sh'), { autostart: false, startsecs: 0 }),
].join('\n');

test('a change the API did not make (an exit, a respawn, a startsecs timer) and a change of the groups show in the next reply of the same second', async () => {
  const d = await startDaemon(CHANGES);
  await d.waitForLine(/^success: svc entered RUNNING/, 20_000);
  const o = { url: `unix://${d.path('sv.sock')}`, authorization: null };
  const all = async (): Promise<ProcessInfo[]> => (await xmlrpcCall(o, 'supervisor.getAllProcessInfo')) as ProcessInfo[];
  const byName = (infos: ProcessInfo[], name: string): ProcessInfo | undefined => infos.find((i) => i.name === name);
  /**
   * A reply (kept for the rest of its second), then `change`, then a reply: returned only
   * when both fell in one second, so that a kept reply is what a stale answer would be.
   */
  const withinOneSecond = async (what: string, change: () => Promise<void>, prepare = async () => {}): Promise<[ProcessInfo[], ProcessInfo[]]> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await prepare();
      await waitFor('the start of a second', () => Date.now() % 1000 < 100, 5000);
      const before = await all();
      await change();
      const after = await all();
      if (after[0]!.now === before[0]!.now) return [before, after];
    }
    throw new Error(`${what}: five tries did not fit in one second each`);
  };

  // svc killed from outside: the daemon sees it exit and spawns it again (autorestart)
  let oldPid = 0;
  let newPid = 0;
  const [beforeKill, afterRespawn] = await withinOneSecond('kill and respawn', async () => {
    const from = d.mark();
    oldPid = byName(await all(), 'svc')!.pid;
    process.kill(oldPid, 'SIGKILL');
    newPid = await d.spawned('svc', 0, 10_000, from);
  });
  assert.is(byName(beforeKill, 'svc')!.pid, oldPid);
  assert.is(byName(afterRespawn, 'svc')!.pid, newPid);
  assert.is.not(newPid, oldPid);
  assert.is(byName(afterRespawn, 'svc')!.description, `pid ${newPid}, uptime ${timedelta(afterRespawn[0]!.now - byName(afterRespawn, 'svc')!.start)}`);

  // slow goes STARTING → RUNNING on its own startsecs timer, 1 s after the start: started at
  // .3 of a second, it is STARTING at the start of the next second and RUNNING from its .3 on
  let from = 0;
  const [starting, running] = await withinOneSecond('startsecs', async () => {
    await d.waitForLine(/^success: slow entered RUNNING state/, 10_000, from);
  }, async () => {
    if (byName(await all(), 'slow')!.statename !== 'STOPPED') await xmlrpcCall(o, 'supervisor.stopProcess', ['slow']);
    await waitFor('a third of a second', () => Date.now() % 1000 > 300 && Date.now() % 1000 < 400, 5000);
    from = d.mark();
    assert.is(await xmlrpcCall(o, 'supervisor.startProcess', ['slow', false]), true);
  });
  assert.is(byName(starting, 'slow')!.statename, 'STARTING');
  assert.is(byName(running, 'slow')!.statename, 'RUNNING');

  // a group removed, then added again
  const [withIdle, withoutIdle] = await withinOneSecond('remove a group', async () => {
    assert.is(await xmlrpcCall(o, 'supervisor.removeProcessGroup', ['idle']), true);
  });
  assert.ok(byName(withIdle, 'idle'));
  assert.is(byName(withoutIdle, 'idle'), undefined);
  const [, again] = await withinOneSecond('add a group', async () => {
    assert.is(await xmlrpcCall(o, 'supervisor.addProcessGroup', ['idle']), true);
  });
  assert.is(byName(again, 'idle')!.description, 'Not started');
  await d.stop();
});

test.run();
