// holdOptimizer / releaseOptimizer in a node of their own: a hot function stays
// unoptimized while TurboFan is held and is optimized once it is released; under flags
// that leave V8 no TurboFan (--jitless) neither touches V8's flags. %GetOptimizationStatus
// (--allow-natives-syntax) is V8's own answer, bit 4 (16) "TurboFanned".
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';

const test = suite('daemon/start-up-tiering', {}, 60_000);

const MODULE = JSON.stringify(new URL('../../src/daemon/start-up-tiering.ts', import.meta.url).pathname);
const TURBOFANNED = 16;

// Hot enough for TurboFan within a few thousand calls, which warm it up between the checks.
const PROGRAM = `
import { holdOptimizer, releaseOptimizer } from ${MODULE};
const sum = (n) => { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; };
const status = () => eval('%GetOptimizationStatus(sum)');
const heat = () => { for (let i = 0; i < 20000; i++) sum(100); };
holdOptimizer();
heat();
const held = status();
releaseOptimizer();
for (let round = 0; round < 50 && !(status() & ${TURBOFANNED}); round++) {
  heat();
  await new Promise((r) => setTimeout(r, 10));
}
console.log(JSON.stringify({ held, released: status() }));
`;

function run(flags: string[]): { held: number; released: number } {
  const r = spawnSync(process.execPath, [...flags, '--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', PROGRAM], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { held: number; released: number };
}

test('a hot function stays unoptimized while TurboFan is held, and is optimized once released', () => {
  const { held, released } = run([]);
  assert.is(held & TURBOFANNED, 0, `status ${held} while held`);
  assert.is(released & TURBOFANNED, TURBOFANNED, `status ${released} after the release`);
});

test('under --jitless nothing is held, and the release does not turn TurboFan on', () => {
  const { held, released } = run(['--jitless']);
  assert.is(held & TURBOFANNED, 0);
  assert.is(released & TURBOFANNED, 0);
});

test.run();
