// statevisord from outside: a group's supervision strategy (one_for_one, one_for_all,
// rest_for_one) when a member dies, and the restart intensity limit. A member is killed
// from outside (SIGKILL: an unexpected exit, so autorestart=unexpected restarts it).
// With startsecs>0 a death before startsecs (BACKOFF) counts as one after it does.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { pyCalls } from '../rpc/helpers.ts';
import { alive, cleanupAll, firstLineOf, prog, program, section, startDaemon, waitFor, type Daemon } from './helpers.ts';

const test = suite('daemon/strategies', {}, 60_000);
test.after.each(cleanupAll);

type Members = Partial<Record<'a' | 'b' | 'c', Record<string, string | number>>>;

/** Members whose stop takes stopwaitsecs=1: they ignore SIGTERM. */
const STUBBORN = (name: string) => ({ command: program('ignore-term.sh'), stopwaitsecs: 1, stdout_logfile: `%(here)s/${name}.log` });

/** Group g of sleepers a, b, c (priorities 1, 2, 3) with the given supervision options. */
const trio = (supervision: Record<string, string | number>, members: Members = {}) => [
  section('unix_http_server', { file: '%(here)s/sv.sock' }),
  prog('c', program('sleep-forever.sh'), { priority: 3, ...members.c }),
  prog('a', program('sleep-forever.sh'), { priority: 1, ...members.a }),
  prog('b', program('sleep-forever.sh'), { priority: 2, ...members.b }),
  section('group:g', { programs: 'a,b,c', ...supervision }),
].join('\n');

async function startTrio(supervision: Record<string, string | number>, members: Members = {}): Promise<{ d: Daemon; pids: Record<string, number> }> {
  const d = await startDaemon(trio(supervision, members), { supervisord: { loglevel: 'debug' } });
  await d.waitForLines(/^success: /, 3);
  // A stubborn member is ready once it has said so (its SIGTERM is ignored from then on).
  for (const name of Object.keys(members)) await firstLineOf(d.path(`${name}.log`));
  const pids = { a: d.spawnedPids('a')[0], b: d.spawnedPids('b')[0], c: d.spawnedPids('c')[0] };
  return { d, pids };
}

/** getProcessInfo of each name, over XML-RPC from Python; a fault fails the test. */
async function processInfo(url: string, names: string[]): Promise<{ statename: string; spawnerr: string }[]> {
  const outcomes = await pyCalls(url, names.map((n) => ['supervisor.getProcessInfo', [n]]));
  return outcomes.map((o, i) => {
    if (!('ok' in o)) throw new Error(`getProcessInfo ${names[i]}: ${JSON.stringify(o)}`);
    return o.ok as { statename: string; spawnerr: string };
  });
}

/** What happened after `from`, as `LEVEL message`, pids replaced by N, without success lines and output copies. */
const after = (d: Daemon, from: number) =>
  d.lines().filter((l) => l.index >= from && !l.message.startsWith('success: ') && !/^'\w+' std(out|err) output:/.test(l.message)).map((l) => `${l.level} ${l.message.replace(/\d{2,}/g, 'N')}`);

test('one_for_one: only the member that died restarts', async () => {
  const { d, pids } = await startTrio({ strategy: 'one_for_one', max_restarts: 5 });
  const from = d.mark();
  process.kill(pids.b, 'SIGKILL');
  const b2 = await d.spawned('b', 0, 10_000, from);
  assert.equal(after(d, from), ['WARN exited: b (terminated by SIGKILL; not expected)', 'DEBG received SIGCHLD indicating a child quit', "INFO spawned: 'b' with pid N"]);
  assert.ok(alive(b2) && alive(pids.a) && alive(pids.c), 'a and c untouched, b back');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('one_for_all: the others stop in reverse priority, then all start in priority order', async () => {
  // c stops last (it needs its SIGKILL), so the order of the stops is fixed.
  const { d, pids } = await startTrio({ strategy: 'one_for_all' }, { c: STUBBORN('c') });
  const from = d.mark();
  process.kill(pids.b, 'SIGKILL');
  await d.waitForLines(/^spawned: /, 3, 10_000, from);
  assert.equal(after(d, from), [
    'WARN exited: b (terminated by SIGKILL; not expected)',
    'DEBG received SIGCHLD indicating a child quit',
    'INFO one_for_all: b exited in group g, restarting a, b, c',
    'DEBG killing c (pid N) with signal SIGTERM',
    'DEBG killing a (pid N) with signal SIGTERM',
    'WARN stopped: a (terminated by SIGTERM)',
    'DEBG received SIGCHLD indicating a child quit',
    "WARN killing 'c' (N) with SIGKILL",
    'DEBG killing c (pid N) with signal SIGKILL',
    'WARN stopped: c (terminated by SIGKILL)',
    'DEBG received SIGCHLD indicating a child quit',
    "INFO spawned: 'a' with pid N",
    "INFO spawned: 'b' with pid N",
    "INFO spawned: 'c' with pid N",
  ]);
  assert.not.ok(alive(pids.a) || alive(pids.c), 'the old a and c are gone');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

// The same restart when the first member is the last to stop: its STOPPED is what lets the
// group start the restart, with a START to the member still finishing that step.
test('one_for_all: priority order holds when the first member is the last to stop', async () => {
  const { d, pids } = await startTrio({ strategy: 'one_for_all' }, { a: STUBBORN('a') });
  const from = d.mark();
  process.kill(pids.b, 'SIGKILL');
  await d.waitForLines(/^spawned: /, 3, 10_000, from);
  await d.waitForLines(/^success: /, 3, 10_000, from);
  const started = d.lines().filter((l) => l.index >= from && /^(spawned|success): /.test(l.message)).map((l) => l.message.replace(/ with pid \d+| entered RUNNING.*/g, ''));
  assert.equal(started, ["spawned: 'a'", 'success: a', "spawned: 'b'", 'success: b', "spawned: 'c'", 'success: c']);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

/** After b's death in a rest_for_one trio: c is stopped, b and c start again, a is untouched. */
function restForOneTookDownC(d: Daemon, from: number, pids: Record<'a' | 'b' | 'c', number>): void {
  assert.equal(after(d, from), [
    'WARN exited: b (terminated by SIGKILL; not expected)',
    'DEBG received SIGCHLD indicating a child quit',
    'INFO rest_for_one: b exited in group g, restarting b, c',
    'DEBG killing c (pid N) with signal SIGTERM',
    'WARN stopped: c (terminated by SIGTERM)',
    'DEBG received SIGCHLD indicating a child quit',
    "INFO spawned: 'b' with pid N",
    "INFO spawned: 'c' with pid N",
  ]);
  assert.ok(alive(pids.a), 'a, before b, untouched');
  assert.not.ok(alive(pids.c), 'the old c is gone');
}

test('rest_for_one: only the members after the dead one are taken down and restarted', async () => {
  const { d, pids } = await startTrio({ strategy: 'rest_for_one' });
  const from = d.mark();
  process.kill(pids.b, 'SIGKILL');
  await d.waitForLines(/^spawned: /, 2, 10_000, from);
  restForOneTookDownC(d, from, pids);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('SIGTERM while a one_for_all restart is stopping the members: nothing starts again, exit 0', async () => {
  // a and c ignore SIGTERM, so the strategy's stop takes stopwaitsecs: the shutdown lands in it.
  const d = await startDaemon([
    prog('a', program('ignore-term.sh'), { priority: 1, stopwaitsecs: 1, stdout_logfile: '%(here)s/a.log' }),
    prog('b', program('sleep-forever.sh'), { priority: 2 }),
    prog('c', program('ignore-term.sh'), { priority: 3, stopwaitsecs: 1, stdout_logfile: '%(here)s/c.log' }),
    section('group:g', { programs: 'a,b,c', strategy: 'one_for_all' }),
  ].join('\n'));
  await firstLineOf(d.path('a.log'));
  await firstLineOf(d.path('c.log'));
  const from = d.mark();
  process.kill(await d.spawned('b'), 'SIGKILL');
  await d.waitForLine(/^one_for_all: b exited in group g, restarting a, b, c$/, 5000, from);
  d.signal('SIGTERM');
  assert.equal(await d.waitExit(), { code: 0, signal: null });
  const lines = after(d, from);
  assert.equal(lines.filter((l) => l.startsWith('INFO spawned')), [], `no spawn after the shutdown began:\n${lines.join('\n')}`);
  assert.equal(lines.filter((l) => l.includes('stopped: ')).sort(), ['WARN stopped: a (terminated by SIGKILL)', 'WARN stopped: c (terminated by SIGKILL)']);
  await waitFor('no process of the daemon left', () => d.leftovers().length === 0, 3000);
});

test('intensity: more than max_restarts within restart_window: the group gives up, its members end FATAL', async () => {
  const d = await startDaemon([
    prog('crasher', program('exit-after.sh', 3, 100), { priority: 1 }),
    prog('steady', program('sleep-forever.sh'), { priority: 2 }),
    section('group:g', { programs: 'crasher,steady', strategy: 'one_for_one', max_restarts: 2, restart_window: 30 }),
    // Outside the group: once g has given up, the only process left to stop at shutdown.
    prog('keepalive', program('sleep-forever.sh')),
  ].join('\n'));
  const gaveUp = await d.waitForLine(/^gave up: group g /, 10_000);
  assert.is(gaveUp.level, 'WARN');
  assert.is(gaveUp.message, 'gave up: group g exceeded max_restarts=2 within restart_window=30 seconds; stopping its processes and marking them FATAL');
  await d.waitForLine(/^stopped: steady /, 5000, gaveUp.index);
  // Two restarts allowed: three runs, the third exit is one too many.
  assert.is(d.spawnedPids('crasher').length, 3);
  assert.is(d.matching(/^exited: crasher \(exit status 3; not expected\)$/).length, 3);
  assert.equal(d.lines().filter((l) => l.index > gaveUp.index).map((l) => `${l.level} ${l.message}`), ['WARN stopped: steady (terminated by SIGTERM)']);
  // FATAL members are stopped: at shutdown only keepalive has anything to stop.
  const from = d.mark();
  assert.equal(await d.stop(), { code: 0, signal: null });
  assert.equal(d.matching(/crasher|steady/, from), []);
  assert.equal(d.matching(/^stopped: /, from).map((l) => l.message), ['stopped: keepalive (terminated by SIGTERM)']);
});

// startsecs=30: every member stays STARTING for the whole test, so b is killed before
// its startsecs whatever the machine's load, and its exit is a BACKOFF.
test('rest_for_one: a member that dies before startsecs takes the rest down; they come back after its own retry', async () => {
  const starting = { startsecs: 30 };
  const d = await startDaemon(trio({ strategy: 'rest_for_one' }, { a: starting, b: starting, c: starting }), { supervisord: { loglevel: 'debug' } });
  const pids = { a: await d.spawned('a'), b: await d.spawned('b'), c: await d.spawned('c') };
  const from = d.mark();
  process.kill(pids.b, 'SIGKILL');
  await d.waitForLines(/^spawned: /, 2, 15_000, from);
  restForOneTookDownC(d, from, pids);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('max_restarts counts deaths before startsecs: the third within the window gives up, before startretries does', async () => {
  const d = await startDaemon([
    section('unix_http_server', { file: '%(here)s/sv.sock' }),
    prog('crasher', program('exit-after.sh', 3, 100), { priority: 1, startsecs: 5, startretries: 10 }),
    prog('steady', program('sleep-forever.sh'), { priority: 2 }),
    section('group:g', { programs: 'crasher,steady', max_restarts: 2, restart_window: 60 }),
  ].join('\n'));
  const gaveUp = await d.waitForLine(/^gave up: group g /, 30_000);
  assert.is(gaveUp.message, 'gave up: group g exceeded max_restarts=2 within restart_window=60 seconds; stopping its processes and marking them FATAL');
  await d.waitForLine(/^stopped: steady /, 10_000, gaveUp.index);
  assert.is(d.spawnedPids('crasher').length, 3);
  assert.is(d.matching(/^exited: crasher \(exit status 3; not expected\)$/).length, 3);
  assert.equal(d.matching(/^gave up: crasher /), [], 'startretries=10 never ran out');
  const info = await processInfo(`unix://${d.path('sv.sock')}`, ['g:crasher', 'g:steady']);
  const reason = 'group g exceeded max_restarts=2 within restart_window=60 seconds';
  assert.equal(info.map((i) => [i.statename, i.spawnerr]), [['FATAL', reason], ['FATAL', reason]]);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('a member the user starts and stops by RPC during a restart stays as the user left it', async () => {
  // c ignores SIGTERM for stopwaitsecs=8: the restart waits on it while the user acts.
  const { d, pids } = await startTrio({ strategy: 'one_for_all' }, { c: { ...STUBBORN('c'), stopwaitsecs: 8 } });
  const from = d.mark();
  process.kill(pids.b, 'SIGKILL');
  await d.waitForLine(/^stopped: a /, 10_000, from);
  const url = `unix://${d.path('sv.sock')}`;
  const outcomes = await pyCalls(url, [['supervisor.startProcess', ['g:a']], ['supervisor.stopProcess', ['g:a']]]);
  assert.equal(outcomes, [{ ok: true }, { ok: true }]);
  assert.is(d.matching(/^stopped: c /, from).length, 0, 'c was still stopping while the user acted');
  await d.waitForLine(/^spawned: 'c' /, 20_000, from);
  const started = d.lines().filter((l) => l.index >= from && /^spawned: /.test(l.message)).map((l) => l.message.replace(/ with pid \d+/, ''));
  assert.equal(started, ["spawned: 'a'", "spawned: 'b'", "spawned: 'c'"], 'a once (the user), then b and c (the strategy)');
  assert.equal((await processInfo(url, ['g:a'])).map((i) => i.statename), ['STOPPED']);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test.run();
