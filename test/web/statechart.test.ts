// chartOf reads a machine's definition as the page draws it: states, every transition
// with its event, named delay or guard, and the ones declared on the machine itself.
import * as assert from 'uvu/assert';
import { createMachine } from 'xstate';
import { suite } from '../harness.ts';
import { groupMachine } from '../../machines/group.ts';
import { processMachine } from '../../machines/process.ts';
import { chartOf, stateIdOf } from '../../src/web/statechart.ts';
import type { Chart } from '../../src/web/types.ts';

const test = suite('web: statecharts from machine definitions');

const edge = (c: Chart, source: string, target: string | null, event: string) =>
  c.edges.filter((e) => e.source === source && e.target === target && e.event === event);

test('the process machine: supervisor\'s states, its events, named delays and guards', () => {
  const c = chartOf(processMachine);
  assert.is(c.machine, 'process');
  assert.is(c.initial, 'STOPPED');
  assert.equal(c.states.map((s) => s.id), ['STOPPED', 'STARTING', 'RUNNING', 'BACKOFF', 'STOPPING', 'EXITED', 'FATAL', 'UNKNOWN']);
  assert.equal(c.states.find((s) => s.id === 'STARTING')!.entry, ['spawn', 'scheduleReadyTimeout'], 'XState\'s own timer actions are left out');
  assert.equal(edge(c, 'STARTING', 'RUNNING', 'STARTSECS').map((e) => [e.kind, e.guard]), [['on', 'ready']]);
  assert.equal(edge(c, 'STOPPING', 'STOPPING', 'stopwaitsecs').map((e) => e.kind), ['after']);
  assert.equal(edge(c, 'STARTING', 'RUNNING', 'SPAWNED').map((e) => e.guard), ['upOnSpawn']);
  assert.equal(edge(c, 'BACKOFF', 'FATAL', '').map((e) => [e.kind, e.guard]), [['always', 'retriesExhausted']]);
  assert.equal(edge(c, 'STOPPING', 'STOPPING', 'stopwaitsecs').map((e) => e.reenter), [true]);
  assert.equal(edge(c, 'RUNNING', null, 'SIGNAL').length, 1, 'handled in place');
  assert.equal(edge(c, '', null, 'MOOD').length, 1, 'declared on the machine: any state');
});

test('the group machine: combined guards and machine-level targets', () => {
  const c = chartOf(groupMachine);
  assert.equal(edge(c, 'running', 'givingUp', 'relay').map((e) => e.guard), ['restartDue && intensityExceeded']);
  assert.equal(edge(c, '', 'stoppingAll', 'STOP_ALL').length, 1);
});

test('nested and parallel states by dotted path', () => {
  const m = createMachine({ id: 'm', type: 'parallel', states: { a: { initial: 'x', states: { x: { on: { GO: 'y' } }, y: { type: 'final' } } }, b: {} } });
  const c = chartOf(m);
  assert.equal(c.states.map((s) => [s.id, s.parent, s.final]), [['a', null, false], ['a.x', 'a', false], ['a.y', 'a', true], ['b', null, false]]);
  assert.equal(edge(c, 'a.x', 'a.y', 'GO').length, 1);
  assert.is(stateIdOf({ a: 'x', b: {} }), 'a.x,b');
  assert.is(stateIdOf('RUNNING'), 'RUNNING');
});

test.run();
