// The daemon's last line of defence (src/daemon/last-resort.ts), in a real Node process:
// an exception thrown from a timer, a rejected promise nobody awaits and an error of an
// XState actor without an error observer (which XState rethrows from a timer) are each
// logged at CRIT with their stack, and the process carries on; without it, the first one
// ends the process, as Node does.
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { ROOT } from './helpers.ts';

const SCRIPT = `
import { createActor, setup } from 'xstate';
import { LastResort } from './src/daemon/last-resort.ts';
const lastResort = new LastResort();
if (process.argv.includes('--guard')) lastResort.use({ critical: (m) => console.log('CRIT ' + m.split('\\n').slice(0, 2).join(' | ')) });
setTimeout(() => { throw new Error('from a timer'); }, 0);
setTimeout(() => void Promise.reject(new Error('nobody awaits this')), 10);
setTimeout(() => {
  const machine = setup({ actions: { boom: () => { throw new Error('from an actor'); } } }).createMachine({ on: { GO: { actions: 'boom' } } });
  const actor = createActor(machine).start();
  actor.send({ type: 'GO' });
}, 20);
setTimeout(() => console.log('still running'), 200);
`;

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, '--', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

const test = suite('last resort', {}, 60_000);

test('each uncaught error is a CRIT line with its stack, and the process carries on', () => {
  const r = run('--guard');
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^CRIT uncaptured exception, the daemon carries on: Error: from a timer \| +at /, r.stdout);
  assert.match(lines[1]!, /^CRIT unhandled promise rejection, the daemon carries on: Error: nobody awaits this \| +at /);
  assert.match(lines[2]!, /^CRIT uncaptured exception, the daemon carries on: Error: from an actor \| +at /);
  assert.is(lines[3], 'still running');
  assert.is(lines.length, 4);
});

test('without it the first one ends the process', () => {
  const r = run();
  assert.is.not(r.status, 0);
  assert.match(r.stderr, /Error: from a timer/);
  assert.not.match(r.stdout, /still running/);
});

test.run();
