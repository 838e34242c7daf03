// [supervisord] logformat=json: one object per record in the file and on the nodaemon echo,
// a multi-line message kept in one record; syslog keeps supervisor's text.
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { LevelsByName } from '../../src/logs/levels.ts';
import type { EchoStream } from '../../src/logs/log-handlers.ts';
import { makeMainLog, type MainLogConfig } from '../../src/logs/main-log.ts';
import { suite } from '../harness.ts';
import { tempDirs } from './tmp.ts';

const tmp = tempDirs();
const test = suite('logs/main-log-json');
test.after(() => tmp.removeAll());

const T = Date.UTC(2023, 10, 14, 22, 13, 20, 244);

class Echo extends EventEmitter {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

const config = (dir: string, over: Partial<MainLogConfig> = {}): MainLogConfig => ({
  logfile: join(dir, 'supervisord.log'), logfile_maxbytes: 0, logfile_backups: 0, loglevel: LevelsByName.INFO,
  nodaemon: true, silent: false, statevisor: { logformat: 'json' }, ...over,
});

test('file and echo get the same JSON records; a multi-line message is one record', async () => {
  const dir = tmp.make();
  const echo = new Echo();
  const log = makeMainLog(config(dir), { now: () => T, stdout: echo as unknown as EchoStream });
  log.info("spawned: 'web' with pid 42");
  log.critical('two\nlines "quoted"');
  log.debug('below the level');
  await log.close();
  const expected = [
    '{"time":"2023-11-14T22:13:20.244Z","level":"INFO","message":"spawned: \'web\' with pid 42"}',
    '{"time":"2023-11-14T22:13:20.244Z","level":"CRIT","message":"two\\nlines \\"quoted\\""}',
    '',
  ].join('\n');
  assert.is(readFileSync(join(dir, 'supervisord.log'), 'utf8'), expected);
  assert.is(echo.text, expected);
});

test('logfile=syslog keeps the text format', async () => {
  const sent: string[] = [];
  const log = makeMainLog(config(tmp.make(), { logfile: 'syslog', nodaemon: false }), { now: () => T, syslog: { send: (m) => sent.push(m) } });
  log.info('hello');
  await log.close();
  assert.equal(sent.length, 1);
  assert.match(sent[0], / INFO hello$/);
});

test.run();
