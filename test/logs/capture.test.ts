// Capture mode's splitter against record_output's rules (reference §3.6), fed chunk by chunk.
import * as assert from 'uvu/assert';
import { BoundBuffer, CaptureSplitter, findPrefixAtEnd } from '../../src/logs/capture.ts';
import { suite } from '../harness.ts';

function split(chunks: string[]): string[] {
  const out: string[] = [];
  let captured: string[] = [];
  const s = new CaptureSplitter({
    log: (data, inside) => (inside ? captured.push(data.toString()) : out.push(`log ${data}`)),
    ended: () => {
      out.push(`event ${captured.join('')}`);
      captured = [];
    },
  });
  for (const c of chunks) s.push(Buffer.from(c));
  return out;
}

const C = suite('logs/capture');

C('a whole exchange in one read; text after END waits for more than a token\'s length', () => {
  assert.equal(split(['before <!--XSUPERVISOR:BEGIN-->inside<!--XSUPERVISOR:END-->after']), ['log before ', 'event inside']);
});

C('tokens split across reads', () => {
  assert.equal(split(['hello there, a long line\n<!--XSUP', 'ERVISOR:BEGIN-->cap', 'tured data<!--XSUPERV', 'ISOR:END-->', 'and then a long enough line\n']), [
    'log hello there, a long line\n', 'event captured data', 'log and then a long enough line\n',
  ]);
});

C('no more than a token\'s length buffered: held back', () => {
  assert.equal(split(['short\n']), []);
  assert.equal(split(['short\n', 'and now long enough to be logged\n']), ['log short\nand now long enough to be logged\n']);
});

C('BoundIO: a write past maxbytes drops as many old bytes as it adds', () => {
  const b = new BoundBuffer(5);
  b.write(Buffer.from('abcd'));
  b.write(Buffer.from('ef'));
  assert.is(b.take().toString(), 'cdef');
  assert.is(b.take().length, 0);
});

C('find_prefix_at_end', () => {
  assert.is(findPrefixAtEnd(Buffer.from('xx<!--X'), Buffer.from('<!--XSUPERVISOR:END-->')), 5);
  assert.is(findPrefixAtEnd(Buffer.from('xx'), Buffer.from('<!--X')), 0);
  assert.is(findPrefixAtEnd(Buffer.from('<'), Buffer.from('<!--X')), 1);
});

C.run();
