// Expected values come from CPython 3.11.2: repr(s), ascii(s) and repr(list_of_str).
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { pyAscii, pyRepr, pyReprList } from '../../src/config/pyrepr.ts';

const CASES: [string, string, string][] = [
  ["", "''", "''"],
  ["abc", "'abc'", "'abc'"],
  ["it's", "\"it's\"", "\"it's\""],
  ["say \"hi\"", "'say \"hi\"'", "'say \"hi\"'"],
  ["both ' and \"", "'both \\' and \"'", "'both \\' and \"'"],
  ["back\\slash", "'back\\\\slash'", "'back\\\\slash'"],
  ["tab\there", "'tab\\there'", "'tab\\there'"],
  ["line\nbreak", "'line\\nbreak'", "'line\\nbreak'"],
  ["cr\rlf", "'cr\\rlf'", "'cr\\rlf'"],
  ["\u0000", "'\\x00'", "'\\x00'"],
  ["\u0007\u001b", "'\\x07\\x1b'", "'\\x07\\x1b'"],
  ["\u007f", "'\\x7f'", "'\\x7f'"],
  ["\u0080", "'\\x80'", "'\\x80'"],
  ["\u009f", "'\\x9f'", "'\\x9f'"],
  ["\u00a0", "'\\xa0'", "'\\xa0'"],
  ["\u00a1", "'\u00a1'", "'\\xa1'"],
  ["\u00ad", "'\\xad'", "'\\xad'"],
  ["\u00e9t\u00e9", "'\u00e9t\u00e9'", "'\\xe9t\\xe9'"],
  ["\u0378", "'\\u0378'", "'\\u0378'"],
  ["\u2028", "'\\u2028'", "'\\u2028'"],
  ["\u2029", "'\\u2029'", "'\\u2029'"],
  ["\u200b", "'\\u200b'", "'\\u200b'"],
  ["\u3000", "'\\u3000'", "'\\u3000'"],
  ["\u1680", "'\\u1680'", "'\\u1680'"],
  ["\ufeff", "'\\ufeff'", "'\\ufeff'"],
  ["\ue000", "'\\ue000'", "'\\ue000'"],
  ["\uffff", "'\\uffff'", "'\\uffff'"],
  ["\ud800", "'\\ud800'", "'\\ud800'"],
  ["\udfff", "'\\udfff'", "'\\udfff'"],
  ["\ud83d\ude00", "'\ud83d\ude00'", "'\\U0001f600'"],
  ["\udb40\udc01", "'\\U000e0001'", "'\\U000e0001'"],
  ["\udbff\udfff", "'\\U0010ffff'", "'\\U0010ffff'"],
  ["\u4e2d\u6587", "'\u4e2d\u6587'", "'\\u4e2d\\u6587'"],
  [" ", "' '", "' '"],
  ["%(here)s", "'%(here)s'", "'%(here)s'"],
  ["'", "\"'\"", "\"'\""],
  ["\"", "'\"'", "'\"'"],
  ["'\"", "'\\'\"'", "'\\'\"'"],
  ["\\'", "\"\\\\'\"", "\"\\\\'\""],
  ["a\u000bb\fc", "'a\\x0bb\\x0cc'", "'a\\x0bb\\x0cc'"],
];
const LISTS: [string[], string][] = [
  [[], "[]"],
  [["a"], "['a']"],
  [["a", "b"], "['a', 'b']"],
  [["it's", "x"], "[\"it's\", 'x']"],
  [["\n", "\u00e9"], "['\\n', '\u00e9']"],
  [[""], "['']"],
];

const test = suite('pyrepr');

for (const [s, repr, ascii] of CASES) {
  test(`repr(${repr})`, () => {
    assert.is(pyRepr(s), repr);
    assert.is(pyAscii(s), ascii);
  });
}

for (const [xs, repr] of LISTS) {
  test(`repr(list) ${repr}`, () => {
    assert.is(pyReprList(xs), repr);
  });
}

test.run();
