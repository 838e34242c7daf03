// release-pages.ts: which mappings it may drop (a library's clean file pages, never pages
// the process wrote), and, in a fresh node, that dropping them takes them out of RssFile
// and the process runs on, its libraries' relocations intact.
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { fileCopies, parseSmaps } from '../../src/daemon/release-pages.ts';
import { suite } from '../harness.ts';

const test = suite('daemon/release-pages', {}, 60_000);

/** One smaps entry: its header and the two fields the parser reads among others. */
const entry = (range: string, perms: string, inode: number, path: string, anonymousKb: number) => [
  `${range} ${perms} 00000000 fd:01 ${inode}${path ? `                    ${path}` : ''}`,
  'Size:                100 kB',
  'Rss:                  40 kB',
  `Anonymous:            ${anonymousKb} kB`,
  'VmFlags: rd mr mw me sd',
].join('\n');

const SMAPS = [
  entry('00400000-00b6f000', 'r--p', 101, '/usr/bin/node', 0),
  entry('00b6f000-02601000', 'r-xp', 101, '/usr/bin/node', 0),
  entry('0563a000-0563e000', 'r--p', 101, '/usr/bin/node', 12),
  entry('0563e000-0565c000', 'rw-p', 101, '/usr/bin/node', 120),
  entry('7f0000000000-7f0000100000', 'rw-p', 0, '', 1024),
  entry('7f1000000000-7f1000010000', 'r--s', 202, '/dev/shm/x', 0),
  entry('7ffff7fc1000-7ffff7fc5000', 'r--p', 0, '[vvar]', 0),
  entry('7fffffffe000-7ffffffff000', 'r-xp', 0, '[vdso]', 0),
].join('\n');

test('parseSmaps reads each mapping, its range past 2^53 exactly', () => {
  const maps = parseSmaps(SMAPS);
  assert.is(maps.length, 8);
  assert.equal(maps[2], { start: 0x563a000n, end: 0x563e000n, perms: 'r--p', inode: 101, path: '/usr/bin/node', anonymousKb: 12 });
  assert.is(maps[7].end, 0x7ffffffff000n);
  assert.is(maps[4].path, '');
});

test('fileCopies: the read-only private pages of a file, not the relocated, written, anonymous, shared or special ones', () => {
  assert.equal(fileCopies(parseSmaps(SMAPS)).map((m) => [m.start, m.perms]), [[0x400000n, 'r--p'], [0xb6f000n, 'r-xp']]);
});

// A fresh node (tsx loads the module as the daemon's bundle does): RssFile before and
// after, then libc through koffi (its RELRO kept) and the JS engine still at work.
const RELEASE = `
import { readFileSync } from 'node:fs';
import { releasePages } from ${JSON.stringify(new URL('../../src/daemon/release-pages.ts', import.meta.url).pathname)};
import { libc } from ${JSON.stringify(new URL('../../src/runtime/native.ts', import.meta.url).pathname)};
const rssFile = () => Number(/^RssFile:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
const c = libc();
if (c instanceof Error) throw c;
const before = rssFile();
const released = releasePages();
const after = rssFile();
const p = c.pipe();
const words = JSON.parse(JSON.stringify('un deux trois'.split(' '))).map((w) => w.toUpperCase().normalize('NFD'));
console.log(JSON.stringify({ released, before, after, pipe: p.read >= 0 && p.write >= 0, words, date: new Date(0).toISOString() }));
`;

test('releasePages takes the file pages out of the resident set, and the process runs on', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RELEASE], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { released: boolean; before: number; after: number; pipe: boolean; words: string[]; date: string };
  assert.ok(out.released, 'libc and /proc/self/smaps within reach');
  assert.ok(out.after < out.before, `RssFile ${out.before} kB before, ${out.after} kB after`);
  assert.ok(out.pipe);
  assert.equal(out.words, ['UN', 'DEUX', 'TROIS']);
  assert.is(out.date, '1970-01-01T00:00:00.000Z');
});

test.run();
