// statevisord's command line as supervisord's: flags, usage errors, daemonizing, the
// pidfile, rlimits and privileges. Real processes, observed from outside.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/statevisord');

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });

/** run() without blocking this process's event loop (a server here must keep answering). */
function runAsync(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

const alive = (pid: number) => {
  try { process.kill(pid, 0); return true; } catch { return false; }
};

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const test = suite('statevisord command line', { dir: '' }, 30_000);
test.before.each((ctx) => { ctx.dir = mkdtempSync(join(tmpdir(), 'statevisord-cli-')); });
test.after.each((ctx) => { rmSync(ctx.dir, { recursive: true, force: true }); });

test('-v prints the supervisor version it is compatible with; -h the usage', () => {
  assert.equal([run('-v').stdout, run('-v').status], ['4.2.5\n', 0]);
  const help = run('-h');
  assert.is(help.status, 0);
  assert.match(help.stdout, /^statevisord -- run a set of applications as daemons\./);
  assert.match(help.stdout, /-c\/--configuration FILENAME/);
});

test('unknown flags, missing arguments and positional arguments are usage errors (exit 2)', () => {
  for (const [args, message] of [
    [['--foo'], 'option --foo not recognized'],
    [['-c'], 'option -c requires argument'],
    [['-c', 'x.conf', 'extra'], "positional arguments are not supported: ['extra']"],
    [['-e', 'loud', '-c', 'x.conf'], "invalid value for -e 'loud': bad logging level name 'loud'"],
  ] as const) {
    const r = run(...args);
    assert.is(r.status, 2, args.join(' '));
    assert.is(r.stderr, `Error: ${message}\nFor help, use statevisord -h\n`);
  }
});

test('a missing config file is a usage error', () => {
  const r = run('-c', '/nonexistent/statevisor.conf');
  assert.equal([r.status, r.stderr], [2, 'Error: could not find config file /nonexistent/statevisor.conf\nFor help, use statevisord -h\n']);
});

test('without nodaemon it daemonizes: the command returns 0 once the pidfile is written, the daemon leads its own session', async ({ dir }) => {
  const conf = join(dir, 'd.conf');
  writeFileSync(conf, `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/d.pid\nchildlogdir=${dir}\n\n[program:sleeper]\ncommand=/bin/sleep 1000\nstartsecs=0\n`);
  const r = run('-c', conf);
  assert.is(r.status, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'd.pid')), 'the pidfile exists when the command returns');
  const pid = Number(readFileSync(join(dir, 'd.pid'), 'utf8').trim());
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    assert.is(Number(stat[3]), pid, 'session id = pid: a session leader, detached from ours');
    await until('the program to run', () => readFileSync(join(dir, 'main.log'), 'utf8').includes('success: sleeper entered RUNNING state'));
    const log = readFileSync(join(dir, 'main.log'), 'utf8');
    assert.match(log, 'daemonizing the supervisord process');
    assert.match(log, `supervisord started with pid ${pid}`);
  } finally {
    process.kill(pid, 'SIGTERM');
    await until('the daemon to exit', () => !alive(pid));
  }
  assert.not.ok(existsSync(join(dir, 'd.pid')), 'the pidfile is removed at exit');
});

test('without nodaemon, a port in use is reported in the foreground with exit 2, as supervisord does before it forks', async ({ dir }) => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as AddressInfo).port;
  const conf = join(dir, 'p.conf');
  writeFileSync(conf, `[inet_http_server]\nport=127.0.0.1:${port}\n\n[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/p.pid\nchildlogdir=${dir}\n`);
  try {
    const r = await runAsync('-c', conf);
    assert.is(r.stderr, `Error: Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.\nFor help, use statevisord -h\n`);
    assert.is(r.status, 2);
    assert.not.ok(existsSync(join(dir, 'p.pid')), 'no pidfile');
  } finally {
    busy.close();
  }
});

test('flags override the file: -n, -l, -j, -e, -i', async ({ dir }) => {
  const conf = join(dir, 'f.conf');
  writeFileSync(conf, `[supervisord]\nlogfile=${dir}/ignored.log\nchildlogdir=${dir}\n\n[program:p]\ncommand=/bin/sh -c "echo out; exec sleep 1000"\nstartsecs=0\n`);
  const daemon = spawn(process.execPath, [BIN, '-n', '-c', conf, '-l', `${dir}/main.log`, '-j', `${dir}/x.pid`, '-e', 'debug', '-i', 'myid'], { stdio: 'ignore' });
  const exited = new Promise((r) => daemon.on('exit', r));
  try {
    const log = () => (existsSync(join(dir, 'main.log')) ? readFileSync(join(dir, 'main.log'), 'utf8') : '');
    await until('the debug copy of the output', () => log().includes("'p' stdout output:\nout"));
    assert.ok(existsSync(join(dir, 'x.pid')), '-j names the pidfile');
    assert.not.ok(existsSync(join(dir, 'ignored.log')), '-l wins over logfile=');
    assert.ok(readdirSync(dir).some((f) => /^p-stdout---myid-\w+\.log$/.test(f)), '-i names AUTO logs');
  } finally {
    daemon.kill('SIGTERM');
    await exited;
  }
});

test.run();
