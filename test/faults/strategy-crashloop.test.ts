// A supervised group whose first member crashes before startsecs, again and again, under
// a running statevisord: each crash takes the rest down (rest_for_one) and counts toward
// max_restarts, the daemon answers XML-RPC throughout, gives the group up when the limit
// is passed, and still shuts down clean with nothing left behind. supervisord has no
// group strategies to run beside it (it ignores the keys: its members restart alone,
// which test/compat/mainlog.test.ts compares for plain BACKOFF).
import * as assert from 'uvu/assert';
import { cleanupAll, prog, program, section, startDaemon } from '../daemon/helpers.ts';
import { suite } from '../harness.ts';
import { pyCalls } from '../rpc/helpers.ts';

const test = suite('faults: a crash loop before startsecs in a rest_for_one group', {}, 90_000);
test.after.each(cleanupAll);

const REASON = 'group g exceeded max_restarts=3 within restart_window=60 seconds';

test('each crash restarts the rest, the 4th within the window gives the group up; RPC answers throughout; clean exit', async () => {
  const d = await startDaemon([
    section('unix_http_server', { file: '%(here)s/sv.sock' }),
    // startsecs=30: each run of crasher ends long before it, however loaded the machine.
    prog('crasher', program('exit-after.sh', 1, 50), { priority: 1, startsecs: 30, startretries: 10 }),
    prog('f1', program('sleep-forever.sh'), { priority: 2 }),
    prog('f2', program('sleep-forever.sh'), { priority: 3 }),
    section('group:g', { programs: 'crasher,f1,f2', strategy: 'rest_for_one', max_restarts: 3, restart_window: 60 }),
  ].join('\n'));
  const url = `unix://${d.path('sv.sock')}`;
  // In the middle of the loop the daemon is RUNNING and answers.
  await d.waitForLines(/^rest_for_one: crasher exited in group g, restarting crasher, f1, f2$/, 2, 20_000);
  assert.equal(await pyCalls(url, [['supervisor.getState', []]]), [{ ok: { statecode: 1, statename: 'RUNNING' } }]);

  const gaveUp = await d.waitForLine(/^gave up: group g /, 40_000);
  assert.is(gaveUp.message, `gave up: ${REASON}; stopping its processes and marking them FATAL`);
  await d.waitForLines(/^stopped: f\d /, 8, 10_000);
  // Three restarts allowed: four runs of each member, the fourth crash one too many.
  assert.equal(['crasher', 'f1', 'f2'].map((n) => d.spawnedPids(n).length), [4, 4, 4]);
  assert.is(d.matching(/^exited: crasher \(exit status 1; not expected\)$/).length, 4);
  assert.is(d.matching(/^rest_for_one: /).length, 3);
  assert.equal(d.matching(/^gave up: crasher /), [], 'startretries never ran out: the group gave up first');

  const info = await pyCalls(url, [['supervisor.getAllProcessInfo', []]]);
  const rows = 'ok' in info[0] ? (info[0].ok as { name: string; statename: string; spawnerr: string }[]) : [];
  assert.equal(rows.map((r) => [r.name, r.statename, r.spawnerr]), [
    ['crasher', 'FATAL', REASON], ['f1', 'FATAL', REASON], ['f2', 'FATAL', REASON],
  ], JSON.stringify(info));
  assert.equal(d.leftovers(), [], 'every member is down');

  // A user can start the group again by hand.
  const from = d.mark();
  const started = await pyCalls(url, [['supervisor.startProcess', ['g:f1', false]]]);
  assert.equal(started, [{ ok: true }]);
  await d.spawned('f1', 0, 10_000, from);
  assert.equal(await d.stop(), { code: 0, signal: null });
  assert.equal(d.leftovers(), []);
});

test.run();
