// statevisorctl's pure parts: command-line parsing as cmd.Cmd does it, namespecs, the
// status table's widths, help's columns, completion, and how flags, file and defaults mix.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { columnize } from '../../src/ctl/columnize.ts';
import { complete, currentWord } from '../../src/ctl/completion.ts';
import { expandNames } from '../../src/ctl/commands/rolling.ts';
import { parseline } from '../../src/ctl/controller.ts';
import { makeNamespec, splitNamespec } from '../../src/client/namespec.ts';
import type { ProcessInfo } from '../../src/client/wire.ts';
import { statusLines } from '../../src/ctl/format.ts';
import { realize } from '../../src/ctl/options.ts';
import { suite } from '../harness.ts';

const test = suite('ctl: parsing, names, columns, completion, options');

test('parseline: command word of identifier characters, ? is help, ! is no command', () => {
  assert.equal(parseline('  status  a b '), ['status', 'a b', 'status  a b']);
  assert.equal(parseline('?start'), ['help', 'start', 'help start']);
  assert.equal(parseline('!ls'), [null, '', '!ls']);
  assert.equal(parseline('start-x'), ['start', '-x', 'start-x']);
  assert.equal(parseline('   '), [null, '', '']);
});

test("parseline: statevisor's rolling-restart is one word; a longer word is not it", () => {
  assert.equal(parseline(' rolling-restart  web:*  db '), ['rolling-restart', 'web:*  db', 'rolling-restart  web:*  db']);
  assert.equal(parseline('rolling-restarts x'), ['rolling', '-restarts x', 'rolling-restarts x']);
  assert.equal(parseline('foo-bar'), ['foo', '-bar', 'foo-bar']);
});

test('rolling-restart names: in the order given, a group by name, each process once, every unknown name reported', () => {
  const infos = [
    { name: 'api', group: 'api' }, { name: 'web_00', group: 'web' }, { name: 'web_01', group: 'web' },
  ] as ProcessInfo[];
  assert.equal(expandNames(['web:*', 'api', 'web:web_00'], infos), { namespecs: ['web:web_00', 'web:web_01', 'api'], errors: [] });
  assert.equal(expandNames(['all'], infos).namespecs, ['api', 'web:web_00', 'web:web_01']);
  assert.equal(expandNames(['nope', 'web:x', 'db:*', 'api'], infos), {
    namespecs: ['api'],
    errors: ['nope: ERROR (no such process)', 'web:x: ERROR (no such process)', 'db: ERROR (no such group)'],
  });
});

test('namespecs: g:* and g: are the group, a bare name is its own group', () => {
  assert.equal(splitNamespec('g:*'), ['g', null]);
  assert.equal(splitNamespec('g:'), ['g', null]);
  assert.equal(splitNamespec('g:p'), ['g', 'p']);
  assert.equal(splitNamespec('p'), ['p', 'p']);
  assert.is(makeNamespec('p', 'p'), 'p');
  assert.is(makeNamespec('g', 'p'), 'g:p');
});

test('status: a name column of at least 33, 3 more than the longest name', () => {
  const info = (name: string) => ({ name, group: name, statename: 'RUNNING' as const, description: 'd' });
  assert.is(statusLines([info('a')])[0], `a${' '.repeat(32)}RUNNING   d`);
  const long = 'x'.repeat(40);
  assert.is(statusLines([info(long), info('a')])[1], `a${' '.repeat(42)}RUNNING   d`);
});

test('columnize: as cmd.Cmd lays out supervisorctl help', () => {
  const names = ['add', 'avail', 'clear', 'exit', 'fg', 'maintail', 'open', 'pid', 'quit', 'reload', 'remove', 'reread', 'restart', 'shutdown', 'signal', 'start', 'status', 'stop', 'tail', 'update', 'version'];
  assert.equal(columnize(names, 79), [
    'add    exit      open  reload  restart   start   tail   ',
    'avail  fg        pid   remove  shutdown  status  update ',
    'clear  maintail  quit  reread  signal    stop    version',
  ]);
});

test('completion: actions, processes, group:*, groups, all, signals, channels', async () => {
  const infos = [
    { name: 'cat', group: 'cat' }, { name: 'talker', group: 'grp' }, { name: 'sleeper', group: 'grp' },
  ] as ProcessInfo[];
  const fetch = async () => infos;
  assert.is(currentWord('stop grp:ta'), 'grp:ta');
  assert.equal(await complete('sta', fetch), [['start ', 'status '], 'sta']);
  assert.equal(await complete('stop ', fetch), [['cat ', 'grp:talker ', 'grp:* ', 'grp:sleeper ', 'all '], '']);
  assert.equal(await complete('stop grp:', fetch), [['grp:talker ', 'grp:* ', 'grp:sleeper '], 'grp:']);
  assert.equal(await complete('update g', fetch), [['grp '], 'g']);
  assert.equal(await complete('signal h', fetch), [['HUP '], 'h']);
  assert.equal(await complete('signal HUP c', fetch), [['cat '], 'c']);
  assert.equal(await complete('tail -f cat s', fetch), [['stdout ', 'stderr '], 's']);
  assert.equal(await complete('help st', fetch), [['start ', 'status ', 'stop '], 'st']);
});

test('options: flags over the [supervisorctl] section over the defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctl-options-'));
  try {
    const conf = join(dir, 'c.conf');
    writeFileSync(conf, '[supervisorctl]\nserverurl=unix://%(here)s/s.sock\nusername=u\nprompt=p\n');
    const r = realize(['-c', conf, '-u', 'v', 'status'], '/x/bin/statevisorctl');
    assert.ok('options' in r);
    if (!('options' in r)) return;
    assert.equal(
      { ...r.options },
      { configfile: conf, serverurl: `unix://${dir}/s.sock`, username: 'v', password: null, prompt: 'p', history_file: null, interactive: false, args: ['status'] },
    );
    assert.equal(realize(['-c', conf, '-u', 'a', '-u', 'b'], 'x'), { exit: 2, stderr: "Error: conflicting command line option '-u'\nFor help, use statevisorctl -h\n" });
    assert.equal(realize(['-v'], 'x'), { exit: 0, stdout: '4.2.5\n' });
    const shell = realize(['-c', conf], 'x');
    assert.ok('options' in shell && shell.options.interactive);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
