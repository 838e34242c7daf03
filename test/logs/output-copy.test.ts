// The debug-level copies of child output into the main log; expected texts are Python
// 3.11's repr()/decode() results for the same bytes.
import { suite } from '../harness.ts';
import * as assert from 'uvu/assert';
import { formatListenerOutputCopy, formatOutputCopy, pyBytesRepr } from '../../src/logs/output-copy.ts';

const test = suite('output-copy');
const b = (...xs: Array<string | number[]>): Buffer => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x))));

test('pyBytesRepr matches repr(bytes)', () => {
  assert.is(pyBytesRepr(b('')), "b''");
  assert.is(pyBytesRepr(b("it's")), `b"it's"`);
  assert.is(pyBytesRepr(b('say "hi"')), `b'say "hi"'`);
  assert.is(pyBytesRepr(b(`both ' and "`)), `b'both \\' and "'`);
  assert.is(pyBytesRepr(b([0, 0x7f, 0xff, 9, 10, 13, 0x5c, 0x5c])), "b'\\x00\\x7f\\xff\\t\\n\\r\\\\\\\\'");
  const every7 = Array.from({ length: 37 }, (_, i) => i * 7);
  assert.is(
    pyBytesRepr(Buffer.from(every7)),
    "b'\\x00\\x07\\x0e\\x15\\x1c#*18?FMT[bipw~\\x85\\x8c\\x93\\x9a\\xa1\\xa8\\xaf\\xb6\\xbd\\xc4\\xcb\\xd2\\xd9\\xe0\\xe7\\xee\\xf5\\xfc'",
  );
});

test("a program's chunk: %r of the name, strict UTF-8 or 'Undecodable: %r'", () => {
  assert.is(formatOutputCopy('web', 'stdout', Buffer.from('héllo\n')), "'web' stdout output:\nhéllo\n");
  assert.is(formatOutputCopy("it's", 'stderr', b('x')), `"it's" stderr output:\nx`);
  assert.is(formatOutputCopy('web', 'stdout', b([0x63, 0x61, 0x66, 0xc3])), "'web' stdout output:\nUndecodable: b'caf\\xc3'");
  assert.is(formatOutputCopy('web', 'stdout', b([0xed, 0xa0, 0x80])), "'web' stdout output:\nUndecodable: b'\\xed\\xa0\\x80'");
  assert.is(formatOutputCopy('web', 'stdout', b([0xef, 0xbb, 0xbf], 'bom')), "'web' stdout output:\n\ufeffbom");
});

test("an event listener's stdout chunk is shown as bytes repr", () => {
  assert.is(formatListenerOutputCopy('listener', 'stdout', b('READY\n')), "'listener' stdout output:\nb'READY\\n'");
});

test.run();
