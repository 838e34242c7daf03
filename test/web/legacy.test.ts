// supervisor's own page URLs (web.py) against statevisord and the real supervisord on the
// same configuration, request for request: index.html?action=… answers 301 to the same
// `?message=` (port and time normalised), tail.html shows the same log text, ok.html the
// same OK. Needs /usr/bin/supervisord; skips loudly without.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { freePort, program } from '../daemon/helpers.ts';
import { eventually, rpc } from './helpers.ts';
import { statevisordArgs } from '../../scripts/statevisord-command.ts';

const SUPERVISORD = '/usr/bin/supervisord';

const programs = (dir: string) => `
[program:sleeper]
command=/bin/sh -c "echo hello from sleeper; exec sleep 1000"
; a start answers after startsecs: by then the greeting is in the log on both sides
startsecs=1
stopwaitsecs=5
stdout_logfile=${dir}/sleeper.log

[program:missing]
command=/nonexistent/program
autostart=false

; exits 1 after 0.3 s, inside startsecs: web.py words that start as a spawn error (a
; slower exit, as exit-after.sh's, races supervisord's deferred check)
[program:failer]
command=/bin/sh -c "sleep 0.3; exit 1"
startretries=0
autostart=false
startsecs=1

[program:quiet]
command=${program('sleep-forever.sh')}
stdout_logfile=NONE

[group:grp]
programs=quiet
`;

/** [method, path, form body?] */
const SCRIPT: [string, string, string?][] = [
  ['GET', '/ok.html'],
  ['GET', '/index.html?processname=sleeper&action=stop'],
  ['GET', '/index.html?processname=sleeper&action=stop'],
  ['GET', '/index.html?processname=sleeper&action=start'],
  ['GET', '/index.html?processname=sleeper&action=start'],
  ['GET', '/index.html?processname=sleeper&action=restart'],
  ['GET', '/tail.html?processname=sleeper'],
  ['GET', '/index.html?processname=sleeper&action=clearlog'],
  ['GET', '/tail.html?processname=sleeper&limit=5'],
  ['GET', '/index.html?processname=nope&action=stop'],
  ['GET', '/index.html?processname=grp%3A%2A&action=stop'],
  ['GET', '/index.html?processname=missing&action=start'],
  ['GET', '/index.html?processname=failer&action=start'],
  ['GET', '/index.html?processname=grp%3Aquiet&action=stop'],
  ['POST', '/index.html', 'processname=grp%3Aquiet&action=start'],
  ['GET', '/tail.html?processname=grp%3Aquiet'],
  ['GET', '/tail.html?processname=nope'],
  ['GET', '/tail.html'],
  ['GET', '/index.html?processname=sleeper&action=bogus'],
  ['GET', '/?action=refresh'],
  ['GET', '/index.html?action=stopall'],
  ['GET', '/index.html?action=restartall'],
];

const CTIME = /[A-Z][a-z]{2}(%20| )[A-Z][a-z]{2}(%20| )+\d{1,2}(%20| )\d\d(%3A|:)\d\d(%3A|:)\d\d(%20| )\d{4}/g;

/** What a script sees of a reply: status, Location, and for a page its title and <pre>. */
async function observe(base: string, port: number, [method, path, body]: [string, string, string?]): Promise<string> {
  const res = await fetch(`${base}${path}`, {
    method, redirect: 'manual', body,
    headers: body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
  });
  const text = await res.text();
  const location = (res.headers.get('location') ?? '').replace(`:${port}/`, ':PORT/').replace(CTIME, 'CTIME');
  const page = res.status === 200 && path !== '/ok.html'
    ? `${/<title>([^<]*)<\/title>/.exec(text)?.[1]} | ${/<pre[^>]*>([^<]*)<\/pre>/.exec(text)?.[1]}`
    : res.status === 200 ? text : '';
  return `${method} ${path} -> ${res.status} ${location} ${page}`.trimEnd();
}

async function session(kind: 'statevisord' | 'supervisord'): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), `web-legacy-${kind}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(conf, `[supervisord]\nnodaemon=true\nsilent=true\nlogfile=${dir}/main.log\npidfile=${dir}/sd.pid\nchildlogdir=${dir}\n\n[inet_http_server]\nport=127.0.0.1:${port}\n\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n${programs(dir)}`);
  const [cmd, args] = kind === 'statevisord' ? [process.execPath, [...statevisordArgs(), '-c', conf]] : [SUPERVISORD, ['-c', conf]];
  const daemon = spawn(cmd, args, { cwd: dir, stdio: 'ignore', detached: true });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  try {
    const running = async (name: string) => /RUNNING/.test(await rpc(base, 'supervisor.getProcessInfo', name).catch(() => ''));
    await eventually(`${kind}: sleeper and grp:quiet RUNNING`, async () => (await running('sleeper')) && (await running('grp:quiet')), 15_000);
    const seen: string[] = [];
    for (const step of SCRIPT) seen.push(await observe(base, port, step));
    return seen;
  } finally {
    try { process.kill(-daemon.pid!, 'SIGTERM'); } catch { /* gone */ }
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const test = suite('supervisor\'s page URLs against statevisord', {}, 90_000);

if (!existsSync(SUPERVISORD)) {
  console.warn(`\n*** SKIPPED test/web/legacy.test.ts: ${SUPERVISORD} is missing (apt-get install supervisor) ***\n`);
  test.skip('same replies as supervisord', () => {});
} else {
  test('same replies as supervisord', async () => {
    const [ours, theirs] = await Promise.all([session('statevisord'), session('supervisord')]);
    for (let i = 0; i < SCRIPT.length; i++) assert.is(ours[i], theirs[i]);
    // and what they say is what web.py says
    assert.match(theirs[1], /-> 301 http:\/\/127\.0\.0\.1:PORT\/\?message=Process%20sleeper%20stopped$/);
    assert.match(theirs[6], /Supervisor tail of process sleeper \| hello from sleeper/);
    assert.match(theirs[19], /message=Page%20refreshed%20at%20CTIME$/);
  });
}

test.run();
