// Flapping programs (print a line, exit 1, restarted at once): every fd of a spawn must be
// closed when the spawn ends, not when a garbage collection finalises its sockets, and
// memory must not grow with the number of restarts. Both daemons run the same programs side
// by side; the checks are on counts read from /proc, at two points of the run.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { referenceMissing, runBoth, type Side, type SideName } from '../compat/daemons.ts';
import { openFds, rssKb } from './proc.ts';

const suiteTest = suite('faults/flapping', {}, 300_000);
const skip = referenceMissing();
if (skip) console.warn(`faults/flapping: every test skipped: ${skip}`);
const test = (name: string, fn: () => Promise<void>) => (skip ? suiteTest.skip(name, () => {}) : suiteTest(name, fn));

const N = 20;
const WARMUP = 200;
const RESTARTS = 1000;
/** Each program holds up to 5 fds while it runs (3 pipe ends, 2 log files): the spread between two looks. */
const FD_SLACK = 5 * N + 10;
/** What garbage collection timing moves RSS by; a leak of the old kind grew it by ~45 MB per 1,000 restarts. */
const RSS_SLACK_KB = 25 * 1024;
const SIDES: SideName[] = ['supervisord', 'statevisord'];

const programs = Array.from({ length: N }, (_, i) => `
[program:f${i}]
command=/bin/sh -c 'echo up; sleep 0.05; exit 1'
startsecs=0
autorestart=true`).join('\n');

interface Look { fds: number; rssKb: number }

test(`${N} flapping programs, ${RESTARTS} restarts: fds and RSS where they were after ${WARMUP}`, async () => {
  const seen: Partial<Record<SideName, Look[]>> = {};
  const look = (s: Side): Look => ({ fds: openFds(s.daemon.pid!), rssKb: rssKb(s.daemon.pid!) });
  const o = await runBoth({
    name: 'flapping',
    programs,
    async drive(s: Side) {
      await s.waitFor(/^WARN exited: /, WARMUP, 120_000);
      const first = look(s);
      await s.waitFor(/^WARN exited: /, WARMUP + RESTARTS, 240_000);
      seen[s.name] = [first, look(s)];
      await s.shutdown(60_000);
    },
  });
  for (const side of SIDES) {
    const looks = seen[side];
    if (!looks) throw new Error(`${side} never got that far: ${o.endings[side]}\n${o.stderr[side]}`);
    const [a, b] = looks;
    const what = `${side}: ${a.fds} fds and ${a.rssKb} kB after ${WARMUP} restarts, ${b.fds} fds and ${b.rssKb} kB after ${RESTARTS} more`;
    console.log(`faults/flapping: ${what}`);
    assert.is(o.endings[side], 'exited 0 after SIGTERM', `${side}: ${o.endings[side]}\n${o.stderr[side]}`);
    assert.ok(b.fds <= a.fds + FD_SLACK, what);
    assert.ok(b.rssKb <= a.rssKb + RSS_SLACK_KB, what);
  }
});

suiteTest.run();
