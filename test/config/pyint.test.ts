// Expected values come from CPython 3.11.2: int(s, base), s.strip() and ch.isspace().
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { pyInt, pyIsSpace, pyStrip, PyValueError } from '../../src/config/pyint.ts';

const INT_CASES: [string, number, number | { error: string }][] = [
  ["0", 10, 0],
  ["0", 8, 0],
  ["22", 10, 22],
  ["22", 8, 18],
  ["022", 10, 22],
  ["022", 8, 18],
  ["-0", 10, 0],
  ["-0", 8, 0],
  ["+5", 10, 5],
  ["+5", 8, 5],
  ["-5", 10, -5],
  ["-5", 8, -5],
  [" 22 ", 10, 22],
  [" 22 ", 8, 18],
  ["\t\n42\r\n", 10, 42],
  ["\t\n42\r\n", 8, 34],
  ["\u000b1\f", 10, 1],
  ["\u000b1\f", 8, 1],
  ["\u00a01\u2003", 10, 1],
  ["\u00a01\u2003", 8, 1],
  ["\u3000-1", 10, -1],
  ["\u3000-1", 8, -1],
  ["1\u0085", 10, 1],
  ["1\u0085", 8, 1],
  ["7\u2028", 10, 7],
  ["7\u2028", 8, 7],
  ["7\u2029", 10, 7],
  ["7\u2029", 8, 7],
  ["\u202f7", 10, 7],
  ["\u202f7", 8, 7],
  ["1_000", 10, 1000],
  ["1_000", 8, 512],
  ["1__000", 10, {"error": "invalid literal for int() with base 10: '1__000'"}],
  ["1__000", 8, {"error": "invalid literal for int() with base 8: '1__000'"}],
  ["_1", 10, {"error": "invalid literal for int() with base 10: '_1'"}],
  ["_1", 8, {"error": "invalid literal for int() with base 8: '_1'"}],
  ["1_", 10, {"error": "invalid literal for int() with base 10: '1_'"}],
  ["1_", 8, {"error": "invalid literal for int() with base 8: '1_'"}],
  ["+_1", 10, {"error": "invalid literal for int() with base 10: '+_1'"}],
  ["+_1", 8, {"error": "invalid literal for int() with base 8: '+_1'"}],
  ["0_0", 10, 0],
  ["0_0", 8, 0],
  ["00", 10, 0],
  ["00", 8, 0],
  ["08", 10, 8],
  ["08", 8, {"error": "invalid literal for int() with base 8: '08'"}],
  ["09", 10, 9],
  ["09", 8, {"error": "invalid literal for int() with base 8: '09'"}],
  ["777", 10, 777],
  ["777", 8, 511],
  ["0o17", 10, {"error": "invalid literal for int() with base 10: '0o17'"}],
  ["0o17", 8, 15],
  ["0O17", 10, {"error": "invalid literal for int() with base 10: '0O17'"}],
  ["0O17", 8, 15],
  ["0o_17", 10, {"error": "invalid literal for int() with base 10: '0o_17'"}],
  ["0o_17", 8, 15],
  ["0o__17", 10, {"error": "invalid literal for int() with base 10: '0o__17'"}],
  ["0o__17", 8, {"error": "invalid literal for int() with base 8: '0o__17'"}],
  ["0_o17", 10, {"error": "invalid literal for int() with base 10: '0_o17'"}],
  ["0_o17", 8, {"error": "invalid literal for int() with base 8: '0_o17'"}],
  ["0o", 10, {"error": "invalid literal for int() with base 10: '0o'"}],
  ["0o", 8, {"error": "invalid literal for int() with base 8: '0o'"}],
  ["-0o7", 10, {"error": "invalid literal for int() with base 10: '-0o7'"}],
  ["-0o7", 8, -7],
  [" -0o7 ", 10, {"error": "invalid literal for int() with base 10: ' -0o7 '"}],
  [" -0o7 ", 8, -7],
  ["0o-7", 10, {"error": "invalid literal for int() with base 10: '0o-7'"}],
  ["0o-7", 8, {"error": "invalid literal for int() with base 8: '0o-7'"}],
  ["0x10", 10, {"error": "invalid literal for int() with base 10: '0x10'"}],
  ["0x10", 8, {"error": "invalid literal for int() with base 8: '0x10'"}],
  ["0b1", 10, {"error": "invalid literal for int() with base 10: '0b1'"}],
  ["0b1", 8, {"error": "invalid literal for int() with base 8: '0b1'"}],
  ["", 10, {"error": "invalid literal for int() with base 10: ''"}],
  ["", 8, {"error": "invalid literal for int() with base 8: ''"}],
  [" ", 10, {"error": "invalid literal for int() with base 10: ' '"}],
  [" ", 8, {"error": "invalid literal for int() with base 8: ' '"}],
  ["- 5", 10, {"error": "invalid literal for int() with base 10: '- 5'"}],
  ["- 5", 8, {"error": "invalid literal for int() with base 8: '- 5'"}],
  ["+-1", 10, {"error": "invalid literal for int() with base 10: '+-1'"}],
  ["+-1", 8, {"error": "invalid literal for int() with base 8: '+-1'"}],
  ["--1", 10, {"error": "invalid literal for int() with base 10: '--1'"}],
  ["--1", 8, {"error": "invalid literal for int() with base 8: '--1'"}],
  ["1.5", 10, {"error": "invalid literal for int() with base 10: '1.5'"}],
  ["1.5", 8, {"error": "invalid literal for int() with base 8: '1.5'"}],
  ["1e5", 10, {"error": "invalid literal for int() with base 10: '1e5'"}],
  ["1e5", 8, {"error": "invalid literal for int() with base 8: '1e5'"}],
  ["a", 10, {"error": "invalid literal for int() with base 10: 'a'"}],
  ["a", 8, {"error": "invalid literal for int() with base 8: 'a'"}],
  ["1 2", 10, {"error": "invalid literal for int() with base 10: '1 2'"}],
  ["1 2", 8, {"error": "invalid literal for int() with base 8: '1 2'"}],
  ["1\u0000", 10, {"error": "invalid literal for int() with base 10: '1\\x00'"}],
  ["1\u0000", 8, {"error": "invalid literal for int() with base 8: '1\\x00'"}],
  ["\u001c1", 10, {"error": "invalid literal for int() with base 10: '\\x1c1'"}],
  ["\u001c1", 8, {"error": "invalid literal for int() with base 8: '\\x1c1'"}],
  ["1\u001f", 10, {"error": "invalid literal for int() with base 10: '1\\x1f'"}],
  ["1\u001f", 8, {"error": "invalid literal for int() with base 8: '1\\x1f'"}],
  ["\u180e7", 10, {"error": "invalid literal for int() with base 10: '\\u180e7'"}],
  ["\u180e7", 8, {"error": "invalid literal for int() with base 8: '\\u180e7'"}],
  ["\u200b7", 10, {"error": "invalid literal for int() with base 10: '\\u200b7'"}],
  ["\u200b7", 8, {"error": "invalid literal for int() with base 8: '\\u200b7'"}],
  ["12345678901234567890", 10, 12345678901234567890],
  ["12345678901234567890", 8, {"error": "invalid literal for int() with base 8: '12345678901234567890'"}],
  ["\u0661\u0662", 10, 12],
  ["\u0661\u0662", 8, 10],
  ["\u0661_\u0662", 10, 12],
  ["\u0661_\u0662", 8, 10],
  ["\uff11\uff12", 10, 12],
  ["\uff11\uff12", 8, 10],
  ["\ud835\udfce\ud835\udfcf", 10, 1],
  ["\ud835\udfce\ud835\udfcf", 8, 1],
  ["\u0660o17", 10, {"error": "invalid literal for int() with base 10: '\u0660o17'"}],
  ["\u0660o17", 8, 15],
  ["\u0967\u0966", 10, 10],
  ["\u0967\u0966", 8, 8],
  ["9\u00e9", 10, {"error": "invalid literal for int() with base 10: '9\u00e9'"}],
  ["9\u00e9", 8, {"error": "invalid literal for int() with base 8: '9\u00e9'"}],
  ["\ud83d\ude00", 10, {"error": "invalid literal for int() with base 10: '\ud83d\ude00'"}],
  ["\ud83d\ude00", 8, {"error": "invalid literal for int() with base 8: '\ud83d\ude00'"}],
  ["it's", 10, {"error": "invalid literal for int() with base 10: \"it's\""}],
  ["it's", 8, {"error": "invalid literal for int() with base 8: \"it's\""}],
  ["\u007f1", 10, {"error": "invalid literal for int() with base 10: '\\x7f1'"}],
  ["\u007f1", 8, {"error": "invalid literal for int() with base 8: '\\x7f1'"}],
  ["ff", 16, 255],
  ["0xFF", 16, 255],
  ["0x_f", 16, 15],
  ["101", 2, 5],
  ["0b101", 2, 5],
  ["0b2", 2, {"error": "invalid literal for int() with base 2: '0b2'"}],
  ["zz", 36, 1295],
  ["0o7", 16, {"error": "invalid literal for int() with base 16: '0o7'"}],
];
const LIMIT_MESSAGES = ["ok", "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit", "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit", "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit", "invalid literal for int() with base 10: '1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111", "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit"];
const TRUNCATED = "invalid literal for int() with base 10: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
const STRIP_CASES: [string, string][] = [
  ["", ""],
  ["  a b  ", "a b"],
  ["\t\n\u000b\f\r\u001c\u001d\u001e\u001fx\u001c", "x"],
  ["\u0085\u00a0y\u1680", "y"],
  ["\u2000\u200a z \u2028\u2029\u202f\u205f\u3000", "z"],
  ["\u200bq\u200b", "\u200bq\u200b"],
  ["\u180ew", "\u180ew"],
  ["\ufeffv\ufeff", "\ufeffv\ufeff"],
  ["inner  space", "inner  space"],
];
const SPACE_CODEPOINTS = [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288];

const test = suite('pyint');

function outcome(f: () => number): number | { error: string } {
  try {
    return f();
  } catch (e) {
    if (e instanceof PyValueError) return { error: e.message };
    throw e;
  }
}

for (const [s, base, expected] of INT_CASES) {
  test(`int(${JSON.stringify(s)}, ${base})`, () => {
    assert.equal(outcome(() => pyInt(s, base)), expected);
  });
}

test('base defaults to 10', () => {
  assert.is(pyInt('010'), 10);
});

test('digit limit: base 10 counts digits, not underscores, before looking past them', () => {
  const inputs = ['1'.repeat(4300), '1'.repeat(4301), '1_'.repeat(4300) + '1', '1'.repeat(5000) + 'x', '1'.repeat(4301) + '_', ' ' + '0'.repeat(4301)];
  const got = inputs.map((s) => {
    const r = outcome(() => pyInt(s));
    return typeof r === 'number' ? 'ok' : r.error;
  });
  assert.equal(got, LIMIT_MESSAGES);
});

test('no digit limit for base 8; too big for a double is Infinity', () => {
  assert.is(pyInt('7'.repeat(4400), 8), Infinity);
});

test('the repr in the message is cut at 200 characters', () => {
  assert.equal(outcome(() => pyInt('x'.repeat(300))), { error: TRUNCATED });
});

test('a failure is a PyValueError, an Error', () => {
  try {
    pyInt('nope');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, PyValueError);
    assert.instance(e, Error);
  }
});

test('bases outside 2..36 are a programming error', () => {
  assert.throws(() => pyInt('1', 0), (e: unknown) => e instanceof RangeError);
  assert.throws(() => pyInt('1', 37), (e: unknown) => e instanceof RangeError);
});

for (const [s, stripped] of STRIP_CASES) {
  test(`${JSON.stringify(s)}.strip()`, () => {
    assert.is(pyStrip(s), stripped);
  });
}

test('isspace() over the BMP and a sample beyond it', () => {
  const spaces = new Set(SPACE_CODEPOINTS);
  for (let cp = 0; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp < 0xe000) continue;
    assert.is(pyIsSpace(String.fromCodePoint(cp)), spaces.has(cp), `U+${cp.toString(16)}`);
  }
  assert.is(pyIsSpace('\u{1f600}'), false);
  assert.is(pyIsSpace(''), false);
});

test.run();
