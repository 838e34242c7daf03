// The syslog relay. What supervisor sends was checked once against Python's
// syslog.syslog() on a real /dev/log: `<14>Mmm dd hh:mm:ss supervisord: web hello` from
// both, so here the relay's real `logger` is pointed at a datagram socket of our own.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyslogRelay, syslogLines } from '../../src/logs/syslog.ts';
import { tempDirs } from './tmp.ts';

const tmp = tempDirs();
const test = suite('syslog');
test.after(() => tmp.removeAll());

const RECEIVER = fileURLToPath(new URL('../fixtures/logs/dgram-receiver.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const haveLogger = spawnSync('logger', ['--help']).status === 0;

test('syslogLines: rstrip newlines, then split', () => {
  assert.equal(syslogLines('a\nb\n\n'), ['a', 'b']);
  assert.equal(syslogLines(''), ['']);
  assert.equal(syslogLines('\n\nx'), ['', '', 'x']);
});

test('one stdin line per message, ident and priority as Python syslog uses them', async () => {
  const dir = tmp.make();
  const out = join(dir, 'relay.txt');
  // A stand-in relay that records its arguments and stdin.
  const script = `const fs=require('fs');fs.writeFileSync(process.argv[1]+'.args',JSON.stringify(process.argv.slice(2)));process.stdin.pipe(fs.createWriteStream(process.argv[1]))`;
  const relay = new SyslogRelay({ ident: 'supervisord', command: process.execPath, extraArgs: ['-e', script, out] });
  relay.send('web hello');
  relay.send('web two\nlines');
  await relay.close();
  assert.is(readFileSync(out, 'utf8'), 'web hello\nweb two lines\n');
  assert.equal(JSON.parse(readFileSync(`${out}.args`, 'utf8')), ['--tag', 'supervisord', '--priority', 'user.info', '--size', '65536']);
});

test('through the real logger to a datagram socket: <14>… ident: message', async () => {
  if (!haveLogger || !existsSync(PYTHON)) return;
  const dir = tmp.make();
  const sock = join(dir, 'log.sock');
  const receiver = spawn(PYTHON, [RECEIVER, sock, '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let got = '';
  const ready = new Promise<void>((resolve) =>
    receiver.stdout.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.startsWith('ready\n')) resolve();
    }),
  );
  const done = new Promise((resolve) => receiver.on('close', resolve));
  try {
    await ready;
    const relay = new SyslogRelay({ ident: 'supervisord', extraArgs: ['--socket', sock] });
    relay.send('web hello');
    relay.send('web é');
    await relay.close();
    await done;
  } finally {
    if (receiver.exitCode === null) receiver.kill();
  }
  const lines = got.trim().split('\n').slice(1);
  assert.is(lines.length, 2, got);
  assert.match(lines[0], /^b'<14>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d supervisord: web hello'$/);
  assert.match(lines[1], /supervisord: web \\xc3\\xa9'$/);
});

test('no relay program: said once, lines dropped, nothing thrown', async () => {
  const warnings: string[] = [];
  const relay = new SyslogRelay({ command: 'statevisor-no-such-logger', warn: (m) => warnings.push(m) });
  relay.send('one');
  await new Promise((resolve) => setTimeout(resolve, 100));
  relay.send('two');
  relay.send('three');
  await relay.close();
  assert.is(warnings.length, 1);
  assert.match(warnings[0], /syslog is unsupported here .*ENOENT.*dropped/);
});

test('a relay that dies at once is not respawned in a loop', async () => {
  const warnings: string[] = [];
  const relay = new SyslogRelay({ command: process.execPath, extraArgs: ['-e', 'process.exit(3)'], warn: (m) => warnings.push(m) });
  relay.send('one');
  await new Promise((resolve) => setTimeout(resolve, 300));
  relay.send('two');
  await relay.close();
  assert.equal(warnings, [`syslog relay ${process.execPath} exited at once; syslog lines are dropped`]);
});

test.run();
