// EmitGate alone: what a held step emits is handled after the step, in order; when the
// step started a spawn, not before the daemon tells anything else (or a short limit);
// outside hold() every event is handled at once.
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

/** An exit step that logs, submits a spawn and enters STARTING, as the process machine's does. */
const exitStep = (g: EmitGate, seen: string[], spawn = true) => g.hold(() => {
  g.emit(line('exited: x'));
  g.emit(line('STARTING'));
  seen.push('spawn submitted');
  if (spawn) g.spawnStarted();
});

test('outside hold(): each event is handled as it is emitted', () => {
  const { g, seen } = gate();
  g.emit(line('a'));
  assert.equal(seen, ['a']);
  g.emit(line('b'));
  assert.equal(seen, ['a', 'b']);
});

test('a held step without a spawn: its events right after it, in order', () => {
  const { g, seen } = gate();
  exitStep(g, seen, false);
  assert.equal(seen, ['spawn submitted', 'exited: x', 'STARTING']);
});

test('a held step that started a spawn: its events wait, and go before the next one told', () => {
  const { g, seen } = gate();
  exitStep(g, seen);
  assert.equal(seen, ['spawn submitted']);
  g.emit(line('spawned: x'));
  assert.equal(seen, ['spawn submitted', 'exited: x', 'STARTING', 'spawned: x']);
});

test('flush() (a main-log line or a bus event on its way) hands them over first', () => {
  const { g, seen } = gate();
  exitStep(g, seen);
  g.flush();
  seen.push('received SIGTERM');
  assert.equal(seen, ['spawn submitted', 'exited: x', 'STARTING', 'received SIGTERM']);
  g.flush();
  assert.equal(seen.length, 4);
});

test('with nothing else to tell, the held events are handled within the limit', async () => {
  const { g, seen } = gate();
  exitStep(g, seen);
  const deadline = Date.now() + 5000;
  while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  assert.equal(seen, ['spawn submitted', 'exited: x', 'STARTING']);
});

test('a second exit step hands over the first one\'s events before it runs', () => {
  const { g, seen } = gate();
  exitStep(g, seen);
  g.hold(() => g.emit(line('exited: y')));
  assert.equal(seen, ['spawn submitted', 'exited: x', 'STARTING', 'exited: y']);
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
