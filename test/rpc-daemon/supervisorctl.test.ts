// statevisord driven by Debian's real supervisorctl, transcript for transcript against
// the real supervisord on the same configuration (pids, uptimes and stop times
// normalised). Needs /usr/bin/supervisord and /usr/bin/supervisorctl; skips loudly without.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { freePort } from '../daemon/helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUPERVISORD = '/usr/bin/supervisord';
const SUPERVISORCTL = '/usr/bin/supervisorctl';
const available = existsSync(SUPERVISORD) && existsSync(SUPERVISORCTL);

interface Step { cmd: string; out: string; code: number }

function conf(dir: string, port: number): string {
  return `[unix_http_server]
file=${dir}/sv.sock

[inet_http_server]
port=127.0.0.1:${port}

[supervisord]
logfile=${dir}/supervisord.log
pidfile=${dir}/supervisord.pid
childlogdir=${dir}
nodaemon=true
silent=true

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${dir}/sv.sock

[program:sleeper]
command=/bin/sh -c "echo hello; exec sleep 1000"
startsecs=1
stopwaitsecs=5

[program:failer]
; slow enough that supervisord's start answers it from its deferred check, as statevisord does
command=/bin/sh -c "sleep 0.3; exit 1"
autostart=false
startsecs=1
startretries=0

[program:missing]
command=/nonexistent/program
autostart=false

[group:grp]
programs=sleeper
`;
}

const normalise = (s: string): string =>
  s.replace(/pid \d+/g, 'pid N').replace(/uptime \d+:\d\d:\d\d/g, 'uptime U').replace(/[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M/g, 'TIME').replace(/^\d+$/gm, 'N');

function ctl(confPath: string, cmd: string): Promise<Step> {
  return new Promise((resolve) => {
    const child = spawn(SUPERVISORCTL, ['-c', confPath, ...cmd.split(' ')], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('close', (code) => resolve({ cmd, out: normalise(out), code: code ?? -1 }));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The promise's value, or 'timeout' after ms; the timer never outlives the race. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
  try {
    return await Promise.race([p, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Start a daemon, wait until sleeper is RUNNING, play the script, shut it down. */
async function session(kind: 'statevisord' | 'supervisord', script: string[]): Promise<Step[]> {
  const dir = mkdtempSync(join(tmpdir(), `ctl-${kind}-`));
  const confPath = join(dir, 'supervisord.conf');
  writeFileSync(confPath, conf(dir, await freePort()));
  const [cmd, args] = kind === 'statevisord' ? [process.execPath, [join(ROOT, 'bin/statevisord'), '-c', confPath]] : [SUPERVISORD, ['-c', confPath]];
  const daemon: ChildProcess = spawn(cmd, args, { stdio: 'ignore', cwd: dir });
  const exited = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
  try {
    for (let i = 0; ; i++) {
      if (/RUNNING/.test((await ctl(confPath, 'status grp:sleeper')).out)) break;
      if (i > 100) throw new Error(`${kind}: sleeper never reached RUNNING`);
      await sleep(100);
    }
    const steps: Step[] = [];
    for (const c of script) steps.push(await ctl(confPath, c));
    steps.push(await ctl(confPath, 'shutdown'));
    const code = await within(exited, 15_000);
    if (code === 'timeout') throw new Error(`${kind} did not exit after shutdown: ${JSON.stringify(steps)}\n${readFileSync(join(dir, 'supervisord.log'), 'utf8')}`);
    return steps;
  } finally {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      daemon.kill('SIGTERM');
      await within(exited, 5000);
      if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const SCRIPT = [
  'status',
  'status grp:sleeper',
  'pid grp:sleeper',
  'version',
  'tail grp:sleeper',
  'tail grp:sleeper stderr',
  'start grp:sleeper',
  'start failer',
  'start missing',
  'start nope',
  'stop nope',
  'stop failer',
  'status',
  'stop grp:*',
  'status grp:sleeper',
  'start grp:*',
  'restart grp:sleeper',
  'signal HUP grp:sleeper',
  'signal BOGUS grp:sleeper',
  'stop all',
  'status',
  'start all',
  'restart all',
  'clear grp:sleeper',
  'clear all',
  'tail -100 grp:sleeper',
  'avail',
  'status',
];

const test = suite('supervisorctl against statevisord', {}, 120_000);

if (!available) {
  console.warn(`\n*** SKIPPED test/rpc-daemon: ${SUPERVISORD} or ${SUPERVISORCTL} is missing (apt-get install supervisor) ***\n`);
  test.skip('same transcript as supervisord', () => {});
} else {
  test('same transcript as supervisord', async () => {
    const [ours, theirs] = await Promise.all([session('statevisord', SCRIPT), session('supervisord', SCRIPT)]);
    for (let i = 0; i < theirs.length; i++) {
      assert.equal(ours[i], theirs[i], `after "${theirs[i]!.cmd}"`);
    }
    const byCmd = (c: string) => ours.find((s) => s.cmd === c)!;
    assert.is(byCmd('status').code, 3);
    assert.is(byCmd('status grp:sleeper').code, 0);
    assert.match(byCmd('status grp:sleeper').out, /grp:sleeper\s+RUNNING\s+pid N, uptime U/);
    assert.is(byCmd('version').out, '4.2.5\n');
    assert.is(byCmd('start nope').out, 'nope: ERROR (no such process)\n');
    assert.is(ours.at(-1)!.out, 'Shut down\n');
  });
}

test.run();
