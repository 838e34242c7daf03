// environment_file's reading and layering: dotenv syntax, the five layers in order, `-`,
// the spawn errors' texts, and the stat cache noticing edits and replacements.
import { mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { environmentFileList } from '../../src/config/ext-environment-file.ts';
import { EnvironmentFileCache } from '../../src/runtime/environment-files.ts';
import { childEnvironment } from '../../src/runtime/environment.ts';
import { SpawnError } from '../../src/runtime/errors.ts';
import { tempDirs } from '../logs/tmp.ts';
import { suite } from '../harness.ts';

const tmp = tempDirs('statevisor-envfiles-');
const test = suite('runtime/environment-files');
test.after(() => tmp.removeAll());

const required = (path: string) => ({ path, optional: false });

function spawnError(fn: () => unknown): SpawnError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpawnError) return e;
    throw e;
  }
  throw new assert.Assertion({ message: 'no SpawnError', operator: 'throws', actual: 'returned', expects: 'SpawnError' });
}

test('dotenv syntax: quotes, export, comments, multi-line values; no ${} expansion', () => {
  const dir = tmp.make();
  const file = join(dir, 'a.env');
  writeFileSync(file, '# comment\nA=1\nexport B="two words"\nC=\'${A}\'\nD="multi\nline"\nE=x # trailing\n');
  assert.equal({ ...new EnvironmentFileCache().read(required(file)) }, { A: '1', B: 'two words', C: '${A}', D: 'multi\nline', E: 'x' });
});

test('precedence, lowest first: daemon, [supervisord] files, [supervisord] environment=, program files, program environment=', () => {
  const dir = tmp.make();
  const sd1 = join(dir, 'sd1.env');
  const sd2 = join(dir, 'sd2.env');
  const prog = join(dir, 'prog.env');
  writeFileSync(sd1, 'L1=sdfile\nL2=sdfile\nL3=sdfile\nL4=sdfile\nL5=sdfile\nSAME=sdfile1\n');
  writeFileSync(sd2, 'SAME=sdfile2\n');
  writeFileSync(prog, 'L3=progfile\nL4=progfile\nL5=progfile\nBOTH=progfile\nSUPERVISOR_ENABLED=from-file\n');
  // ProcessConfig.environment: [supervisord] environment= (L2, L3, BOTH) under the program's (L4, BOTH).
  const merged = { L2: 'sdenv', L3: 'sdenv', BOTH: 'same', L4: 'progenv' };
  const env = childEnvironment({
    name: 'p', serverurl: null, environment: merged,
    statevisor: { environment_file: { supervisord: [required(sd1), required(sd2)], program: [required(prog)], environment_names: ['L4', 'BOTH'] } },
  }, 'g', { env: { L0: 'daemon', L1: 'daemon', L5: 'daemon' }, serverurl: null });
  assert.equal(
    [env.L0, env.L1, env.L2, env.L3, env.L4, env.L5, env.SAME, env.BOTH, env.SUPERVISOR_ENABLED],
    ['daemon', 'sdfile', 'sdenv', 'progfile', 'progenv', 'progfile', 'sdfile2', 'same', 'from-file'],
  );
});

test('`-PATH` may be missing; a missing file without it, and a file that cannot be read (a directory) are spawn errors', () => {
  const dir = tmp.make();
  const cache = new EnvironmentFileCache();
  assert.equal({ ...cache.read({ path: join(dir, 'none.env'), optional: true }) }, {});
  assert.equal({ ...cache.read({ path: join(dir, 'none', 'x.env'), optional: true }) }, {}, 'ENOTDIR counts as missing');
  const missing = spawnError(() => cache.read(required(join(dir, 'none.env'))));
  assert.is(missing.message, `can't find environment_file '${join(dir, 'none.env')}'`);
  assert.is(missing.kind, 'EnvironmentFile');
  mkdirSync(join(dir, 'd.env'));
  assert.is(spawnError(() => cache.read({ path: join(dir, 'd.env'), optional: true })).message, `can't read environment_file '${join(dir, 'd.env')}': EISDIR`);
  writeFileSync(join(dir, 'nul.env'), 'A="x\0y"\n');
  assert.match(spawnError(() => cache.read(required(join(dir, 'nul.env')))).message, /the value of A holds a NUL byte/);
});

test('the cache: parsed once while unchanged, again after an edit in place or a rename over it', () => {
  const dir = tmp.make();
  const file = join(dir, 'a.env');
  const cache = new EnvironmentFileCache();
  writeFileSync(file, 'A=1\n');
  const first = cache.read(required(file));
  assert.is(cache.read(required(file)), first, 'same object: not parsed again');
  writeFileSync(file, 'A=2\n');
  // Same size; force an mtime the first write cannot have had.
  utimesSync(file, new Date(2000, 0, 1), new Date(2000, 0, 1));
  assert.is(cache.read(required(file)).A, '2');
  writeFileSync(join(dir, 'b.env'), 'A=3\n');
  renameSync(join(dir, 'b.env'), file);
  assert.is(cache.read(required(file)).A, '3', 'a new inode');
  rmSync(file);
  assert.is(spawnError(() => cache.read(required(file))).message, `can't find environment_file '${file}'`);
});

test('config: the list, `-`, spaces around commas; relative and empty paths are errors', () => {
  assert.equal(environmentFileList('/a.env, -/b.env ,- /c.env'), [
    { path: '/a.env', optional: false }, { path: '/b.env', optional: true }, { path: '/c.env', optional: true },
  ]);
  assert.throws(() => environmentFileList('app.env'), /path 'app.env' is not absolute/);
  assert.throws(() => environmentFileList('/a.env,,/b.env'), /empty path/);
  assert.throws(() => environmentFileList('-'), /empty path/);
});

test.run();
