// StopReports alone, on timers the test drives: the waited stops of one turn share one
// timer, which tells each process still waited for to report every STOP_REPORT_MS and
// ends with the last wait; a later turn's stops get their own.
import * as assert from 'uvu/assert';
import type { AnyActorRef } from 'xstate';
import { STOP_REPORT_MS, StopReports, type ReportTimers } from '../../src/daemon/stop-reports.ts';
import { suite } from '../harness.ts';

const test = suite('daemon/stop-reports');

/** Timers that fire when the test says: `tick()` runs every live interval once, `endTurn()` the immediates. */
function fakeTimers() {
  const intervals = new Map<number, () => void>();
  let immediates: (() => void)[] = [];
  let next = 0;
  const periods: number[] = [];
  const timers: ReportTimers = {
    setInterval: (fn, ms) => { periods.push(ms); intervals.set(++next, fn); return next; },
    clearInterval: (handle) => void intervals.delete(handle as number),
    setImmediate: (fn) => void immediates.push(fn),
  };
  return {
    timers, periods,
    live: () => intervals.size,
    tick: () => { for (const fn of [...intervals.values()]) fn(); },
    endTurn: () => { const now = immediates; immediates = []; for (const fn of now) fn(); },
  };
}

/** A stand-in actor that counts the commands it gets. */
function actor(): { ref: AnyActorRef; reports: () => number } {
  const got: string[] = [];
  const ref = { send: (e: { type: string }) => void got.push(e.type) } as unknown as AnyActorRef;
  return { ref, reports: () => got.filter((t) => t === 'STOP_REPORT').length };
}

test('the stops of one turn share one timer; each still waited for reports on every tick', () => {
  const t = fakeTimers();
  const r = new StopReports(t.timers);
  const [a, b, c] = [actor(), actor(), actor()];
  const doneA = r.watch(a.ref);
  r.watch(b.ref);
  const doneC = r.watch(c.ref);
  t.endTurn();
  assert.is(t.live(), 1);
  assert.equal(t.periods, [STOP_REPORT_MS]);
  t.tick();
  doneA();
  t.tick();
  assert.equal([a.reports(), b.reports(), c.reports()], [1, 2, 2]);
  doneC();
  assert.is(t.live(), 1, 'b is still waited for');
});

test('the timer ends with the last wait, in the turn or after it', () => {
  const t = fakeTimers();
  const r = new StopReports(t.timers);
  const a = actor();
  r.watch(a.ref)();
  assert.is(t.live(), 1, 'the turn may still add stops to the batch');
  t.endTurn();
  assert.is(t.live(), 0);
  const done = r.watch(actor().ref);
  t.endTurn();
  assert.is(t.live(), 1);
  done();
  assert.is(t.live(), 0);
});

test('a stop in a later turn gets a timer of its own', () => {
  const t = fakeTimers();
  const r = new StopReports(t.timers);
  const [a, b] = [actor(), actor()];
  r.watch(a.ref);
  t.endTurn();
  t.tick();
  r.watch(b.ref);
  t.endTurn();
  assert.is(t.live(), 2);
  t.tick();
  assert.equal([a.reports(), b.reports()], [2, 1]);
});

test.run();
