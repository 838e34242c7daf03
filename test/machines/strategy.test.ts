// Supervision strategies and restart intensity as pure functions, without XState.
import * as assert from 'uvu/assert';
import type { ProcessStateName } from '../../src/states.ts';
import {
  addRestart, allStopped, DEFAULT_SUPERVISION, intensityReason, mergePlans, needsGroupRestart, planRestart, priorityOrder, victims,
} from '../../machines/strategy.ts';
import { suite } from '../harness.ts';

const ORDER = ['a', 'b', 'c', 'd'];
const ALL_RUNNING: Record<string, ProcessStateName> = { a: 'RUNNING', b: 'EXITED', c: 'RUNNING', d: 'RUNNING' };

const S = suite('strategy');

S('victims one_for_one: the dead member alone', () => {
  assert.equal(victims('one_for_one', ORDER, 'b'), ['b']);
});

S('victims one_for_all: every member, in priority order', () => {
  assert.equal(victims('one_for_all', ORDER, 'c'), ['a', 'b', 'c', 'd']);
});

S('victims rest_for_one: the dead member and those after it', () => {
  assert.equal(victims('rest_for_one', ORDER, 'b'), ['b', 'c', 'd']);
});

S('victims rest_for_one: the first member takes all, the last only itself', () => {
  assert.equal(victims('rest_for_one', ORDER, 'a'), ORDER);
  assert.equal(victims('rest_for_one', ORDER, 'd'), ['d']);
});

S('victims of a name not in the group: none', () => {
  assert.equal(victims('one_for_all', ORDER, 'zz'), []);
});

S('planRestart one_for_all: stop the others highest priority first, start all lowest first', () => {
  assert.equal(planRestart('one_for_all', ORDER, ALL_RUNNING, 'b'), { stop: ['d', 'c', 'a'], start: ['a', 'b', 'c', 'd'] });
});

S('planRestart rest_for_one: only the members after the dead one', () => {
  assert.equal(planRestart('rest_for_one', ORDER, ALL_RUNNING, 'b'), { stop: ['d', 'c'], start: ['b', 'c', 'd'] });
});

S('planRestart one_for_one: nothing to stop, the dead one to start', () => {
  assert.equal(planRestart('one_for_one', ORDER, ALL_RUNNING, 'b'), { stop: [], start: ['b'] });
});

S('planRestart leaves alone members that are not up (stopped by hand, FATAL)', () => {
  const states: Record<string, ProcessStateName> = { a: 'STOPPED', b: 'EXITED', c: 'FATAL', d: 'BACKOFF' };
  assert.equal(planRestart('one_for_all', ORDER, states, 'b'), { stop: ['d'], start: ['b', 'd'] });
});

S('mergePlans keeps priority order and drops duplicates', () => {
  const merged = mergePlans(ORDER, { stop: ['d'], start: ['c', 'd'] }, { stop: ['b'], start: ['a', 'b', 'd'] });
  assert.equal(merged, { stop: ['d', 'b'], start: ['a', 'b', 'c', 'd'] });
});

S('addRestart without max_restarts never gives up (supervisor behaviour)', () => {
  let restarts: number[] = [];
  for (let t = 0; t < 100; t++) {
    const r = addRestart(5, t, restarts, null);
    assert.not.ok(r.exceeded);
    restarts = r.restarts;
  }
});

S('addRestart: max_restarts=3 allows 3 within the window, the 4th exceeds', () => {
  let restarts: number[] = [];
  for (const t of [0, 1000, 2000]) {
    const r = addRestart(10, t, restarts, 3);
    assert.not.ok(r.exceeded, `restart at ${t}`);
    restarts = r.restarts;
  }
  assert.ok(addRestart(10, 3000, restarts, 3).exceeded);
});

S('addRestart: a restart exactly restart_window old still counts (OTP: R >= Now - Period)', () => {
  assert.ok(addRestart(5, 5000, [0], 1).exceeded);
  assert.not.ok(addRestart(5, 5001, [0], 1).exceeded);
});

S('addRestart: restarts older than the window slide out', () => {
  const r = addRestart(5, 20_000, [1000, 14_000, 16_000], 5);
  assert.equal(r.restarts, [16_000, 20_000]);
});

S('addRestart: max_restarts=0 gives up on the first restart', () => {
  assert.ok(addRestart(5, 0, [], 0).exceeded);
});

S('priorityOrder: ascending priority, config order kept among equals', () => {
  const ordered = priorityOrder([{ name: 'z', priority: 2 }, { name: 'b', priority: 1 }, { name: 'a', priority: 2 }, { name: 'c', priority: 1 }]);
  assert.equal(ordered.map((m) => m.name), ['b', 'c', 'z', 'a']);
});

S('needsGroupRestart: only when the strategy or an intensity limit asks for it', () => {
  assert.not.ok(needsGroupRestart(DEFAULT_SUPERVISION));
  assert.ok(needsGroupRestart({ ...DEFAULT_SUPERVISION, strategy: 'rest_for_one' }));
  assert.ok(needsGroupRestart({ ...DEFAULT_SUPERVISION, max_restarts: 3 }));
});

S('allStopped uses supervisor STOPPED_STATES (UNKNOWN counts as stopped)', () => {
  assert.ok(allStopped(['a', 'b', 'c', 'd'], { a: 'STOPPED', b: 'EXITED', c: 'FATAL', d: 'UNKNOWN' }));
  assert.not.ok(allStopped(['a', 'b'], { a: 'STOPPED', b: 'STOPPING' }));
  assert.not.ok(allStopped(['a'], { a: 'BACKOFF' }));
});

S('intensityReason names the group and both settings', () => {
  assert.is(intensityReason('web', { strategy: 'one_for_all', max_restarts: 3, restart_window: 60 }),
    'group web exceeded max_restarts=3 within restart_window=60 seconds');
});

S.run();
