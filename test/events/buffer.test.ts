// The pool's buffer (supervisor's event_buffer and its overflow rule) and the RxJS
// operators of the pool's pipeline.
import * as assert from 'uvu/assert';
import { Subject } from 'rxjs';
import { EventBuffer } from '../../src/events/buffer.ts';
import { BusEvent, remoteCommunicationEvent } from '../../src/events/event.ts';
import { acceptedBy, oncePerMicrotask } from '../../src/events/operators.ts';
import { suite } from '../harness.ts';

const B = suite('events/buffer');
const ev = (n: number): BusEvent => remoteCommunicationEvent('t', String(n));
const drain = (b: EventBuffer) => {
  const out: string[] = [];
  for (let e = b.shift(); e; e = b.shift()) out.push(e.payload.slice('type:t\n'.length));
  return out;
};

B('tail and head, across the ring\'s growth and wrap, in supervisor\'s list order', () => {
  const b = new EventBuffer(1000, () => assert.unreachable('no overflow'));
  const model: number[] = [];
  for (let i = 0; i < 100; i++) {
    // a pattern of appends, head inserts and pops, as dispatch and rejections make it
    if (i % 3 === 0) {
      b.add(ev(i), true);
      model.unshift(i);
    } else {
      b.add(ev(i), false);
      model.push(i);
    }
    if (i % 4 === 0) {
      const head = b.peek();
      assert.is(b.shift(), head, 'peek() shows what shift() takes');
      assert.is(head!.payload, `type:t\n${model.shift()}`);
    }
  }
  assert.is(b.length, model.length);
  assert.equal(drain(b), model.map(String));
  assert.is(b.shift(), undefined);
  assert.is(b.peek(), undefined);
});

B('overflow: at buffer_size the oldest is discarded first, whether the new one goes to the tail or the head; 0 keeps one', () => {
  const gone: string[] = [];
  const b = new EventBuffer(3, (e) => gone.push(e.payload.slice('type:t\n'.length)));
  for (let i = 0; i < 5; i++) b.add(ev(i), false);
  b.add(ev(9), true);
  assert.equal(gone, ['0', '1', '2']);
  assert.equal(drain(b), ['9', '3', '4']);
  const zero = new EventBuffer(0, (e) => gone.push(`zero ${e.payload.slice('type:t\n'.length)}`));
  zero.add(ev(1), false);
  zero.add(ev(2), false);
  assert.equal(gone.slice(3), ['zero 1']);
  assert.equal(drain(zero), ['2']);
});

B('acceptedBy: the pool\'s types and their subtypes, once per matching type', () => {
  const bus = new Subject<BusEvent>();
  const got: string[] = [];
  bus.pipe(acceptedBy(['EVENT', 'REMOTE_COMMUNICATION', 'TICK'])).subscribe((e) => got.push(e.type));
  bus.next(remoteCommunicationEvent('t', 'x'));
  bus.next(new BusEvent('TICK_5', 'when:0'));
  bus.next(new BusEvent('PROCESS_GROUP_ADDED', 'groupname:g\n'));
  assert.equal(got, ['REMOTE_COMMUNICATION', 'REMOTE_COMMUNICATION', 'TICK_5', 'TICK_5', 'PROCESS_GROUP_ADDED']);
});

B('oncePerMicrotask: a burst is one value, after the code that made it', async () => {
  const wake = new Subject<number>();
  const got: string[] = [];
  wake.pipe(oncePerMicrotask()).subscribe((v) => got.push(`dispatch ${v}`));
  wake.next(1);
  wake.next(2);
  got.push('burst over');
  await Promise.resolve();
  wake.next(3);
  await Promise.resolve();
  assert.equal(got, ['burst over', 'dispatch 2', 'dispatch 3']);
});

B.run();
