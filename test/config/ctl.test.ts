// [supervisorctl] as supervisorctl 4.2.5's ClientOptions.read_config reads it (expected
// values taken from running it on the same files).
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { ConfigValueError } from '../../src/config/errors.ts';
import { loadCtlConfig } from '../../src/config/ctl.ts';
import { suite } from '../harness.ts';

const dir = fileURLToPath(new URL('../fixtures/ctl/', import.meta.url)).replace(/\/$/, '');
const test = suite('config: [supervisorctl]');

test('every option, %(here)s, a unix:// URL normalised, plugins listed', () => {
  const c = loadCtlConfig(`${dir}/full.conf`);
  assert.equal(
    { serverurl: c.serverurl, username: c.username, password: c.password, prompt: c.prompt, history_file: c.history_file },
    { serverurl: `unix://${dir}/x.sock`, username: 'u', password: 'p', prompt: 'mysup', history_file: `${dir}/hist` },
  );
  assert.equal(c.plugins, [{ name: 'mine', factory: 'mypkg.plugin:make', extras: { extra: '1' } }]);
});

test('defaults', () => {
  const c = loadCtlConfig(`${dir}/defaults.conf`);
  assert.equal([c.serverurl, c.username, c.password, c.prompt, c.history_file], ['http://localhost:9001', null, null, 'supervisor', null]);
});

test('a file without [supervisorctl] is an error', () => {
  try {
    loadCtlConfig(`${dir}/no-section.conf`);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ConfigValueError);
    assert.is((e as Error).message, '.ini file does not include supervisorctl section');
  }
});

test.run();
