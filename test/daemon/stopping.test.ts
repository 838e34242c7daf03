// statevisord from outside: stopping programs that resist (stopwaitsecs, SIGKILL) and
// programs with grandchildren (stopasgroup, killasgroup).
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { alive, cleanupAll, firstLineOf, gap, pgidOf, prog, program, startDaemon, waitFor, waitUntilGone } from './helpers.ts';

const test = suite('daemon/stopping', {}, 60_000);
test.after.each(cleanupAll);

const kill = (pid: number) => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } };

test('a program that ignores SIGTERM: SIGKILL after stopwaitsecs, `stopped: x (terminated by SIGKILL)`', async () => {
  const d = await startDaemon(prog('stubborn', program('ignore-term.sh'), { stopwaitsecs: 1, stdout_logfile: '%(here)s/stubborn.log' }));
  const pid = await d.spawned('stubborn');
  // It prints "ready" once its SIGTERM is ignored.
  assert.is(await firstLineOf(d.path('stubborn.log')), 'ready');
  const from = d.mark();
  const exit = await d.stop('SIGTERM');
  assert.equal(exit, { code: 0, signal: null });
  const received = d.matching(/^received SIGTERM/, from)[0];
  const killing = d.matching(/^killing /, from);
  assert.equal(killing.map((l) => `${l.level} ${l.message}`), [`WARN killing 'stubborn' (${pid}) with SIGKILL`]);
  const stopped = d.matching(/^stopped: /, from);
  assert.equal(stopped.map((l) => `${l.level} ${l.message}`), ['WARN stopped: stubborn (terminated by SIGKILL)']);
  assert.ok(killing[0].index < stopped[0].index);
  const waited = gap(received, killing[0]);
  assert.ok(waited >= 950 && waited < 2500, `SIGKILL ${waited} ms after the stop, stopwaitsecs=1`);
  assert.not.ok(alive(pid));
});

test('stopasgroup=true: the stop signal reaches the grandchild; without it the grandchild survives', async () => {
  const d = await startDaemon([
    prog('grouped', program('spawn-grandchild.sh'), { stopasgroup: true, stdout_logfile: '%(here)s/grouped.log' }),
    prog('plain', program('spawn-grandchild.sh'), { stdout_logfile: '%(here)s/plain.log' }),
  ].join('\n'));
  const [grouped, plain] = [await d.spawned('grouped'), await d.spawned('plain')];
  const groupedGrandchild = Number(await firstLineOf(d.path('grouped.log')));
  const plainGrandchild = Number(await firstLineOf(d.path('plain.log')));
  // Each grandchild is in its parent's process group, which the parent leads.
  assert.is(pgidOf(groupedGrandchild), grouped);
  assert.is(pgidOf(plainGrandchild), plain);
  try {
    const from = d.mark();
    assert.equal(await d.stop(), { code: 0, signal: null });
    assert.equal(d.matching(/^stopped: /, from).map((l) => l.message).sort(), [
      'stopped: grouped (terminated by SIGTERM)', 'stopped: plain (terminated by SIGTERM)',
    ]);
    assert.not.ok(alive(grouped));
    assert.not.ok(alive(plain));
    await waitUntilGone(groupedGrandchild, 3000);
    // A SIGTERM to the pid alone leaves the grandchild running, as under supervisord.
    assert.ok(alive(plainGrandchild), 'the grandchild of a program without stopasgroup survives');
    assert.equal(d.leftovers(), [plainGrandchild]);
  } finally {
    kill(plainGrandchild);
  }
  await waitUntilGone(plainGrandchild);
});

test('killasgroup=true: the SIGKILL after stopwaitsecs reaches the grandchild; without it the grandchild survives', async () => {
  const d = await startDaemon([
    prog('kag', program('ignore-term-grandchild.sh'), { stopwaitsecs: 1, killasgroup: true, stdout_logfile: '%(here)s/kag.log' }),
    prog('nokag', program('ignore-term-grandchild.sh'), { stopwaitsecs: 1, stdout_logfile: '%(here)s/nokag.log' }),
  ].join('\n'));
  const [kag, nokag] = [await d.spawned('kag'), await d.spawned('nokag')];
  const kagGrandchild = Number(await firstLineOf(d.path('kag.log')));
  const nokagGrandchild = Number(await firstLineOf(d.path('nokag.log')));
  try {
    const from = d.mark();
    assert.equal(await d.stop(), { code: 0, signal: null });
    assert.equal(d.matching(/^killing /, from).map((l) => l.message).sort(), [
      `killing 'kag' (${kag}) with SIGKILL`, `killing 'nokag' (${nokag}) with SIGKILL`,
    ]);
    assert.equal(d.matching(/^stopped: /, from).map((l) => l.message).sort(), [
      'stopped: kag (terminated by SIGKILL)', 'stopped: nokag (terminated by SIGKILL)',
    ]);
    await waitUntilGone(kagGrandchild, 3000);
    assert.ok(alive(nokagGrandchild), 'the grandchild of a program without killasgroup survives');
    await waitFor('only the unprotected grandchild left', () => {
      const left = d.leftovers();
      return left.length === 1 && left[0] === nokagGrandchild;
    }, 3000);
  } finally {
    kill(nokagGrandchild);
  }
  await waitUntilGone(nokagGrandchild);
});

test.run();
