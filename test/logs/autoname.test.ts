// AUTO log names and the startup sweep. The match/no-match table was checked against
// supervisor 4.2.5's regex with /usr/bin/python3 (re.compile(...).match).
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  AutoLogMaker,
  MKSTEMP_CHARS,
  autoChildLogNames,
  autoChildLogPattern,
  clearAutoChildLogDir,
  createAutoChildLogSync,
} from '../../src/logs/autoname.ts';
import { tempDirs } from './tmp.ts';

const tmp = tempDirs();
const test = suite('autoname');
test.after(() => tmp.removeAll());

const NAME = /^foo-stdout---supervisor-[a-z0-9_]{8}\.log$/;

test('createAutoChildLogSync: mkstemp shape, empty, 0600, absolute path in childlogdir', async () => {
  const dir = tmp.make();
  const path = createAutoChildLogSync(dir, 'foo', 'supervisor', 'stdout');
  assert.ok(path.startsWith(`${dir}/`), path);
  assert.match(basename(path), NAME);
  const st = statSync(path);
  assert.is(st.size, 0);
  assert.is(st.mode & 0o777, 0o600);
  assert.ok([...basename(path).slice(-12, -4)].every((c) => MKSTEMP_CHARS.includes(c)));
});

test('createAutoChildLogSync: same shape, stderr channel, relative dir made absolute', () => {
  const dir = tmp.make();
  const path = createAutoChildLogSync(`${dir}/./`, 'web_01', 'myid', 'stderr');
  assert.match(basename(path), /^web_01-stderr---myid-[a-z0-9_]{8}\.log$/);
  assert.is(path, join(dir, basename(path)));
});

test('an existing name is skipped (O_EXCL), as mkstemp retries', async () => {
  const dir = tmp.make();
  writeFileSync(join(dir, 'p-stdout---supervisor-aaaaaaaa.log'), 'keep');
  const names = ['aaaaaaaa', 'bbbbbbbb'];
  const path = createAutoChildLogSync(dir, 'p', 'supervisor', 'stdout', { random: () => names.shift() ?? 'x' });
  assert.is(basename(path), 'p-stdout---supervisor-bbbbbbbb.log');
  assert.is(statSync(join(dir, 'p-stdout---supervisor-aaaaaaaa.log')).size, 4);
});

test('AutoLogMaker: each file made as mkstemp makes it (empty, 0600), under the names drawn first', async () => {
  const dir = tmp.make();
  const maker = new AutoLogMaker();
  const draws = ['a', 'b', 'c'].map((p) => autoChildLogNames(dir, p, 'supervisor', 'stdout'));
  const firsts = draws.map((next) => next());
  const made = firsts.map((first, i) => maker.create(first, draws[i]));
  maker.start();
  assert.equal(await Promise.all(made), firsts);
  for (const path of firsts) {
    const st = statSync(path);
    assert.is(st.size, 0);
    assert.is(st.mode & 0o777, 0o600);
  }
});

test('AutoLogMaker: a name taken already is drawn again (O_EXCL), the file there left alone', async () => {
  const dir = tmp.make();
  writeFileSync(join(dir, 'p-stdout---supervisor-aaaaaaaa.log'), 'keep');
  const names = ['aaaaaaaa', 'bbbbbbbb'];
  const next = autoChildLogNames(dir, 'p', 'supervisor', 'stdout', { random: () => names.shift() ?? 'x' });
  const maker = new AutoLogMaker();
  const made = maker.create(next(), next);
  maker.start();
  assert.is(await made, join(dir, 'p-stdout---supervisor-bbbbbbbb.log'));
  assert.is(readFileSync(join(dir, 'p-stdout---supervisor-aaaaaaaa.log'), 'utf8'), 'keep');
});

test('AutoLogMaker: a directory that takes no file gives the error with its code, the others are made', async () => {
  const dir = tmp.make();
  const gone = autoChildLogNames(join(dir, 'missing'), 'p', 'supervisor', 'stdout');
  const fine = autoChildLogNames(dir, 'q', 'supervisor', 'stderr');
  const maker = new AutoLogMaker();
  const failed = maker.create(gone(), gone);
  const made = maker.create(fine(), fine);
  maker.start();
  const result = await failed;
  assert.instance(result, Error);
  assert.is((result as NodeJS.ErrnoException).code, 'ENOENT');
  assert.match(basename(await made as string), /^q-stderr---supervisor-[a-z0-9_]{8}\.log$/);
});

const MATCHES: [string, boolean][] = [
  ['foo-stdout---supervisor-abc123.log', true],
  ['foo-stdout---supervisor-abc123.log.1', true],
  ['foo-stdout---supervisor-abc123.log.12345', true],
  ['x---supervisor-a.logger', true],
  ['a---b---supervisor-x.log', true],
  ['---supervisor-a.log', false],
  ['foo---supervisor-.log', false],
  ['foo---other-a.log', false],
  ['foo--supervisor-a.log', false],
  ['foo---supervisor-a b.log', false],
  ['foo---supervisor-a.lo', false],
  ['a---supervisorX-a.log', false],
  ['a---supervisor-a b.log.1', false],
  ['supervisord.log', false],
];

test('the cleanup regex matches exactly what supervisor 4.2.5 matches', () => {
  const re = autoChildLogPattern('supervisor');
  for (const [name, expected] of MATCHES) assert.is(re.test(name), expected, name);
});

test('the identifier is a regex fragment, unescaped, as in supervisor', () => {
  assert.ok(autoChildLogPattern('host.1').test('p-stdout---hostX1-abc.log'));
});

test('clearAutoChildLogDir deletes AUTO logs and backups of this identifier only', async () => {
  const dir = tmp.make();
  const keep = ['supervisord.log', 'foo-stdout---other-abc.log', 'app.log', 'app.log.1', 'foo---supervisor-a b.log'];
  const gone = ['foo-stdout---supervisor-abcdefgh.log', 'foo-stdout---supervisor-abcdefgh.log.1', 'bar-stderr---supervisor-_x9.log.10'];
  for (const n of [...keep, ...gone]) writeFileSync(join(dir, n), n);
  const made = createAutoChildLogSync(dir, 'new', 'supervisor', 'stdout');
  const warnings: string[] = [];
  const removed = await clearAutoChildLogDir(dir, 'supervisor', (m) => warnings.push(m));
  assert.equal(readdirSync(dir).sort(), keep.sort());
  assert.equal(removed.sort(), [...gone.map((n) => join(dir, n)), made].sort());
  assert.equal(warnings, []);
});

test('clearAutoChildLogDir warns with supervisor texts and carries on', async () => {
  const dir = tmp.make();
  mkdirSync(join(dir, 'd---supervisor-x.log'));
  writeFileSync(join(dir, 'f---supervisor-y.log'), '');
  const warnings: string[] = [];
  await clearAutoChildLogDir(dir, 'supervisor', (m) => warnings.push(m));
  assert.equal(warnings, [`Failed to clean up '${dir}/d---supervisor-x.log'`]);
  assert.equal(readdirSync(dir), ['d---supervisor-x.log']);
  const missing: string[] = [];
  assert.equal(await clearAutoChildLogDir(join(dir, 'nope'), 'supervisor', (m) => missing.push(m)), []);
  assert.equal(missing, ['Could not clear childlog dir']);
});

test.run();
