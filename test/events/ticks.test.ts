// TICK_* on wall-clock slices, as supervisord.tick(): the first slice is recorded, not sent.
import * as assert from 'uvu/assert';
import type { BusEvent } from '../../src/events/event.ts';
import { VirtualTimeScheduler } from 'rxjs';
import { TickSource, timeslice } from '../../src/events/ticks.ts';
import { suite } from '../harness.ts';

const T = suite('events/ticks');

T('one event per period whose slice changed, carrying the new slice start', () => {
  let now = 3599_000;
  const got: BusEvent[] = [];
  const ticks = new TickSource((e) => got.push(e), () => now);
  ticks.start();
  ticks.stop();
  ticks.tick();
  assert.equal(got, []);
  now = 3600_400;
  ticks.tick();
  assert.equal(got.map((e) => `${e.type} ${e.payload}`), ['TICK_5 when:3600', 'TICK_60 when:3600', 'TICK_3600 when:3600']);
  now = 3604_999;
  ticks.tick();
  assert.is(got.length, 3);
  now = 3605_000;
  ticks.tick();
  assert.equal(got.slice(3).map((e) => e.payload), ['when:3605']);
});

T('a restart (stop, start) keeps the slices: a boundary passed meanwhile is told at the start', () => {
  let now = 4_000;
  const got: BusEvent[] = [];
  const ticks = new TickSource((e) => got.push(e), () => now);
  ticks.start();
  ticks.stop();
  now = 12_000;
  ticks.start();
  ticks.stop();
  assert.equal(got.map((e) => `${e.type} ${e.payload}`), ['TICK_5 when:10']);
});

T('on the scheduler\'s clock: one wake-up just past each 5-second boundary, no slice skipped or told twice over a day', () => {
  const scheduler = new VirtualTimeScheduler(undefined, Infinity);
  const start = 1_795_772_537_900; // ms, 2.1 s before a 5-second boundary
  const now = () => start + scheduler.now();
  const got: BusEvent[] = [];
  const ticks = new TickSource((e) => got.push(e), now, scheduler);
  ticks.start();
  scheduler.schedule(() => ticks.stop(), 86_400_000);
  scheduler.flush();
  const of = (type: string) => got.filter((e) => e.type === type).map((e) => Number(e.payload.slice('when:'.length)));
  const fives = of('TICK_5');
  assert.is(fives.length, 86_400 / 5);
  assert.is(fives[0], timeslice(5, start / 1000) + 5);
  assert.ok(fives.every((w, i) => i === 0 || w - fives[i - 1] === 5), 'every slice once, in order');
  assert.is(of('TICK_60').length, 86_400 / 60);
  assert.is(of('TICK_3600').length, 24);
  assert.equal(got.slice(0, 1).map((e) => e.type), ['TICK_5']);
});

T('timeslice', () => {
  assert.is(timeslice(5, 1795772537.9), 1795772535);
  assert.is(timeslice(3600, 7199.99), 3600);
});

T.run();
