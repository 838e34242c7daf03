// stripAnsi against supervisor 4.2.5's own stripEscapes: the fixture holds its outputs
// for 200 generated inputs heavy in ESC, '[' and terminators.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AnsiStripper, StripAnsiTransform, stripAnsi } from '../../src/logs/ansi.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/logs/strip-escapes.json', import.meta.url), 'utf8')) as {
  cases: [string, string][];
};
const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const text = (b: Buffer): string => b.toString('latin1');

const test = suite('ansi');

test('stripAnsi(Buffer) matches stripEscapes on every fixture case', () => {
  for (const [input, expected] of fixture.cases) assert.is(text(stripAnsi(bytes(input))), expected, JSON.stringify(input));
});

test('stripAnsi(string) matches too', () => {
  for (const [input, expected] of fixture.cases) assert.is(stripAnsi(input), expected, JSON.stringify(input));
});

test('the supervisor quirks: lone ESC kept, unterminated sequence drops the rest, OSC kept', () => {
  assert.is(stripAnsi('\x1b'), '\x1b');
  assert.is(stripAnsi('a\x1bb'), 'a\x1bb');
  assert.is(stripAnsi('a\x1b[1;2 0 9 .,'), 'a'); // no terminator byte follows
  assert.is(stripAnsi('\x1b]0;title\x07x'), '\x1b]0;title\x07x');
  assert.is(stripAnsi('\x1b[?25lhidden cursor'), 'hidden cursor');
  assert.is(stripAnsi('\x1b[1;31mbold red\x1b[0m plain\x1b[2K\x1b[1G'), 'bold red plain');
});

test('a chunk without ESC passes through as the same Buffer', () => {
  const chunk = bytes('plain text\n');
  assert.ok(new AnsiStripper().push(chunk) === chunk);
});

test('streaming: every split point of every case gives the unsplit result', () => {
  for (const [input, expected] of fixture.cases) {
    const b = bytes(input);
    for (let cut = 0; cut <= b.length; cut++) {
      const s = new AnsiStripper();
      const got = Buffer.concat([s.push(b.subarray(0, cut)), s.push(b.subarray(cut)), s.end()]);
      assert.is(text(got), expected, `${JSON.stringify(input)} cut at ${cut}`);
    }
  }
});

test('streaming: one byte per chunk', () => {
  for (const [input, expected] of fixture.cases) {
    const s = new AnsiStripper();
    const parts = [...bytes(input)].map((x) => s.push(Buffer.from([x])));
    assert.is(text(Buffer.concat([...parts, s.end()])), expected, JSON.stringify(input));
  }
});

test('StripAnsiTransform strips a sequence split across chunks (ESC | [31m and ESC[3 | 1m)', async () => {
  const chunks = ['red: \x1b', '[31mRED\x1b[3', '1m!\x1b[0', 'm done\n'].map(bytes);
  let out = '';
  await pipeline(
    Readable.from(chunks),
    new StripAnsiTransform(),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        out += text(chunk);
        cb();
      },
    }),
  );
  assert.is(out, 'red: RED! done\n');
  // What supervisor's per-read stripping leaves when a read boundary falls there:
  assert.is(chunks.map((c) => text(stripAnsi(c))).join(''), 'red: \x1b[31mRED1m!m done\n');
});

test('StripAnsiTransform releases an ESC held at the very end', async () => {
  let out = '';
  await pipeline(
    Readable.from([bytes('tail\x1b')]),
    new StripAnsiTransform(),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        out += text(chunk);
        cb();
      },
    }),
  );
  assert.is(out, 'tail\x1b');
});

test.run();
