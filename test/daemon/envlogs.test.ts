// environment_file and log_format / logformat on a running statevisord: a real child
// printing its environment, spawn errors in the main log, statevisorctl start after an
// edit, each log format through rotation and to /dev/stdout, partial lines, JSON main log,
// and a bad value refused at start and at reload.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { cleanupAll, Daemon, prog, program, readText, ROOT, startDaemon, waitFor, type Options } from './helpers.ts';

const test = suite('daemon/envlogs', {}, 90_000);
test.after.each(cleanupAll);

const KEEPALIVE = `\n${prog('keepalive', program('sleep-forever.sh'))}`;
/** What statevisorctl needs: a unix socket, its rpcinterface and the client's serverurl. */
const CONTROL = [
  '[unix_http_server]', 'file=%(here)s/sv.sock',
  '[rpcinterface:supervisor]', 'supervisor.rpcinterface_factory=supervisor.rpcinterface:make_main_rpcinterface',
  '[supervisorctl]', 'serverurl=unix://%(here)s/sv.sock', '',
].join('\n');

function ctl(d: Daemon, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/statevisorctl'), '-c', d.conf, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** `NAME=value` lines of print-env.sh's runs, the last run's view. */
function lastEnv(text: string, marker: string): Record<string, string> {
  const runs = text.split(`${marker}\n`);
  return Object.fromEntries(runs.at(-1)!.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

test('environment_file: the five layers in order in a real child; an edited file applies at the next start', async () => {
  const vars = { EF_L0: 'daemon', EF_L1: 'daemon', EF_L5: 'daemon' };
  Object.assign(process.env, vars);
  let d: Daemon;
  try {
    d = new Daemon(`${CONTROL}${prog('pe', program('print-env.sh'), {
      autorestart: false, stdout_logfile: '%(here)s/pe.log',
      environment_file: '%(here)s/pe.env', environment: 'EF_L4=progenv',
    })}${KEEPALIVE}`, { environment_file: '%(here)s/sd.env', environment: 'EF_L2=sdenv,EF_L3=sdenv' });
    writeFileSync(d.path('sd.env'), 'EF_L1=sdfile\nEF_L2=sdfile\nEF_L3=sdfile\nEF_L4=sdfile\nRUN=one\n');
    writeFileSync(d.path('pe.env'), '# the program\'s own\nEF_L3=progfile\nexport EF_L4=progfile\nEF_L5="prog file"\n');
    await d.start();
  } finally {
    for (const k of Object.keys(vars)) delete process.env[k];
  }
  await d.waitForLine(/^exited: pe \(exit status 0; expected\)$/);
  const first = lastEnv(await waitFor('pe.log', () => readText(d.path('pe.log')) || undefined), 'never');
  assert.equal([first.EF_L0, first.EF_L1, first.EF_L2, first.EF_L3, first.EF_L4, first.EF_L5, first.RUN], ['daemon', 'sdfile', 'sdenv', 'progfile', 'progenv', 'prog file', 'one']);
  assert.is(first.SUPERVISOR_PROCESS_NAME, 'pe');
  // Edit both files; the next start reads them again.
  writeFileSync(d.path('sd.env'), 'RUN=two\n');
  writeFileSync(d.path('pe.env'), 'EF_L5=edited\n');
  writeFileSync(d.path('pe.log'), 'RUN-MARK\n');
  const from = d.mark();
  const r = ctl(d, 'start', 'pe');
  assert.is(r.code, 0, r.out);
  await d.waitForLine(/^exited: pe \(exit status 0; expected\)$/, 10_000, from);
  const second = await waitFor('the second run in pe.log', () => {
    const env = lastEnv(readText(d.path('pe.log')), 'RUN-MARK');
    return env.RUN ? env : undefined;
  });
  assert.equal([second.RUN, second.EF_L5, second.EF_L3], ['two', 'edited', 'sdenv'], 'EF_L3 falls back to [supervisord] environment=');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('a missing `-` file is fine; a missing file without it is a spawnerr, BACKOFF then FATAL; once it exists, start works', async () => {
  const d = await startDaemon(`${CONTROL}${[
    prog('opt', program('print-env.sh'), { autorestart: false, stdout_logfile: '%(here)s/opt.log', environment_file: '-%(here)s/none.env' }),
    prog('req', program('print-env.sh'), { autorestart: false, stdout_logfile: '%(here)s/req.log', environment_file: '%(here)s/req.env', startretries: 1 }),
  ].join('\n')}${KEEPALIVE}`);
  await d.waitForLine(/^exited: opt \(exit status 0; expected\)$/);
  const path = d.path('req.env');
  const errors = await d.waitForLines(/^spawnerr: /, 2);
  assert.equal(errors.map((l) => l.message), [`spawnerr: can't find environment_file '${path}'`, `spawnerr: can't find environment_file '${path}'`]);
  await d.waitForLine(/^gave up: req entered FATAL state, too many start retries too quickly$/);
  const status = ctl(d, 'status', 'req');
  assert.match(status.out, new RegExp(`^req +FATAL +can't find environment_file '${path}'`), status.out);
  const refused = ctl(d, 'start', 'req');
  assert.match(refused.out, /^req: ERROR \(spawn error\)$/m, refused.out);
  writeFileSync(path, 'REQ=here\n');
  const from = d.mark();
  const r = ctl(d, 'start', 'req');
  assert.is(r.code, 0, r.out);
  await d.waitForLine(/^exited: req \(exit status 0; expected\)$/, 10_000, from);
  assert.match(await waitFor('req.log', () => readText(d.path('req.log')) || undefined), /^REQ=here$/m);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

/** A log and its backups, oldest first, as one text. */
function allOf(d: Daemon, name: string): string {
  const backups = readdirSync(d.dir).map((n) => new RegExp(`^${name}\\.(\\d+)$`).exec(n)).filter((m) => m !== null).map((m) => Number(m![1])).sort((a, b) => b - a);
  return [...backups.map((n) => `${name}.${n}`), name].map((f) => readFileSync(d.path(f), 'utf8')).join('');
}

const NUMBERED = Array.from({ length: 150 }, (_, i) => `${String(i + 1).padStart(5, '0')} ${'x'.repeat(57)}`);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

test('raw, timestamped and json through rotation; json to /dev/stdout; tail reads the file as written', async () => {
  const logs = (name: string, format: string): Options => ({
    autorestart: false, log_format: format, stdout_logfile: `%(here)s/${name}.log`, stdout_logfile_maxbytes: '4KB', stdout_logfile_backups: 20,
  });
  const d = new Daemon(`${CONTROL}${[
    prog('raw', program('numbered.sh', 150, 0.002), logs('raw', 'raw')),
    prog('ts', program('numbered.sh', 150, 0.002), logs('ts', 'timestamped')),
    prog('js', program('numbered.sh', 150, 0.002), logs('js', 'json')),
    prog('dev', program('numbered.sh', 3), { autorestart: false, log_format: 'json', stdout_logfile: '/dev/stdout', stdout_logfile_maxbytes: 0 }),
  ].join('\n')}${KEEPALIVE}`);
  // A file as the daemon's stdout, as a container runtime gives it a pipe or a file.
  await d.start(true, [], d.path('daemon.out'));
  for (const n of ['raw', 'ts', 'js', 'dev']) await d.waitForLine(new RegExp(`^exited: ${n} \\(exit status 0; expected\\)$`));
  const complete = (name: string, lines: number) => waitFor(`${lines} lines in ${name}.log and its backups`, () => {
    const text = allOf(d, `${name}.log`);
    return text.split('\n').length - 1 >= lines ? text : undefined;
  });
  assert.is(await complete('raw', 150), `${NUMBERED.join('\n')}\n`, 'raw is the bytes as written');
  const ts = (await complete('ts', 150)).split('\n').slice(0, -1);
  assert.ok(ts.every((l) => ISO.test(l.slice(0, 24)) && l[24] === ' '), ts[0]);
  assert.equal(ts.map((l) => l.slice(25)), NUMBERED);
  const js = (await complete('js', 150)).split('\n').slice(0, -1).map((l) => JSON.parse(l) as Record<string, string>);
  assert.equal(js.map((r) => r.message), NUMBERED);
  assert.ok(js.every((r) => ISO.test(r.time) && r.name === 'js:js' && r.stream === 'stdout' && Object.keys(r).length === 4), JSON.stringify(js[0]));
  for (const name of ['ts', 'js']) assert.ok(existsSync(d.path(`${name}.log.2`)), `${name}.log rotated: ${readdirSync(d.dir).join(' ')}`);
  const dev = await waitFor('3 JSON records on the daemon\'s stdout', () => {
    const found = readText(d.path('daemon.out')).split('\n').filter((l) => l.includes('"name":"dev:dev"'));
    return found.length >= 3 ? found : undefined;
  });
  assert.equal(dev.map((l) => (JSON.parse(l) as { message: string }).message), NUMBERED.slice(0, 3));
  const tail = ctl(d, 'tail', 'js');
  assert.is(tail.code, 0, tail.out);
  // supervisorctl's output() adds a newline to the last 1600 bytes.
  assert.is(tail.out.slice(0, -1), readFileSync(d.path('js.log'), 'utf8').slice(-1600), "tail shows the file's bytes");
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('a partial line is written after a second while the child waits, and at its exit', async () => {
  const script = (d: Daemon, name: string, body: string) => {
    writeFileSync(d.path(name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return d.path(name);
  };
  const d = new Daemon('');
  const waiting = script(d, 'prompt.sh', "printf 'first\\nprompt> '\nexec sleep 3600");
  const last = script(d, 'last.sh', "printf 'last words'");
  d.writeConfig([
    prog('prompt', waiting, { log_format: 'json', stdout_logfile: '%(here)s/prompt.log' }),
    prog('last', last, { autorestart: false, log_format: 'timestamped', stdout_logfile: '%(here)s/last.log' }),
  ].join('\n'));
  await d.start();
  const records = await waitFor('the partial prompt in prompt.log', () => {
    const lines = readText(d.path('prompt.log')).split('\n').filter(Boolean);
    return lines.length >= 2 ? lines.map((l) => JSON.parse(l) as Record<string, unknown>) : undefined;
  }, 15_000);
  assert.equal(records.map((r) => [r.message, r.partial ?? false]), [['first', false], ['prompt> ', true]]);
  const t = await waitFor('the last words in last.log', () => readText(d.path('last.log')) || undefined);
  assert.match(t, /^\S+Z last words\n$/);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('[supervisord] logformat=json: one JSON object per record in the main log', async () => {
  const d = await startDaemon(prog('a', program('exit-after.sh', 0, 0), { autorestart: false }), { supervisord: { logformat: 'json' }, waitStarted: false });
  const records = await waitFor('the exit of a in the JSON main log', () => {
    const rows = readText(d.logfile).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
    return rows.some((r) => /^exited: a /.test(r.message)) ? rows : undefined;
  });
  assert.ok(records.every((r) => ISO.test(r.time) && /^[A-Z]{4}$/.test(r.level) && Object.keys(r).join() === 'time,level,message'), JSON.stringify(records[0]));
  assert.ok(records.some((r) => r.message === `supervisord started with pid ${d.pid}` && r.level === 'INFO'));
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('an unknown log_format: exit 2 with a clear error at start; at a reload, the old config keeps running', async () => {
  const bad = prog('a', program('sleep-forever.sh'), { log_format: 'xml' });
  const refused = new Daemon(bad);
  await refused.start(false);
  assert.equal(await refused.waitExit(), { code: 2, signal: null });
  assert.match(refused.outputText, /^Error: value 'xml' is not one of raw, timestamped, json for log_format in section 'program:a' \(file: '.*'\)\nFor help, use statevisord -h\n$/);
  const d = await startDaemon(prog('a', program('sleep-forever.sh'), { log_format: 'json' }));
  await d.waitForLine(/^success: a /);
  d.writeConfig(bad);
  const from = d.mark();
  d.signal('SIGHUP');
  const error = await d.waitForLine(/^not restarting/, 10_000, from);
  assert.match(error.message, /value 'xml' is not one of raw, timestamped, json for log_format/);
  assert.equal(d.matching(/^(stopped|spawned): /, from), [], 'nothing was stopped or restarted');
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test.run();
