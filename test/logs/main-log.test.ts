// The main log: supervisor's line format and asctime (checked against LogRecord.asdict with
// /usr/bin/python3 under each TZ below), levels, the stdout echo of make_logger, SIGUSR2
// reopen and the clearLog sequence.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { LevelsByName, levelName } from '../../src/logs/levels.ts';
import { formatAsctime } from '../../src/logs/log-format.ts';
import { makeMainLog, replayParseMessages, type MainLogConfig } from '../../src/logs/main-log.ts';
import type { EchoStream } from '../../src/logs/log-handlers.ts';
import { tempDirs } from './tmp.ts';

const tmp = tempDirs();
const test = suite('main-log');
const savedTz = process.env.TZ;
test.before(() => {
  process.env.TZ = 'America/New_York';
});
test.after(() => {
  process.env.TZ = savedTz;
  if (savedTz === undefined) delete process.env.TZ;
  tmp.removeAll();
});

const T = 1700000000244.9; // 2023-11-14 17:13:20,244 in New York
const clock = () => T;

class Echo extends EventEmitter {
  text = '';
  write(s: string | Uint8Array): boolean {
    this.text += typeof s === 'string' ? s : Buffer.from(s).toString();
    return true;
  }
}
const echoStream = (e: Echo): EchoStream => e as unknown as EchoStream;

function config(dir: string, over: Partial<MainLogConfig> = {}): MainLogConfig {
  return {
    logfile: join(dir, 'supervisord.log'),
    logfile_maxbytes: 50 * 1024 * 1024,
    logfile_backups: 10,
    loglevel: LevelsByName.INFO,
    nodaemon: false,
    silent: false,
    ...over,
  };
}

const ASCTIME: Record<string, [number, string][]> = {
  UTC: [[0, '1970-01-01 00:00:00,000'], [1999.9, '1970-01-01 00:00:01,999'], [1700000000244.9, '2023-11-14 22:13:20,244'], [1710054000500, '2024-03-10 07:00:00,500']],
  'America/New_York': [[0, '1969-12-31 19:00:00,000'], [1710054000500, '2024-03-10 03:00:00,500'], [1710053999999, '2024-03-10 01:59:59,999']],
  'Asia/Kolkata': [[0, '1970-01-01 05:30:00,000'], [1700000000244.9, '2023-11-15 03:43:20,244']],
};

test('asctime is local YYYY-MM-DD HH:MM:SS,mmm with truncated milliseconds', () => {
  for (const [tz, cases] of Object.entries(ASCTIME)) {
    process.env.TZ = tz;
    for (const [ms, expected] of cases) assert.is(formatAsctime(ms), expected, `${tz} ${ms}`);
  }
  process.env.TZ = 'America/New_York';
});

test('a line is %(asctime)s %(levelname)s %(message)s\\n and is on disk when log() returns', async () => {
  const dir = tmp.make();
  const log = makeMainLog(config(dir), { now: clock });
  log.info("spawned: 'web' with pid 42");
  log.critical('two\nlines');
  assert.is(
    readFileSync(join(dir, 'supervisord.log'), 'utf8'),
    "2023-11-14 17:13:20,244 INFO spawned: 'web' with pid 42\n2023-11-14 17:13:20,244 CRIT two\nlines\n",
  );
  await log.close();
});

test('every level has its four-letter name', async () => {
  const dir = tmp.make();
  const log = makeMainLog(config(dir, { loglevel: LevelsByName.BLAT }), { now: clock });
  log.critical('c');
  log.error('e');
  log.warn('w');
  log.info('i');
  log.debug('d');
  log.trace('t');
  log.blather('b');
  log.log('WARN', 'by name');
  await log.close();
  const levels = readFileSync(join(dir, 'supervisord.log'), 'utf8').trim().split('\n').map((l) => l.split(' ').slice(2).join(' '));
  assert.equal(levels, ['CRIT c', 'ERRO e', 'WARN w', 'INFO i', 'DEBG d', 'TRAC t', 'BLAT b', 'WARN by name']);
  assert.is(levelName(30), 'WARN');
  assert.throws(() => levelName(31));
});

test('level filtering: loglevel=warn keeps WARN and up', async () => {
  const dir = tmp.make();
  const log = makeMainLog(config(dir, { loglevel: LevelsByName.WARN }), { now: clock });
  for (const [name, n] of Object.entries(LevelsByName)) log.log(n, name);
  assert.ok(log.isEnabledFor(LevelsByName.WARN) && !log.isEnabledFor(LevelsByName.INFO));
  await log.close();
  const text = readFileSync(join(dir, 'supervisord.log'), 'utf8');
  assert.equal(text.trim().split('\n').map((l) => l.split(' ')[2]), ['CRIT', 'ERRO', 'WARN']);
});

test('nodaemon echoes the same lines to stdout; silent or daemon mode does not', async () => {
  for (const [nodaemon, silent, echoed] of [[true, false, true], [true, true, false], [false, false, false]] as const) {
    const dir = tmp.make();
    const echo = new Echo();
    const log = makeMainLog(config(dir, { nodaemon, silent }), { now: clock, stdout: echoStream(echo) });
    log.info('hello');
    log.debug('not at info');
    await log.close();
    const file = readFileSync(join(dir, 'supervisord.log'), 'utf8');
    assert.is(file, '2023-11-14 17:13:20,244 INFO hello\n');
    assert.is(echo.text, echoed ? file : '', `nodaemon=${nodaemon} silent=${silent}`);
  }
});

test('an EPIPE on stdout stops the echo, never the log', async () => {
  const dir = tmp.make();
  const echo = new Echo();
  const log = makeMainLog(config(dir, { nodaemon: true }), { now: clock, stdout: echoStream(echo) });
  log.info('one');
  echo.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  log.info('two');
  await log.close();
  assert.is(echo.text.split('\n').length, 2);
  assert.is(readFileSync(join(dir, 'supervisord.log'), 'utf8').split('\n').length, 3);
});

test('reopen (SIGUSR2): "supervisord logreopen" ends the moved file, the new one starts fresh', async () => {
  const dir = tmp.make();
  const path = join(dir, 'supervisord.log');
  const log = makeMainLog(config(dir), { now: clock });
  log.info('before');
  renameSync(path, `${path}.rotated`);
  await log.reopen();
  log.info('after');
  await log.close();
  const at = '2023-11-14 17:13:20,244';
  assert.is(readFileSync(`${path}.rotated`, 'utf8'), `${at} INFO before\n${at} INFO supervisord logreopen\n`);
  assert.is(readFileSync(path, 'utf8'), `${at} INFO after\n`);
});

test('clear (clearLog): new empty file; "reopening log file" once per handler, into the old file', async () => {
  const dir = tmp.make();
  const path = join(dir, 'supervisord.log');
  const echo = new Echo();
  const log = makeMainLog(config(dir, { nodaemon: true }), { now: clock, stdout: echoStream(echo) });
  log.info('old');
  await log.clear(path);
  assert.is(readFileSync(path, 'utf8'), '');
  log.info('new');
  await log.close();
  const at = '2023-11-14 17:13:20,244';
  assert.is(readFileSync(path, 'utf8'), `${at} INFO new\n`);
  assert.is(echo.text, `${at} INFO old\n${at} INFO reopening log file\n${at} INFO reopening log file\n${at} INFO new\n`);
});

test('clear of a missing file rejects (the RPC says FAILED) and changes nothing', async () => {
  const dir = tmp.make();
  const log = makeMainLog(config(dir), { now: clock });
  await log.clear(join(dir, 'nope.log')).then(
    () => assert.unreachable(),
    (e: NodeJS.ErrnoException) => assert.is(e.code, 'ENOENT'),
  );
  await log.close();
});

test('the main log rotates with logfile_maxbytes/logfile_backups', async () => {
  const dir = tmp.make();
  const path = join(dir, 'supervisord.log');
  const log = makeMainLog(config(dir, { logfile_maxbytes: 100, logfile_backups: 2 }), { now: clock });
  for (let i = 0; i < 11; i++) log.info(`message number ${i}`); // 46-47 bytes: 3 lines per file
  await log.close();
  const line = (i: number) => `2023-11-14 17:13:20,244 INFO message number ${i}\n`;
  assert.is(readFileSync(`${path}.2`, 'utf8'), [3, 4, 5].map(line).join(''));
  assert.is(readFileSync(`${path}.1`, 'utf8'), [6, 7, 8].map(line).join(''));
  assert.is(readFileSync(path, 'utf8'), [9, 10].map(line).join(''));
  assert.not.ok(existsSync(`${path}.3`));
});

test('make_logger replays parse messages by level group: criticals, warnings, infos', async () => {
  const dir = tmp.make();
  const log = makeMainLog(config(dir), { now: clock });
  replayParseMessages(log, { infos: ['Included extra file "x" during parsing'], warnings: ['w1', 'w2'], criticals: ['Supervisor is running as root.'] });
  await log.close();
  const got = readFileSync(join(dir, 'supervisord.log'), 'utf8').trim().split('\n').map((l) => l.slice(24));
  assert.equal(got, ['CRIT Supervisor is running as root.', 'WARN w1', 'WARN w2', 'INFO Included extra file "x" during parsing']);
});

test('logfile=syslog: one message per line in the main-log format, no file', async () => {
  const dir = tmp.make();
  const sent: string[] = [];
  const log = makeMainLog(config(dir, { logfile: 'syslog' }), { now: clock, syslog: { send: (m) => sent.push(m) } });
  log.warn('first\nsecond\n\n');
  await log.close();
  assert.equal(sent, ['2023-11-14 17:13:20,244 WARN first', '2023-11-14 17:13:20,244 WARN second']);
});

test('opening a main log in a missing directory throws', () => {
  const dir = tmp.make();
  assert.throws(() => makeMainLog(config(dir, { logfile: join(dir, 'no', 'x.log') })), /ENOENT/);
});

test.run();
