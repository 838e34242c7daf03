// statevisord from outside with the lifecycle extensions: each ready check kind against
// a real program (a TCP listener, an HTTP server, a log line, a write on a notification
// fd), an HTTP health check, dependencies (start order, a FATAL dependency, stop order),
// and config errors (cycles, unknown names, bad values) at start and on reload.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { pyCall } from '../rpc/helpers.ts';
import { alive, cleanupAll, freePort, prog, program, ROOT, section, startDaemon, type Daemon } from './helpers.ts';

const test = suite('daemon/lifecycle extensions', {}, 90_000);
test.after.each(cleanupAll);

const SOCK = section('unix_http_server', { file: '%(here)s/sv.sock' });
const info = async (d: Daemon, name: string) => {
  const r = await pyCall(`unix://${d.path('sv.sock')}`, 'supervisor.getProcessInfo', [name]);
  if (!('ok' in r)) throw new Error(`getProcessInfo ${name}: ${JSON.stringify(r)}`);
  return r.ok as { statename: string; description: string; spawnerr: string };
};
/** Polls an async probe until it gives a value (the helpers' waitFor takes sync probes). */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const indexOf = (d: Daemon, re: RegExp) => d.lines().findIndex((l) => re.test(l.message));

test('tcp ready check gates RUNNING, and depends_on gates the dependent until then; stop db stops web first', async () => {
  const port = await freePort();
  const d = await startDaemon([
    SOCK,
    prog('db', program('serve-after.py', port, 1500), { ready_check: `tcp:127.0.0.1:${port}`, startsecs: 0 }),
    prog('web', program('sleep-forever.sh'), { depends_on: 'db', startsecs: 0 }),
  ].join('\n'));
  await d.spawned('db');
  const waiting = await until('web described as waiting', async () => {
    const i = await info(d, 'web');
    return i.statename === 'STOPPED' && i.description === 'waiting for db (running)' ? i : undefined;
  }, 10_000);
  assert.ok(waiting);
  await d.waitForLine(/^success: web /, 30_000);
  assert.ok(indexOf(d, /^success: db /) < indexOf(d, /^spawned: 'web'/), 'web spawned after db became RUNNING');
  const r = await pyCall(`unix://${d.path('sv.sock')}`, 'supervisor.stopProcess', ['db', true]);
  assert.equal(r, { ok: true });
  assert.ok(indexOf(d, /^stopped: web /) >= 0 && indexOf(d, /^stopped: web /) < indexOf(d, /^stopped: db /), 'web stopped before db');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('http ready check and http health check: unhealthy N/M in the description, restart after health_retries failures', async () => {
  const port = await freePort();
  const d = await startDaemon([
    SOCK,
    prog('web', program('serve-after.py', port, 300, '%(here)s/fail'), {
      ready_check: `http://127.0.0.1:${port}/ready`, startsecs: 0,
      health_check: `http://127.0.0.1:${port}/health`, health_interval: 1, health_retries: 2, health_timeout: 5,
    }),
  ].join('\n'));
  const pid = await d.spawned('web');
  await d.waitForLine(/^success: web /, 30_000);
  await until('healthy', async () => ((await info(d, 'web')).description.endsWith(', healthy') ? true : undefined), 15_000);
  writeFileSync(d.path('fail'), '');
  const unhealthy = await until('unhealthy 1/2', async () => {
    const desc = (await info(d, 'web')).description;
    return desc.endsWith(', unhealthy 1/2: HTTP 500') ? desc : undefined;
  }, 15_000);
  assert.match(unhealthy, /^pid \d+, uptime /);
  await d.waitForLine(/^web: health check failed 2 times: HTTP 500$/, 15_000);
  const pid2 = await d.spawned('web', 1, 15_000);
  assert.ok(pid2 !== pid && !alive(pid), 'restarted with a new process');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('log ready check: RUNNING on the matching line; fd ready check: RUNNING on the newline', async () => {
  const d = await startDaemon([
    prog('logger', program('say-after.sh', 500, "'server ready on 8080'"), { ready_check: 'log:ready on \\d+', startsecs: 0 }),
    prog('notifier', program('notify-after.sh', 5, 500), { ready_check: 'fd:5', startsecs: 0 }),
    prog('silent', program('sleep-forever.sh'), { ready_check: 'fd:3', ready_timeout: 2, startretries: 0, stopwaitsecs: 1 }),
  ].join('\n'));
  await d.waitForLine(/^success: logger /, 30_000);
  await d.waitForLine(/^success: notifier /, 30_000);
  await d.waitForLine(/^silent: ready check fd:3 did not pass within 2 s; stopping it$/, 30_000);
  await d.waitForLine(/^gave up: silent entered FATAL state/, 30_000);
  assert.is(indexOf(d, /^success: silent /), -1);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('exec ready check runs in the program\'s directory with its environment; start web starts its stopped dependencies first', async () => {
  const d = await startDaemon([
    SOCK,
    // Ready once $FLAG exists in its directory: the check sees both.
    prog('db', program('sleep-forever.sh'), {
      autostart: false, directory: '%(here)s', environment: 'FLAG="db.ready"', startsecs: 0, ready_check: 'exec:test -f "$FLAG"',
    }),
    prog('web', program('sleep-forever.sh'), { autostart: false, depends_on: 'db', startsecs: 0 }),
  ].join('\n'));
  const url = `unix://${d.path('sv.sock')}`;
  const started = pyCall(url, 'supervisor.startProcess', ['web', true]);
  await d.spawned('db');
  const i = await until('db waiting for its check', async () => {
    const x = await info(d, 'db');
    return x.statename === 'STARTING' && x.description.startsWith('waiting for ready check exec:test -f "$FLAG": exit status 1') ? x : undefined;
  }, 10_000);
  assert.ok(i);
  assert.equal(d.spawnedPids('web'), []);
  writeFileSync(d.path('db.ready'), '');
  assert.equal(await started, { ok: true });
  assert.ok(indexOf(d, /^success: db /) < indexOf(d, /^spawned: 'web'/));
  // stop all: web before db.
  assert.equal(await pyCall(url, 'supervisor.stopAllProcesses', [true]), { ok: [
    { name: 'web', group: 'web', status: 80, description: 'OK' }, { name: 'db', group: 'db', status: 80, description: 'OK' },
  ] });
  assert.ok(indexOf(d, /^stopped: web /) < indexOf(d, /^stopped: db /));
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('a FATAL dependency: the dependent is not started, its start fails and names the dependency', async () => {
  const d = await startDaemon([
    SOCK,
    prog('db', '/bin/false', { startretries: 0, startsecs: 1 }),
    prog('web', program('sleep-forever.sh'), { depends_on: 'db:running' }),
  ].join('\n'));
  await d.waitForLine(/^gave up: db entered FATAL state/, 30_000);
  await d.waitForLine(/^not starting web: dependency db is FATAL$/, 10_000);
  const i = await info(d, 'web');
  assert.equal([i.statename, i.description], ['FATAL', 'dependency db is FATAL']);
  assert.equal(d.spawnedPids('web'), []);
  assert.equal(await pyCall(`unix://${d.path('sv.sock')}`, 'supervisor.startProcess', ['web', true]), { fault: [50, 'SPAWN_ERROR: web'] });
  assert.equal(await d.stop(), { code: 0, signal: null });
});

const BIN = `${ROOT}bin/statevisord`;

/** statevisord -c on a config with these sections: its exit code and stderr. */
function load(dir: string, body: string): { code: number | null; stderr: string } {
  const file = `${dir}/bad.conf`;
  writeFileSync(file, `[supervisord]\nlogfile=${dir}/bad.log\npidfile=${dir}/bad.pid\nnodaemon=true\n${body}\n`);
  const r = spawnSync(BIN, ['-c', file], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stderr: r.stderr.replace(file, 'FILE') };
}

test('config errors: a cycle, an unknown name, a bad check, a negative backoff_max, a bad regex', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sv-lifecycle-'));
  const cases: [string, string][] = [
    ['[program:a]\ncommand=/bin/true\ndepends_on=b\n[program:b]\ncommand=/bin/true\ndepends_on=a',
      "Error: depends_on makes a cycle: a -> b -> a in section 'program:a' (file: 'FILE')"],
    ['[program:a]\ncommand=/bin/true\ndepends_on=nosuch',
      "Error: depends_on names unknown program 'nosuch' in section 'program:a' (file: 'FILE')"],
    ['[program:a]\ncommand=/bin/true\nready_check=tcp:localhost',
      "Error: value 'tcp:localhost' is not tcp:HOST:PORT for ready_check in section 'program:a' (file: 'FILE')"],
    ['[program:a]\ncommand=/bin/true\nbackoff_max=-1',
      "Error: value '-1' is not a number of seconds (0 or more) for backoff_max in section 'program:a' (file: 'FILE')"],
    ['[program:a]\ncommand=/bin/true\nready_check=log:([a-z]',
      "Error: regex '([a-z]' does not compile (/([a-z]/: Unterminated group) for ready_check in section 'program:a' (file: 'FILE')"],
  ];
  for (const [body, message] of cases) {
    const r = load(dir, body);
    assert.equal([r.code, r.stderr.split('\n')[0]], [2, message]);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('a reload that meets a bad value keeps the running config and its processes', async () => {
  const d = await startDaemon([SOCK, prog('a', program('sleep-forever.sh'), { backoff: 'exponential' })].join('\n'));
  const pid = await d.spawned('a');
  d.writeConfig([SOCK, prog('a', program('sleep-forever.sh'), { backoff_max: '-5' })].join('\n'));
  const from = d.mark();
  d.signal('SIGHUP');
  const line = await d.waitForLine(/^not restarting: the configuration does not load: /, 10_000, from);
  assert.match(line.message, /value '-5' is not a number of seconds \(0 or more\) for backoff_max in section 'program:a'/);
  assert.ok(alive(pid));
  assert.equal(d.spawnedPids('a', from), []);
  const r = await pyCall(`unix://${d.path('sv.sock')}`, 'supervisor.reloadConfig', []);
  assert.ok('fault' in r && r.fault[0] === 92 && r.fault[1].includes("for backoff_max in section 'program:a'"), JSON.stringify(r));
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('supervisord loads a config that uses every lifecycle key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sv-lifecycle-'));
  const file = join(dir, 'every.conf');
  writeFileSync(file, [
    `[supervisord]\nlogfile=${dir}/sd.log\npidfile=${dir}/sd.pid`,
    '[program:db]\ncommand=/bin/true\nready_check=tcp:127.0.0.1:5432\nready_timeout=30',
    '[program:migrate]\ncommand=/bin/true\ndepends_on=db:started\nbackoff=exponential\nbackoff_max=30\nbackoff_jitter=0.2\nretry_forever=true',
    '[program:web]\ncommand=/bin/true\ndepends_on=db, migrate:completed\nhealth_check=http://127.0.0.1:8080/health\nhealth_interval=10\nhealth_timeout=5\nhealth_retries=3\nrestart_delay=1\nbackoff_reset=60',
    '[program:log]\ncommand=/bin/true\nready_check=log:ready',
    '[program:fd]\ncommand=/bin/true\nready_check=fd:3',
  ].join('\n'));
  const py = 'import sys\nfrom supervisor.options import ServerOptions\no = ServerOptions()\no.realize(["-c", sys.argv[1]])\nprint(sorted(g.name for g in o.process_group_configs))';
  const r = spawnSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8', timeout: 30_000 });
  assert.is(r.stderr, '');
  assert.is(r.stdout.trim(), "['db', 'fd', 'log', 'migrate', 'web']");
  const ours = spawnSync(BIN, ['-c', file, '--print-config'], { encoding: 'utf8', timeout: 30_000 });
  const printed = JSON.parse(ours.stdout) as { ok: boolean; groups: { processes: Record<string, unknown>[] }[]; statevisor: { groups: Record<string, { processes: Record<string, { depends_on: unknown }> }> } };
  assert.ok(printed.ok);
  assert.not.ok(printed.groups.some((g) => g.processes.some((p) => 'depends_on' in p || 'statevisor' in p)), "supervisor's schema untouched");
  assert.equal(printed.statevisor.groups.web.processes.web.depends_on, [{ program: 'db', condition: 'running' }, { program: 'migrate', condition: 'completed' }]);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
