import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { DEFAULT_SEARCH_PATH, resolveArgv, resolveCommand, searchPath, splitCommand, type FileProbe } from '../../src/runtime/command.ts';
import { SpawnError } from '../../src/runtime/errors.ts';
import { suite } from '../harness.ts';

const test = suite('runtime/command');

let root = '';
test.before(() => {
  root = mkdtempSync(join(tmpdir(), 'statevisor-command-'));
  for (const d of ['a', 'b', 'empty', 'sub']) mkdirSync(join(root, d));
  const file = (path: string, mode: number) => { writeFileSync(join(root, path), '#!/bin/sh\n'); chmodSync(join(root, path), mode); };
  file('a/tool', 0o755);
  file('b/tool', 0o755);
  file('b/only-b', 0o755);
  file('sub/plain', 0o644);
  mkdirSync(join(root, 'a/dir-named-tool'));
});
test.after(() => rmSync(root, { recursive: true, force: true }));

function throws(fn: () => unknown, kind: string, message: string): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, SpawnError);
    assert.is((e as SpawnError).kind, kind);
    assert.is((e as SpawnError).message, message);
    return;
  }
  assert.unreachable(`expected ${kind}: ${message}`);
}

test('splits with shlex and keeps argv[0] as written', () => {
  const r = resolveCommand(`tool "two words" 'x y' a\\ b`, { PATH: join(root, 'a') });
  assert.equal(r, { filename: join(root, 'a/tool'), argv: ['tool', 'two words', 'x y', 'a b'] });
});

test('an unparseable command: supervisor\'s message with the repr and shlex\'s reason', () => {
  throws(() => resolveCommand(`/bin/echo "open`, {}), 'BadCommand', `can't parse command '/bin/echo "open': No closing quotation`);
  throws(() => resolveCommand('/bin/echo x\\', {}), 'BadCommand', `can't parse command '/bin/echo x\\\\': No escaped character`);
});

test('an empty command', () => {
  throws(() => resolveCommand('   ', {}), 'BadCommand', 'command is empty');
  // An empty argv[0] joins to the first PATH directory itself (as Python's os.path.join does).
  throws(() => resolveCommand('""', { PATH: `${root}/a:/usr/bin` }), 'NotExecutable', `command at '${root}/a/' is a directory`);
});

test('PATH comes from the program environment first, in its order', () => {
  assert.is(resolveCommand('tool', { PATH: `${join(root, 'b')}:${join(root, 'a')}` }, '/usr/bin').filename, join(root, 'b/tool'));
  // The daemon's PATH is not consulted when the program has one, even if it would find it.
  throws(() => resolveCommand('only-b', { PATH: join(root, 'a') }, join(root, 'b')), 'NotFound', "can't find command 'only-b'");
});

test('then the daemon PATH, then /bin:/usr/bin:/usr/local/bin', () => {
  assert.is(resolveCommand('only-b', {}, join(root, 'b')).filename, join(root, 'b/only-b'));
  assert.equal(searchPath({}, ''), [...DEFAULT_SEARCH_PATH]);
  assert.equal(searchPath(null, undefined), [...DEFAULT_SEARCH_PATH]);
  assert.is(resolveCommand('sh', {}, '').filename, '/bin/sh');
  // An empty program PATH is still the program's: one empty entry, the daemon's cwd.
  assert.equal(searchPath({ PATH: '' }, '/usr/bin'), ['']);
});

test('the first PATH entry that stats wins, even a directory', () => {
  throws(() => resolveCommand('dir-named-tool', { PATH: `${join(root, 'a')}:/usr/bin` }), 'NotExecutable',
    `command at '${join(root, 'a/dir-named-tool')}' is a directory`);
});

test('not found', () => {
  throws(() => resolveCommand('no-such-tool-here', { PATH: join(root, 'a') }), 'NotFound', "can't find command 'no-such-tool-here'");
  throws(() => resolveCommand(`${root}/a/missing --flag`, {}), 'NotFound', `can't find command '${root}/a/missing'`);
});

test('a directory, a file without x bits', () => {
  throws(() => resolveCommand(join(root, 'empty'), {}), 'NotExecutable', `command at '${join(root, 'empty')}' is a directory`);
  throws(() => resolveCommand(join(root, 'sub/plain'), {}), 'NotExecutable', `command at '${join(root, 'sub/plain')}' is not executable`);
});

test('x bits set but access(X_OK) refused: no permission', () => {
  // Root passes access(X_OK) whenever any x bit is set, so this case needs a probe.
  const probe: FileProbe = { mode: () => 0o100700, executable: () => false };
  throws(() => resolveCommand('/srv/app/run', {}, undefined, probe), 'NoPermission', "no permission to run command '/srv/app/run'");
});

test('a program with a slash is used as-is, relative to the daemon cwd', () => {
  const r = resolveCommand('./node_modules/.bin/tsc --version', {});
  assert.equal(r, { filename: './node_modules/.bin/tsc', argv: ['./node_modules/.bin/tsc', '--version'] });
});

test('names are shown as Python reprs', () => {
  throws(() => resolveCommand(`"it's"`, { PATH: root }), 'NotFound', `can't find command "it's"`);
});

test('a split kept from one spawn to the next is looked up and checked again each time', () => {
  const argv = splitCommand('moving "an arg"');
  assert.equal(argv, ['moving', 'an arg']);
  writeFileSync(join(root, 'a/moving'), '#!/bin/sh\n');
  chmodSync(join(root, 'a/moving'), 0o755);
  assert.equal(resolveArgv(argv, { PATH: `${join(root, 'a')}:${join(root, 'b')}` }), { filename: join(root, 'a/moving'), argv });
  rmSync(join(root, 'a/moving'));
  throws(() => resolveArgv(argv, { PATH: join(root, 'a') }), 'NotFound', "can't find command 'moving'");
  writeFileSync(join(root, 'b/moving'), '#!/bin/sh\n');
  chmodSync(join(root, 'b/moving'), 0o644);
  throws(() => resolveArgv(argv, { PATH: join(root, 'b') }), 'NotExecutable', `command at '${join(root, 'b/moving')}' is not executable`);
});

test('splitCommand: the parse errors resolveCommand gives, before any lookup', () => {
  throws(() => splitCommand('   '), 'BadCommand', 'command is empty');
  throws(() => splitCommand('a "b'), 'BadCommand', "can't parse command 'a \"b': No closing quotation");
});

test.run();
