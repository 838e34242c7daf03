import * as assert from 'uvu/assert';
import { childEnvironment } from '../../src/runtime/environment.ts';
import { suite } from '../harness.ts';
import { collect, finish, start } from './helpers.ts';

const test = suite('runtime/environment');

const daemon = { env: { PATH: '/usr/bin:/bin', HOME: '/root', SUPERVISOR_ENABLED: 'from-daemon', GONE: undefined }, serverurl: 'unix:///run/sv.sock' };

test('daemon env, then SUPERVISOR_*, then the program environment (which wins)', () => {
  const env = childEnvironment({ name: 'web_01', serverurl: null, environment: { HOME: '/srv', SUPERVISOR_GROUP_NAME: 'mine' } }, 'web', daemon);
  assert.equal(env, {
    PATH: '/usr/bin:/bin',
    HOME: '/srv',
    SUPERVISOR_ENABLED: '1',
    SUPERVISOR_SERVER_URL: 'unix:///run/sv.sock',
    SUPERVISOR_PROCESS_NAME: 'web_01',
    SUPERVISOR_GROUP_NAME: 'mine',
  });
  // Python dict order: keys the daemon had keep their place when overwritten.
  assert.equal(Object.keys(env), ['PATH', 'HOME', 'SUPERVISOR_ENABLED', 'SUPERVISOR_SERVER_URL', 'SUPERVISOR_PROCESS_NAME', 'SUPERVISOR_GROUP_NAME']);
});

test('serverurl: the program\'s, else the daemon\'s, else unset', () => {
  const own = childEnvironment({ name: 'p', serverurl: 'http://127.0.0.1:9001', environment: {} }, 'p', daemon);
  assert.is(own.SUPERVISOR_SERVER_URL, 'http://127.0.0.1:9001');
  const none = childEnvironment({ name: 'p', serverurl: null, environment: {} }, 'p', { env: {}, serverurl: null });
  assert.not.ok('SUPERVISOR_SERVER_URL' in none);
  const empty = childEnvironment({ name: 'p', serverurl: null, environment: {} }, 'p', { env: {}, serverurl: '' });
  assert.not.ok('SUPERVISOR_SERVER_URL' in empty);
});

test('the child sees exactly that environment', async () => {
  const env = childEnvironment({ name: 'p', serverurl: null, environment: { PATH: '/usr/bin:/bin', 'WITH SPACE': 'a b', EMPTY: '' } }, 'g', { env: {}, serverurl: null });
  // env(1) itself: a shell would add PWD and drop names that are not identifiers.
  const child = start('env', { env });
  try {
    const lines = (await collect(child.stdout)).trim().split('\n').sort();
    assert.equal(lines, ['EMPTY=', 'PATH=/usr/bin:/bin', 'SUPERVISOR_ENABLED=1', 'SUPERVISOR_GROUP_NAME=g', 'SUPERVISOR_PROCESS_NAME=p', 'WITH SPACE=a b']);
  } finally {
    await finish(child);
  }
});

test.run();
