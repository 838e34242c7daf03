// `statevisord --echo-config` prints a commented sample configuration that both daemons
// load: the real supervisord and statevisord each start on it, answer supervisorctl on its
// socket and shut down.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { waitFor } from '../daemon/helpers.ts';
import { suite } from '../harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/statevisord');
const SUPERVISORD = '/usr/bin/supervisord';
const SUPERVISORCTL = '/usr/bin/supervisorctl';

const test = suite('statevisord --echo-config', { dir: '' }, 60_000);
test.before.each((ctx) => { ctx.dir = mkdtempSync(join(tmpdir(), 'statevisor-echo-')); });
test.after.each((ctx) => { rmSync(ctx.dir, { recursive: true, force: true }); });

const sample = () => spawnSync(process.execPath, [BIN, '--echo-config'], { encoding: 'utf8', timeout: 20_000 });

test('prints a commented sample with every section, statevisor keys commented out, and exits 0', (ctx) => {
  const r = sample();
  assert.is(r.status, 0, r.stderr);
  for (const s of ['[unix_http_server]', '[supervisord]', '[rpcinterface:supervisor]', '[supervisorctl]', ';[program:theprogramname]', ';[eventlistener:theeventlistenername]', ';[group:thegroupname]', ';[include]']) {
    assert.ok(r.stdout.split('\n').some((l) => l.startsWith(s)), s);
  }
  for (const key of ['exit_on', 'subreaper', 'open_probes']) assert.match(r.stdout, new RegExp(`^;${key}=`, 'm'));
  const conf = join(ctx.dir, 'sample.conf');
  writeFileSync(conf, r.stdout);
  const printed = spawnSync(process.execPath, [BIN, '--print-config', '-c', conf], { encoding: 'utf8', timeout: 20_000 });
  assert.is((JSON.parse(printed.stdout) as { ok: boolean }).ok, true, printed.stdout);
});

/** Starts `daemon` on the sample (its /tmp paths moved into dir), asks supervisorctl for its pid, shuts it down. */
async function runsOn(dir: string, daemon: string[], name: string): Promise<void> {
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(conf, sample().stdout.replaceAll('/tmp/', `${dir}/`));
  const child = spawn(daemon[0], [...daemon.slice(1), '-n', '-c', conf], { cwd: dir, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    await waitFor(`${name}'s socket`, () => existsSync(join(dir, 'supervisor.sock')), 20_000);
    await waitFor(`${name} to answer supervisorctl pid with its pid`, () => {
      const r = spawnSync(SUPERVISORCTL, ['-c', conf, 'pid'], { encoding: 'utf8', timeout: 10_000 });
      return r.status === 0 && r.stdout.trim() === String(child.pid);
    }, 20_000);
    assert.is(spawnSync(SUPERVISORCTL, ['-c', conf, 'shutdown'], { encoding: 'utf8', timeout: 10_000 }).status, 0);
    assert.is(await exited, 0, `${name} exits 0`);
  } finally {
    child.kill('SIGKILL');
  }
}

const HAVE_SUPERVISORD = existsSync(SUPERVISORD) && existsSync(SUPERVISORCTL);
if (!HAVE_SUPERVISORD) {
  if (process.env.CI === 'true') throw new Error('supervisord is missing: .ci/run installs it');
  console.warn('SKIPPED "the real supervisord loads it": supervisor is not installed (apt-get install supervisor)');
}

(HAVE_SUPERVISORD ? test : test.skip)('the real supervisord loads it', async (ctx) => {
  await runsOn(ctx.dir, [SUPERVISORD], 'supervisord');
});

test('statevisord loads it', async (ctx) => {
  await runsOn(ctx.dir, [process.execPath, BIN], 'statevisord');
});

test.run();
