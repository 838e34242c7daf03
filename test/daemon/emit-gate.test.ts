// EmitGate alone: what a held step emits is handled once the step returns, in order, and
// after what the step itself did; outside hold() every event is handled at once.
import * as assert from 'uvu/assert';
import type { Emitted } from '../../machines/emitted.ts';
import { log } from '../../machines/emitted.ts';
import { EmitGate } from '../../src/daemon/emit-gate.ts';
import { suite } from '../harness.ts';

const test = suite('daemon/emit-gate');

const line = (message: string): Emitted => log('INFO', message);
const text = (e: Emitted) => (e.type === 'log' ? e.message : e.type);

function gate(onHandle: (e: Emitted, g: EmitGate) => void = () => {}) {
  const seen: string[] = [];
  const g: EmitGate = new EmitGate((e) => {
    seen.push(text(e));
    onHandle(e, g);
  });
  return { g, seen };
}

test('outside hold(): each event is handled as it is emitted', () => {
  const { g, seen } = gate();
  g.emit(line('a'));
  assert.equal(seen, ['a']);
  g.emit(line('b'));
  assert.equal(seen, ['a', 'b']);
});

test('in hold(): the step runs to its end first (the spawn it starts), then its events in order', () => {
  const { g, seen } = gate();
  g.hold(() => {
    g.emit(line('exited: x'));
    g.emit(line('state'));
    seen.push('spawn submitted');
  });
  assert.equal(seen, ['spawn submitted', 'exited: x', 'state']);
  g.emit(line('after'));
  assert.equal(seen.at(-1), 'after');
});

test('a hold inside a hold runs in the outer one; events handling causes wait behind those held', () => {
  const { g, seen } = gate((e, self) => {
    if (text(e) === 'first') self.emit(line('caused by first'));
  });
  g.hold(() => {
    g.emit(line('first'));
    g.hold(() => g.emit(line('inner')));
    g.emit(line('second'));
    assert.equal(seen, []);
  });
  assert.equal(seen, ['first', 'inner', 'second', 'caused by first']);
});

test('a step that throws still has its events handled, and the gate opens again', () => {
  const { g, seen } = gate();
  assert.throws(() => g.hold(() => {
    g.emit(line('before the throw'));
    throw new Error('boom');
  }), /boom/);
  assert.equal(seen, ['before the throw']);
  g.emit(line('later'));
  assert.equal(seen, ['before the throw', 'later']);
});

test.run();
