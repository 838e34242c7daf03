// Expected values come from CPython 3.11.2: list(lexer) for a non-posix shlex.shlex(s)
// with `lexer.wordchars += extra`, and shlex.split(s).
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { PyValueError } from '../../src/config/pyint.ts';
import { shlexSplit, shlexTokens } from '../../src/config/shlex.ts';

const TOKEN_CASES: [string, string, string[] | { error: string }][] = [
  ["", "/.+-():", []],
  ["   ", "/.+-():", []],
  ["a=b", "/.+-():", ["a", "=", "b"]],
  ["A=1,B=2", "/.+-():", ["A", "=", "1", ",", "B", "=", "2"]],
  ["KEY=\"a value\",OTHER=x", "/.+-():", ["KEY", "=", "\"a value\"", ",", "OTHER", "=", "x"]],
  ["K='single q',L=2", "/.+-():", ["K", "=", "'single q'", ",", "L", "=", "2"]],
  ["PATH=/usr/bin:/bin", "/.+-():", ["PATH", "=", "/usr/bin:/bin"]],
  ["X=1.5+2-3", "/.+-():", ["X", "=", "1.5+2-3"]],
  ["X=(a)", "/.+-():", ["X", "=", "(a)"]],
  ["a\"b c\"d", "/.+-():", ["a\"b", "c\"d"]],
  ["\"a b\"c", "/.+-():", ["\"a b\"", "c"]],
  ["\"unterminated", "/.+-():", {"error": "No closing quotation"}],
  ["k='open", "/.+-():", {"error": "No closing quotation"}],
  ["a#comment\nb", "/.+-():", ["ab"]],
  ["a #comment\nb", "/.+-():", ["a", "b"]],
  ["#only a comment", "/.+-():", []],
  ["a=b # trailing", "/.+-():", ["a", "=", "b"]],
  ["k=v\n\tk2=v2", "/.+-():", ["k", "=", "v", "k2", "=", "v2"]],
  ["k=caf\u00e9", "/.+-():", ["k", "=", "caf", "\u00e9"]],
  ["k=na\u00efve", "/.+-():", ["k", "=", "na", "\u00ef", "ve"]],
  ["k=\u00e9", "", ["k", "=", "\u00e9"]],
  ["a;b&c|d", "/.+-():", ["a", ";", "b", "&", "c", "|", "d"]],
  ["a\\b", "/.+-():", ["a", "\\", "b"]],
  ["\"a\\\"b\"", "/.+-():", ["\"a\\\"", "b\""]],
  ["x=\"\"", "/.+-():", ["x", "=", "\"\""]],
  ["x=''", "/.+-():", ["x", "=", "''"]],
  ["x=\"a\"y", "/.+-():", ["x", "=", "\"a\"", "y"]],
  ["=,=", "/.+-():", ["=", ",", "="]],
  ["a/b", "", ["a", "/", "b"]],
  ["a.b", "", ["a", ".", "b"]],
  ["a-b", "", ["a", "-", "b"]],
  ["k=v", "=", ["k=v"]],
  ["x=\ud83d\ude00y", "/.+-():", ["x", "=", "\ud83d\ude00", "y"]],
  ["\"\ud83d\ude00\"", "/.+-():", ["\"\ud83d\ude00\""]],
  ["a\r\nb", "/.+-():", ["a", "b"]],
  ["a,b", ",", ["a,b"]],
  ["\"a\"'b'", "/.+-():", ["\"a\"", "'b'"]],
  ["a'b'c", "/.+-():", ["a'b'c"]],
  ["a#b", "#", ["a"]],
  ["a\"b", "\"", ["a\"b"]],
];
const SPLIT_CASES: [string, string[] | { error: string }][] = [
  ["", []],
  ["   ", []],
  ["a b  c", ["a", "b", "c"]],
  ["/usr/bin/python -u script.py", ["/usr/bin/python", "-u", "script.py"]],
  ["cmd \"a b\" c", ["cmd", "a b", "c"]],
  ["cmd 'a b' c", ["cmd", "a b", "c"]],
  ["a\"b c\"d", ["ab cd"]],
  ["a'b'c", ["abc"]],
  ["\"\"", [""]],
  ["''", [""]],
  ["x \"\" y", ["x", "", "y"]],
  ["a\\ b", ["a b"]],
  ["a\\\\b", ["a\\b"]],
  ["a\\\"b", ["a\"b"]],
  ["\"a\\\"b\"", ["a\"b"]],
  ["\"a\\\\b\"", ["a\\b"]],
  ["\"a\\nb\"", ["a\\nb"]],
  ["\"a\\$b\"", ["a\\$b"]],
  ["'a\\'", ["a\\"]],
  ["'a\\b'", ["a\\b"]],
  ["\"unterminated", {"error": "No closing quotation"}],
  ["'unterminated", {"error": "No closing quotation"}],
  ["trailing\\", {"error": "No escaped character"}],
  ["\"esc at end\\", {"error": "No escaped character"}],
  ["a#b c", ["a#b", "c"]],
  ["# not a comment", ["#", "not", "a", "comment"]],
  ["caf\u00e9 na\u00efve", ["caf\u00e9", "na\u00efve"]],
  ["\t tab\nnew\rline ", ["tab", "new", "line"]],
  ["sh -c \"echo $HOME; ls\"", ["sh", "-c", "echo $HOME; ls"]],
  ["x='1 2' y=\"3 4\"", ["x=1 2", "y=3 4"]],
  ["\ud83d\ude00 \"\ud83d\ude00 x\"", ["\ud83d\ude00", "\ud83d\ude00 x"]],
  ["it's", {"error": "No closing quotation"}],
  ["say \"it's\"", ["say", "it's"]],
  ["a\\\nb", ["a\nb"]],
  ["\"multi\nline\"", ["multi\nline"]],
];

const test = suite('shlex');

function outcome(f: () => string[]): string[] | { error: string } {
  try {
    return f();
  } catch (e) {
    if (e instanceof PyValueError) return { error: e.message };
    throw e;
  }
}

for (const [s, extra, expected] of TOKEN_CASES) {
  test(`shlex(${JSON.stringify(s)}) + ${JSON.stringify(extra)}`, () => {
    assert.equal(outcome(() => shlexTokens(s, extra)), expected);
  });
}

test('extra wordchars default to none', () => {
  assert.equal(shlexTokens('a/b'), ['a', '/', 'b']);
});

for (const [s, expected] of SPLIT_CASES) {
  test(`split(${JSON.stringify(s)})`, () => {
    assert.equal(outcome(() => shlexSplit(s)), expected);
  });
}

test('each call starts a fresh lexer', () => {
  assert.throws(() => shlexTokens('"open', ''), (e: unknown) => e instanceof PyValueError);
  assert.equal(shlexTokens('a b', ''), ['a', 'b']);
});

test.run();
