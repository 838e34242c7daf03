// initialContext builds the process context by one named store per field (process-types.ts
// says why): a field added to ProcessContext must be stored there too. The record below
// makes tsc ask for every field, and the test that each is set.
import * as assert from 'uvu/assert';
import { initialContext, type ProcessContext } from '../../machines/process-types.ts';
import { programConfig } from './fake-child.ts';
import { suite } from '../harness.ts';

const test = suite('machines/process-context');

const FIELDS: Record<keyof ProcessContext, true> = {
  config: true, group: true, mood: true, supervised: true, pid: true, laststart: true, laststop: true, started: true,
  exitstatus: true, spawnerr: true, backoff: true, administrativeStop: true, stopPending: true, stopReport: true, outbox: true,
  waiting: true, depFailed: true, wantStart: true, ready: true, startsecsDone: true, readyReason: true, readyFailed: true,
  health: true, healthFailures: true, healthKill: true, crashes: true,
};

test('initialContext stores every field of ProcessContext, none left undefined', () => {
  const c = initialContext({ config: programConfig(), group: 'g' });
  assert.equal(Object.keys(c).sort(), Object.keys(FIELDS).sort());
  assert.equal(Object.entries(c).filter(([, v]) => v === undefined), []);
});

test.run();
