// The per-channel pipeline: a real chatty child through a small maxbytes, ANSI across
// chunk boundaries, NONE, and the taps (main-log copy at debug, syslog, events).
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ChildOutput, mainLogCopyTap, syslogTap } from '../../src/logs/child-output.ts';
import { LevelsByName } from '../../src/logs/levels.ts';
import { MainLog, makeMainLog } from '../../src/logs/main-log.ts';
import { makeBurst } from '../fixtures/logs/burst.mjs';
import { tempDirs } from './tmp.ts';

const tmp = tempDirs();
const test = suite('child-output', {}, 60_000);
test.after(() => tmp.removeAll());

const CHATTY = fileURLToPath(new URL('../fixtures/logs/chatty.mjs', import.meta.url));

/** The log and its backups, oldest first: path.N … path.1, path. */
function concatenated(path: string, dir: string): Buffer {
  const backups = readdirSync(dir)
    .map((n) => /\.(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  return Buffer.concat([...backups.map((n) => readFileSync(`${path}.${n}`)), readFileSync(path)]);
}

test('20 MB from a real child through maxbytes=256K: every byte, in order, across ~75 rotations', async () => {
  const dir = tmp.make();
  const path = join(dir, 'chatty-stdout.log');
  const total = 20 * 1024 * 1024;
  const maxBytes = 256 * 1024;
  const out = await ChildOutput.open({ channel: 'stdout', logfile: path, maxBytes, backups: 100, stripAnsi: false });
  const child = spawn(process.execPath, [CHATTY, String(total), '65536'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await out.attach(child.stdout);
    assert.is(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const files = readdirSync(dir);
  // Reads from a pipe come in whatever sizes the kernel hands over, so the number of
  // rotations varies a little: each file holds maxbytes plus at most one read.
  assert.ok(files.length > total / (maxBytes + 65536) && files.length <= total / maxBytes + 1, `${files.length} files`);
  for (const name of files.filter((n) => n !== 'chatty-stdout.log')) {
    const size = statSync(join(dir, name)).size;
    // supervisor's rule: rotate once a write brings the file to maxbytes or more.
    assert.ok(size >= maxBytes && size < maxBytes + 65536, `${name}: ${size}`);
  }
  assert.ok(concatenated(path, dir).equals(makeBurst(total)), 'the concatenated logs differ from what the child wrote');
});

test('a burst of tiny chunks with strip_ansi on and a sequence cut between chunks', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const chunks: Buffer[] = [];
  let expected = '';
  for (let i = 0; i < 5000; i++) {
    const line = `\x1b[3${i % 8}mline ${i}\x1b[0m\n`;
    const cut = i % line.length;
    chunks.push(Buffer.from(line.slice(0, cut)), Buffer.from(line.slice(cut)));
    expected += `line ${i}\n`;
  }
  const out = await ChildOutput.open({ channel: 'stdout', logfile: path, maxBytes: 4096, backups: 1000, stripAnsi: true });
  await out.attach(Readable.from(chunks));
  assert.is(concatenated(path, dir).toString(), expected);
});

test('NONE: the pipe is drained to the end and the taps still see every byte', async () => {
  const seen: Buffer[] = [];
  const out = await ChildOutput.open({ channel: 'stderr', logfile: null, maxBytes: 0, backups: 0, stripAnsi: false, taps: [(c) => seen.push(Buffer.from(c))] });
  assert.is(out.file, null);
  const data = makeBurst(3 * 1024 * 1024);
  await out.attach(Readable.from([data.subarray(0, 1_000_000), data.subarray(1_000_000)]));
  assert.ok(Buffer.concat(seen).equals(data));
  await out.reopen();
  await out.remove();
});

test('loglevel=debug copies each chunk into the main log as supervisor formats it', async () => {
  const dir = tmp.make();
  const main = makeMainLog(
    { logfile: join(dir, 'main.log'), logfile_maxbytes: 0, logfile_backups: 0, loglevel: LevelsByName.DEBG, nodaemon: false, silent: false },
    { now: () => 0 },
  );
  const tap = mainLogCopyTap(main, 'web', 'stdout');
  const out = await ChildOutput.open({ channel: 'stdout', logfile: join(dir, 'web.log'), maxBytes: 0, backups: 0, stripAnsi: true, taps: [tap] });
  await out.attach(Readable.from([Buffer.from('hi \x1b[1mthere\x1b[0m\n'), Buffer.from([0x63, 0x61, 0x66, 0xc3])]));
  await main.close();
  const lines = readFileSync(join(dir, 'main.log'), 'utf8').split('\n').map((l) => l.replace(/^\S+ \S+ /, ''));
  assert.equal(lines, ["DEBG 'web' stdout output:", 'hi there', '', "DEBG 'web' stdout output:", "Undecodable: b'caf\\xc3'", '']);
  assert.is(readFileSync(join(dir, 'web.log'), 'latin1'), 'hi there\ncaf\xc3');
});

test('above debug there is no main-log tap at all', () => {
  assert.is(mainLogCopyTap(new MainLog(LevelsByName.INFO), 'web', 'stdout'), null);
});

test('*_syslog: each line of each chunk as "<name> <line>"', async () => {
  const sent: string[] = [];
  const out = await ChildOutput.open({ channel: 'stdout', logfile: null, maxBytes: 0, backups: 0, stripAnsi: false, taps: [syslogTap({ send: (m) => sent.push(m) }, 'web')] });
  await out.attach(Readable.from([Buffer.from('one\ntwo\n'), Buffer.from('par'), Buffer.from('tial\n\n')]));
  assert.equal(sent, ['web one', 'web two', 'web par', 'web tial']);
});

test('a throwing tap does not cost the log its bytes', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const out = await ChildOutput.open({ channel: 'stdout', logfile: path, maxBytes: 0, backups: 0, stripAnsi: false, taps: [() => { throw new Error('boom'); }] });
  const saved = process.stderr.write.bind(process.stderr);
  let said = '';
  process.stderr.write = ((s: string) => ((said += s), true)) as typeof process.stderr.write;
  try {
    await out.attach(Readable.from([Buffer.from('a'), Buffer.from('b')]));
  } finally {
    process.stderr.write = saved;
  }
  assert.is(readFileSync(path, 'utf8'), 'ab');
  assert.match(said, /output tap failed: Error: boom/);
});

test('open() fails before any fork when the log cannot be created', async () => {
  const dir = tmp.make();
  await ChildOutput.open({ channel: 'stdout', logfile: join(dir, 'missing', 'x.log'), maxBytes: 0, backups: 0, stripAnsi: false }).then(
    () => assert.unreachable(),
    (e: NodeJS.ErrnoException) => assert.is(e.code, 'ENOENT'),
  );
});

test('remove() while the child is still writing: the new file holds only later output', async () => {
  const dir = tmp.make();
  const path = join(dir, 'x.log');
  const out = await ChildOutput.open({ channel: 'stdout', logfile: path, maxBytes: 0, backups: 0, stripAnsi: false });
  const source = new Readable({ read() {} });
  const done = out.attach(source);
  source.push('before\n');
  await new Promise((resolve) => setTimeout(resolve, 50));
  await out.remove();
  source.push('after\n');
  source.push(null);
  await done;
  assert.is(readFileSync(path, 'utf8'), 'after\n');
});

test.run();
