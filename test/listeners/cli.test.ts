// The ready-made listeners' command lines (help, usage errors, the check that a supervisor
// runs them), supervisor's size suffixes against its own byte_size, the sendmail route,
// and the pure parts: crashmail's message, fatalmailbatch's batching, memmon's limits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { byteSize, named, seconds } from '../../listeners/cli.ts';
import { crashMessage } from '../../listeners/crashmail.ts';
import { Batch } from '../../listeners/fatalmailbatch.ts';
import { sendMail } from '../../listeners/mail.ts';
import { limitsFor } from '../../listeners/memmon.ts';
import type { EventOf } from '../../listeners/protocol.ts';
import { suite } from '../harness.ts';
import { LISTENERS } from './helpers.ts';

const test = suite('listeners/cli', {}, 30_000);

const VALID: Record<string, string[]> = {
  crashmail: ['-a', '-m', 'ops@example.com'],
  fatalmailbatch: ['--toEmail=a@example.com', '--fromEmail=b@example.com'],
  memmon: ['-a', '200MB'],
  httpok: ['-p', 'web', 'http://127.0.0.1:1/'],
};

function runBin(name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const { SUPERVISOR_SERVER_URL: _, ...rest } = process.env;
  return spawnSync(join(LISTENERS, name), args, { encoding: 'utf8', env: { ...rest, ...env }, input: '', timeout: 10_000 });
}

test('--help prints the usage on stdout and exits 0; a bad flag is a usage error on stderr', () => {
  for (const name of Object.keys(VALID)) {
    const help = runBin(name, ['--help']);
    assert.is(help.status, 0, name);
    assert.ok(help.stdout.startsWith(`${name} `), `${name}: ${help.stdout}`);
    assert.match(help.stdout, /\[eventlistener:/);
    const bad = runBin(name, [...VALID[name], '--no-such-flag']);
    assert.is(bad.status, name === 'fatalmailbatch' ? 2 : 255, `${name}: ${bad.stderr}`);
    assert.is(bad.stdout, '', 'nothing on stdout, the protocol\'s');
    assert.match(bad.stderr, /--no-such-flag/);
  }
});

test('outside a supervisor each refuses to run; usage errors of their own', () => {
  for (const [name, args] of Object.entries(VALID)) {
    const r = runBin(name, args);
    assert.is(r.status, 1, name);
    assert.is(r.stderr, `${name} must be run as a supervisor event listener\n`);
    assert.is(r.stdout, '');
  }
  assert.is(runBin('fatalmailbatch', ['--toEmail=a@example.com']).status, 1, 'no --fromEmail');
  assert.is(runBin('memmon', []).status, 255, 'memmon with no argument');
  assert.match(runBin('memmon', ['-p', 'web']).stderr, /Unparseable value 'web' for '-p'/);
  assert.is(runBin('httpok', ['-p', 'web']).status, 255, 'httpok without a URL');
  assert.match(runBin('httpok', ['-p', 'web', 'ftp://x/']).stderr, /Bad scheme ftp/);
  assert.match(runBin('fatalmailbatch', [...VALID.fatalmailbatch, '--tickEvent=PROCESS_STATE']).stderr, /Invalid TICK event name: PROCESS_STATE/);
});

test('byte sizes and durations read as supervisor\'s SuffixMultiplier reads them', () => {
  const sizes = ['0', '10000', '1kb', '200KB', '1MB', '1 mb', '3Gb', '12'];
  const durations = ['30', '30s', '5m', '2h', '1d'];
  const py = spawnSync('/usr/bin/python3', ['-c', `
import json, sys
from supervisor.datatypes import byte_size, SuffixMultiplier
sec = SuffixMultiplier({'s': 1, 'm': 60, 'h': 3600, 'd': 86400})
a = json.loads(sys.argv[1])
print(json.dumps([[byte_size(v) for v in a[0]], [sec(v) for v in a[1]]]))`, JSON.stringify([sizes, durations])], { encoding: 'utf8' });
  assert.is(py.status, 0, py.stderr);
  assert.equal([sizes.map(byteSize), durations.map(seconds)], JSON.parse(py.stdout));
  assert.throws(() => byteSize('lots'), /not a byte size/);
  assert.throws(() => byteSize('1TB'), /not a byte size/);
});

test('the sendmail route pipes superlance\'s headers and body to the command; its failure rejects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'statevisor-sendmail-'));
  try {
    const file = join(dir, 'mail.txt');
    await sendMail({ sendmail: `cat > '${file}'` }, { to: ['ops@example.com'], subject: 'web crashed', body: 'Process web …' });
    assert.is(readFileSync(file, 'utf8'), 'To: ops@example.com\nSubject: web crashed\n\nProcess web …');
    await sendMail({ sendmail: 'exit 75' }, { to: ['x@example.com'], subject: 's', body: 'b' }).then(
      () => assert.unreachable('a failing sendmail went unnoticed'),
      (e: Error) => assert.match(e.message, /exit 75 exited 75/),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-p names a process by its name or group:name', () => {
  assert.ok(named(['web'], 'web', 'web'));
  assert.ok(named(['web_01'], 'web', 'web_01'));
  assert.ok(named(['web:web_01'], 'web', 'web_01'));
  assert.not.ok(named(['web'], 'web', 'web_01'));
  assert.not.ok(named(['db:web_01'], 'web', 'web_01'));
});

test('crashmail words its mail as superlance does', () => {
  const event = { eventname: 'PROCESS_STATE_EXITED', processname: 'web_01', groupname: 'web', from_state: 'RUNNING', expected: false, pid: 42 } as EventOf<'PROCESS_STATE_EXITED'>;
  const when = new Date(2026, 10, 27, 9, 5, 7, 42);
  assert.equal(crashMessage(event, undefined, when), {
    subject: 'web_01 crashed at 2026-11-27 09:05:07,042',
    body: 'Process web_01 in group web exited unexpectedly (pid 42) from state RUNNING',
  });
  assert.is(crashMessage(event, 'prod', when).subject, 'prod: web_01 crashed at 2026-11-27 09:05:07,042');
});

test('fatalmailbatch sends when ticks add up to the interval, then counts again', () => {
  const batch = new Batch(1, 5 / 60);
  batch.add('a');
  const sent = Array.from({ length: 24 }, (_, i) => {
    if (i === 13) batch.add('b');
    return batch.tick();
  });
  // Twelve TICK_5 make a minute (the twelfth sum is not below 1 in floating point either).
  assert.equal(sent.map((s, i) => (s ? `${i}:${s.join()}` : null)).filter(Boolean), ['11:a', '23:b']);
});

test('memmon: limits by name, by group:name, by group and for any process', () => {
  const limits = { programs: new Map([['web', 1], ['db:db_01', 2]]), groups: new Map([['db', 3]]), any: 4 };
  assert.equal(limitsFor(limits, 'web', 'web'), [1, 4]);
  assert.equal(limitsFor(limits, 'db', 'db_01'), [2, 3, 4]);
  assert.equal(limitsFor(limits, 'db', 'db_02'), [3, 4]);
  assert.equal(limitsFor({ ...limits, any: null }, 'cache', 'cache'), []);
});

test.run();
