// Expected values come from CPython 3.11.2: `template % MAPPING`, and supervisor 4.2.5's
// own supervisor.options.expand() for the expand cases.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { ConfigValueError } from '../../src/config/errors.ts';
import { expand, pyFormat, PyFormatError, type PyFormatMapping } from '../../src/config/pyformat.ts';

const MAPPING: PyFormatMapping = {"a": "xy", "b": "B", "n": 42, "z": 0, "m": -255, "c": "Z", "big": 1114112, "neg": -1, "u": "h\u00e9\ud83d\ude00\u007f", "": "EMPTY", "a(b)": "NEST2", "p": "%(a)s", "q": "it's", "v": 125, "w": 1152921504606846976, "e": "\ud83d\ude00", "k": 99950};
const CASES: [string, string | { kind: string; detail: string }][] = [
  ["", ""],
  ["plain", "plain"],
  ["100%%", "100%"],
  ["%%(a)s", "%(a)s"],
  ["%(a)s", "xy"],
  ["%(a)s%(b)s", "xyB"],
  ["%(a)s-%(n)s", "xy-42"],
  ["%(p)s", "%(a)s"],
  ["%(q)s", "it's"],
  ["%(q)r", "\"it's\""],
  ["%()s", "EMPTY"],
  ["%(a(b))s", "NEST2"],
  ["%(a)s)", "xy)"],
  ["%(n)s", "42"],
  ["%(n)r", "42"],
  ["%(n)a", "42"],
  ["%(a)r", "'xy'"],
  ["%(a)a", "'xy'"],
  ["%(u)s", "h\u00e9\ud83d\ude00\u007f"],
  ["%(u)r", "'h\u00e9\ud83d\ude00\\x7f'"],
  ["%(u)a", "'h\\xe9\\U0001f600\\x7f'"],
  ["%(n)d", "42"],
  ["%(n)i", "42"],
  ["%(n)u", "42"],
  ["%(n)02d", "42"],
  ["%(n)05d", "00042"],
  ["%(z)02d", "00"],
  ["%(m)05d", "-0255"],
  ["%(n)-5d|", "42   |"],
  ["%(n)-05d|", "42   |"],
  ["%(n)0-5d|", "42   |"],
  ["%(n) d", " 42"],
  ["%(n)+d", "+42"],
  ["%(m) d", "-255"],
  ["%(m)+5d", " -255"],
  ["%(n)+05d", "+0042"],
  ["%(n) 5d", "   42"],
  ["%(n).4d", "0042"],
  ["%(m).4d", "-0255"],
  ["%(n)8.4d|", "    0042|"],
  ["%(n)hd", "42"],
  ["%(n)ld", "42"],
  ["%(n)Ld", "42"],
  ["%(w)d", "1152921504606846976"],
  ["%(n)#d", "42"],
  ["%(a)5s", "   xy"],
  ["%(a)-5s|", "xy   |"],
  ["%(a)05s", "   xy"],
  ["%(a).1s", "x"],
  ["%(a)5.1s", "    x"],
  ["%(n)5s", "   42"],
  ["%(n).1s", "4"],
  ["%(n)+s", "42"],
  ["%(a)+s", "xy"],
  ["%(e)3s", "  \ud83d\ude00"],
  ["%(u).2s", "h\u00e9"],
  ["%(e).0s|", "|"],
  ["%(n)#s", "42"],
  ["%(a)10r", "      'xy'"],
  ["%(q).3r", "\"it"],
  ["%(n)x", "2a"],
  ["%(n)X", "2A"],
  ["%(n)o", "52"],
  ["%(n)#x", "0x2a"],
  ["%(n)#X", "0X2A"],
  ["%(n)#o", "0o52"],
  ["%(n)#08o", "0o000052"],
  ["%(n)#08x", "0x00002a"],
  ["%(n)#-8x|", "0x2a    |"],
  ["%(n)-08x|", "2a      |"],
  ["%(n)08.3x", "0000002a"],
  ["%(n)#8x", "    0x2a"],
  ["%(m)x", "-ff"],
  ["%(m)#x", "-0xff"],
  ["%(m)#08x", "-0x000ff"],
  ["%(m)#o", "-0o377"],
  ["%(w)x", "1000000000000000"],
  ["%(n)+x", "+2a"],
  ["%(n) o", " 52"],
  ["%(n)e", "4.200000e+01"],
  ["%(n)E", "4.200000E+01"],
  ["%(n).1e", "4.2e+01"],
  ["%(n).0e", "4e+01"],
  ["%(n)#.0e", "4.e+01"],
  ["%(v).1e", "1.2e+02"],
  ["%(m)e", "-2.550000e+02"],
  ["%(n)+e", "+4.200000e+01"],
  ["%(n)012.3e", "0004.200e+01"],
  ["%(n)f", "42.000000"],
  ["%(n)F", "42.000000"],
  ["%(n).0f", "42"],
  ["%(n)#.0f", "42."],
  ["%(m)10.2f", "   -255.00"],
  ["%(w)f", "1152921504606846976.000000"],
  ["%(n)g", "42"],
  ["%(n)G", "42"],
  ["%(n)#g", "42.0000"],
  ["%(n)#.2g", "42."],
  ["%(n)#.1g", "4.e+01"],
  ["%(k).3g", "1e+05"],
  ["%(k)g", "99950"],
  ["%(w)g", "1.15292e+18"],
  ["%(w)G", "1.15292E+18"],
  ["%(z)g", "0"],
  ["%(z)#g", "0.00000"],
  ["%(v).2g", "1.2e+02"],
  ["%(n)c", "*"],
  ["%(c)c", "Z"],
  ["%(e)c", "\ud83d\ude00"],
  ["%(n)5c", "    *"],
  ["%(n)-3c|", "*  |"],
  ["%(c).0c", "Z"],
  ["%s", "{'a': 'xy', 'b': 'B', 'n': 42, 'z': 0, 'm': -255, 'c': 'Z', 'big': 1114112, 'neg': -1, 'u': 'h\u00e9\ud83d\ude00\\x7f', '': 'EMPTY', 'a(b)': 'NEST2', 'p': '%(a)s', 'q': \"it's\", 'v': 125, 'w': 1152921504606846976, 'e': '\ud83d\ude00', 'k': 99950}"],
  ["%r", "{'a': 'xy', 'b': 'B', 'n': 42, 'z': 0, 'm': -255, 'c': 'Z', 'big': 1114112, 'neg': -1, 'u': 'h\u00e9\ud83d\ude00\\x7f', '': 'EMPTY', 'a(b)': 'NEST2', 'p': '%(a)s', 'q': \"it's\", 'v': 125, 'w': 1152921504606846976, 'e': '\ud83d\ude00', 'k': 99950}"],
  ["%a", "{'a': 'xy', 'b': 'B', 'n': 42, 'z': 0, 'm': -255, 'c': 'Z', 'big': 1114112, 'neg': -1, 'u': 'h\\xe9\\U0001f600\\x7f', '': 'EMPTY', 'a(b)': 'NEST2', 'p': '%(a)s', 'q': \"it's\", 'v': 125, 'w': 1152921504606846976, 'e': '\\U0001f600', 'k': 99950}"],
  ["%(a)s %s", {"kind": "TypeError", "detail": "not enough arguments for format string"}],
  ["%s %(a)s", "{'a': 'xy', 'b': 'B', 'n': 42, 'z': 0, 'm': -255, 'c': 'Z', 'big': 1114112, 'neg': -1, 'u': 'h\u00e9\ud83d\ude00\\x7f', '': 'EMPTY', 'a(b)': 'NEST2', 'p': '%(a)s', 'q': \"it's\", 'v': 125, 'w': 1152921504606846976, 'e': '\ud83d\ude00', 'k': 99950} xy"],
  ["%", {"kind": "ValueError", "detail": "incomplete format"}],
  ["a%", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(a)s%", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(a", {"kind": "ValueError", "detail": "incomplete format key"}],
  ["%(", {"kind": "ValueError", "detail": "incomplete format key"}],
  ["%(a(b)s", {"kind": "ValueError", "detail": "incomplete format key"}],
  ["%((a)s", {"kind": "ValueError", "detail": "incomplete format key"}],
  ["%(a)", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(a)5", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(n)l", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(n).", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(n).5", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(n)#", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(n)*", {"kind": "ValueError", "detail": "incomplete format"}],
  ["%(missing)s", {"kind": "KeyError", "detail": "'missing'"}],
  ["%(missing)z", {"kind": "KeyError", "detail": "'missing'"}],
  ["x%(A)s", {"kind": "KeyError", "detail": "'A'"}],
  ["%(a )s", {"kind": "KeyError", "detail": "'a '"}],
  ["%z", {"kind": "ValueError", "detail": "unsupported format character 'z' (0x7a) at index 1"}],
  ["%(a)z", {"kind": "ValueError", "detail": "unsupported format character 'z' (0x7a) at index 4"}],
  ["%(a)%", {"kind": "ValueError", "detail": "unsupported format character '%' (0x25) at index 4"}],
  ["%(n)5%", {"kind": "ValueError", "detail": "unsupported format character '%' (0x25) at index 5"}],
  ["%(a)\u00e9", {"kind": "ValueError", "detail": "unsupported format character '?' (0xe9) at index 4"}],
  ["%(a)\u0001", {"kind": "ValueError", "detail": "unsupported format character '?' (0x1) at index 4"}],
  ["%(a)\u001f", {"kind": "ValueError", "detail": "unsupported format character '\u001f' (0x1f) at index 4"}],
  ["%(a)\u007f", {"kind": "ValueError", "detail": "unsupported format character '?' (0x7f) at index 4"}],
  ["%(a)~", {"kind": "ValueError", "detail": "unsupported format character '~' (0x7e) at index 4"}],
  ["%(a)\ud83d\ude00", {"kind": "ValueError", "detail": "unsupported format character '?' (0x1f600) at index 4"}],
  ["%(n) y", {"kind": "ValueError", "detail": "unsupported format character 'y' (0x79) at index 5"}],
  ["x%(a)s%y", {"kind": "TypeError", "detail": "not enough arguments for format string"}],
  ["%d", {"kind": "TypeError", "detail": "%d format: a real number is required, not dict"}],
  ["%x", {"kind": "TypeError", "detail": "%x format: an integer is required, not dict"}],
  ["%e", {"kind": "TypeError", "detail": "must be real number, not dict"}],
  ["%c", {"kind": "TypeError", "detail": "%c requires int or char"}],
  ["% d", {"kind": "TypeError", "detail": "%d format: a real number is required, not dict"}],
  ["%(a)d", {"kind": "TypeError", "detail": "%d format: a real number is required, not str"}],
  ["%(a)i", {"kind": "TypeError", "detail": "%i format: a real number is required, not str"}],
  ["%(a)u", {"kind": "TypeError", "detail": "%u format: a real number is required, not str"}],
  ["%(a)x", {"kind": "TypeError", "detail": "%x format: an integer is required, not str"}],
  ["%(a)X", {"kind": "TypeError", "detail": "%X format: an integer is required, not str"}],
  ["%(a)o", {"kind": "TypeError", "detail": "%o format: an integer is required, not str"}],
  ["%(a)e", {"kind": "TypeError", "detail": "must be real number, not str"}],
  ["%(a)f", {"kind": "TypeError", "detail": "must be real number, not str"}],
  ["%(a)g", {"kind": "TypeError", "detail": "must be real number, not str"}],
  ["%(a)E", {"kind": "TypeError", "detail": "must be real number, not str"}],
  ["%(a)c", {"kind": "TypeError", "detail": "%c requires int or char"}],
  ["%(u)c", {"kind": "TypeError", "detail": "%c requires int or char"}],
  ["%(big)c", {"kind": "OverflowError", "detail": "%c arg not in range(0x110000)"}],
  ["%(neg)c", {"kind": "OverflowError", "detail": "%c arg not in range(0x110000)"}],
  ["%*s", {"kind": "TypeError", "detail": "* wants int"}],
  ["%(a)*d", {"kind": "TypeError", "detail": "* wants int"}],
  ["%(n)*d", {"kind": "TypeError", "detail": "not enough arguments for format string"}],
  ["%(n).*d", {"kind": "TypeError", "detail": "not enough arguments for format string"}],
  ["%(a).*d", {"kind": "TypeError", "detail": "* wants int"}],
  ["%(w)*d", {"kind": "TypeError", "detail": "not enough arguments for format string"}],
  ["%(n)99999999999999999999d", {"kind": "ValueError", "detail": "width too big"}],
  ["%(n)9223372036854775808d", {"kind": "ValueError", "detail": "width too big"}],
  ["%(n).99999999999999999999d", {"kind": "ValueError", "detail": "precision too big"}],
  ["%(n).3000000000d", {"kind": "ValueError", "detail": "precision too big"}],
  ["%(n).2147483645d", {"kind": "OverflowError", "detail": "precision too large"}],
  ["%(process_num)02d", {"kind": "KeyError", "detail": "'process_num'"}],
  ["%(a)s\n%(b)s", "xy\nB"],
];
const EXPANSIONS: PyFormatMapping = {"group_name": "web", "program_name": "web", "process_num": 3, "numprocs": 4, "here": "/etc/supervisor", "host_node_name": "box", "ENV_HOME": "/root", "ENV_A": "it's"};
const EXPAND_CASES: [string, string, string | { error: string }][] = [
  ["%(program_name)s_%(process_num)02d", "process_name", "web_03"],
  ["/var/log/%(group_name)s.log", "stdout_logfile", "/var/log/web.log"],
  ["%(here)s/../x", "directory", "/etc/supervisor/../x"],
  ["%(ENV_HOME)s", "command", "/root"],
  ["%(ENV_A)s", "environment", "it's"],
  ["%(nope)s", "command", {"error": "Format string '%(nope)s' for 'command' contains names ('nope') which cannot be expanded. Available names: ENV_A, ENV_HOME, group_name, here, host_node_name, numprocs, process_num, program_name"}],
  ["%(ENV_PATH)s:%(nope)s", "command", {"error": "Format string '%(ENV_PATH)s:%(nope)s' for 'command' contains names ('ENV_PATH') which cannot be expanded. Available names: ENV_A, ENV_HOME, group_name, here, host_node_name, numprocs, process_num, program_name"}],
  ["it's %(nope)s", "command", {"error": "Format string \"it's %(nope)s\" for 'command' contains names ('nope') which cannot be expanded. Available names: ENV_A, ENV_HOME, group_name, here, host_node_name, numprocs, process_num, program_name"}],
  ["50%", "command", {"error": "Format string '50%' for 'command' is badly formatted: incomplete format"}],
  ["%(process_num)d%", "process_name", {"error": "Format string '%(process_num)d%' for 'process_name' is badly formatted: incomplete format"}],
  ["%(program_name)d", "process_name", {"error": "Format string '%(program_name)d' for 'process_name' is badly formatted: %d format: a real number is required, not str"}],
  ["%(here", "directory", {"error": "Format string '%(here' for 'directory' is badly formatted: incomplete format key"}],
  ["%(process_num)z", "process_name", {"error": "Format string '%(process_num)z' for 'process_name' is badly formatted: unsupported format character 'z' (0x7a) at index 14"}],
  ["%(numprocs)c", "x", "\u0004"],
  ["%(host_node_name)s %s", "y", {"error": "Format string '%(host_node_name)s %s' for 'y' is badly formatted: not enough arguments for format string"}],
  ["%(process_num)*d", "z", {"error": "Format string '%(process_num)*d' for 'z' is badly formatted: not enough arguments for format string"}],
  ["no expansions", "n\u00e9", "no expansions"],
];
const ODD_KEYS_MESSAGE = "Format string '%(x)s' for 'n' contains names ('x') which cannot be expanded. Available names: B, _, b, \ue000, \ud83d\ude00";
const ODD_KEYS: PyFormatMapping = {"\ue000": 1, "\ud83d\ude00": 2, "b": 3, "B": 4, "_": 5};

const test = suite('pyformat');

function outcome(f: () => string): string | { kind: string; detail: string } {
  try {
    return f();
  } catch (e) {
    if (e instanceof PyFormatError) return { kind: e.kind, detail: e.detail };
    throw e;
  }
}

for (const [template, expected] of CASES) {
  test(`${JSON.stringify(template)} % mapping`, () => {
    assert.equal(outcome(() => pyFormat(template, MAPPING)), expected);
  });
}

test('a value holding % is not expanded again', () => {
  assert.is(pyFormat('%(p)s and %(q)s', { p: '%(q)s', q: '%%' }), '%(q)s and %%');
});

test('PyFormatError is an Error whose message names the Python exception', () => {
  const e = (() => {
    try {
      pyFormat('%(x)s', {});
    } catch (err) {
      return err;
    }
  })();
  assert.instance(e, PyFormatError);
  assert.instance(e, Error);
  assert.is((e as PyFormatError).message, "KeyError: 'x'");
});

test('a non-integer number is a programming error, not a Python error', () => {
  assert.throws(() => pyFormat('%(x)d', { x: 1.5 }), (e: unknown) => e instanceof RangeError);
});

for (const [s, name, expected] of EXPAND_CASES) {
  test(`expand(${JSON.stringify(s)}, ${JSON.stringify(name)})`, () => {
    try {
      const got = expand(s, EXPANSIONS, name);
      assert.equal(got, expected);
    } catch (e) {
      if (!(e instanceof ConfigValueError)) throw e;
      assert.equal({ error: e.message }, expected);
      assert.is(e.name, 'ConfigValueError');
    }
  });
}

test('expand lists available names in code point order', () => {
  assert.throws(() => expand('%(x)s', ODD_KEYS, 'n'), (e: unknown) => e instanceof ConfigValueError && e.message === ODD_KEYS_MESSAGE);
});

test.run();
