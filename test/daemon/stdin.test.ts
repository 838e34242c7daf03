// supervisor.sendProcessStdin through a running statevisord, from Python's xmlrpc.client.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { pyCalls } from '../rpc/helpers.ts';
import { cleanupAll, prog, program, readText, section, startDaemon, waitFor } from './helpers.ts';

const test = suite('daemon/stdin', {}, 30_000);
test.after.each(cleanupAll);

test('sendProcessStdin: bytes reach the child in order (UTF-8), a closed stdin is NO_FILE, a stopped one NOT_RUNNING', async () => {
  const d = await startDaemon([
    section('unix_http_server', { file: '%(here)s/sv.sock' }),
    prog('cat', program('echo-stdin.sh'), { stdout_logfile: '%(here)s/cat.log' }),
    prog('closer', "/bin/sh -c 'exec 0<&-; exec sleep 1000'"),
    prog('idle', program('sleep-forever.sh'), { autostart: false }),
  ].join('\n'));
  await d.spawned('closer');
  await d.waitForLine(/^success: closer entered RUNNING state/);
  const url = `unix://${d.path('sv.sock')}`;
  const outcomes = await pyCalls(url, [
    ['supervisor.sendProcessStdin', ['cat', 'one\n']],
    ['supervisor.sendProcessStdin', ['cat', 'zwei ✓ drei\n']],
    ['supervisor.sendProcessStdin', ['closer', 'x']],
    ['supervisor.sendProcessStdin', ['idle', 'x']],
  ]);
  assert.equal(outcomes, [{ ok: true }, { ok: true }, { fault: [20, 'NO_FILE: closer'] }, { fault: [70, 'NOT_RUNNING: idle'] }]);
  const log = await waitFor('both lines in cat.log', () => (readText(d.path('cat.log')).split('\n').length > 2 ? readText(d.path('cat.log')) : undefined));
  assert.is(log, 'one\nzwei ✓ drei\n');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test.run();
