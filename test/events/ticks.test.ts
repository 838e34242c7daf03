// TICK_* on wall-clock slices, as supervisord.tick(): the first slice is recorded, not sent.
import * as assert from 'uvu/assert';
import type { BusEvent } from '../../src/events/event.ts';
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

T('timeslice', () => {
  assert.is(timeslice(5, 1795772537.9), 1795772535);
  assert.is(timeslice(3600, 7199.99), 3600);
});

T.run();
