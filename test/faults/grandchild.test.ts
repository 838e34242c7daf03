// A program that leaves a background grandchild holding its stdout and stderr: supervisor's
// finish() drains and closes a spawn's pipes when it reaps the child, so restarts leak no
// fds and SIGTERM ends the daemon while the grandchild lives on. Both daemons run it side by
// side; the grandchildren are killed with their process groups at the end (daemons.ts).
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { suite } from '../harness.ts';
import { referenceMissing, runBoth, type Side, type SideName } from '../compat/daemons.ts';
import { fdsOn, openFds } from './proc.ts';

const suiteTest = suite('faults/grandchild', {}, 180_000);
const skip = referenceMissing();
if (skip) console.warn(`faults/grandchild: every test skipped: ${skip}`);
const test = (name: string, fn: () => Promise<void>) => (skip ? suiteTest.skip(name, () => {}) : suiteTest(name, fn));

const RESTARTS = 30;
/** Open fds may differ between two looks by one spawn's pipes and log files, and a helper's. */
const SLACK = 10;
const SIDES: SideName[] = ['supervisord', 'statevisord'];

test(`${RESTARTS} restarts with a grandchild holding the pipes: fds back to baseline, one writer per log file, SIGTERM exits`, async () => {
  const seen: Partial<Record<SideName, { before: number; after: number; writers: number }>> = {};
  const o = await runBoth({
    name: 'grandchild',
    // The grandchild writes on after its parent died, so a pipeline left open would keep
    // logging to the file beside the next spawn's. It stops by itself after about a minute
    // (supervisord's children ignore SIGPIPE, so a closed pipe would not end it), and
    // sleep 300 is all that outlives the test if its process group escapes the clean-up.
    programs: `
[program:g]
command=/bin/sh -c '(i=0; while [ $i -lt 1200 ]; do echo tick; sleep 0.05; i=$((i+1)); done) & sleep 300 & echo hi; sleep 0.3'
startsecs=0
autorestart=true
stdout_logfile=%(here)s/g.log`,
    async drive(s: Side) {
      await s.waitFor(/^INFO spawned: 'g'/, 3, 60_000);
      const before = openFds(s.daemon.pid!);
      await s.waitFor(/^INFO spawned: 'g'/, 3 + RESTARTS, 120_000);
      seen[s.name] = { before, after: openFds(s.daemon.pid!), writers: fdsOn(s.daemon.pid!, join(s.dir, 'g.log')) };
      await s.shutdown(60_000);
    },
  });
  for (const side of SIDES) {
    const m = seen[side];
    if (!m) throw new Error(`${side} never got that far: ${o.endings[side]}\n${o.stderr[side]}`);
    const what = `${side}: ${m.before} fds after 3 spawns, ${m.after} after ${RESTARTS} more`;
    console.log(`faults/grandchild: ${what}`);
    assert.is(o.endings[side], 'exited 0 after SIGTERM', `${side}: ${o.endings[side]}\n${o.stderr[side]}`);
    assert.ok(m.after <= m.before + SLACK, what);
    assert.ok(m.writers <= 1, `${side}: g.log open ${m.writers} times`);
  }
});

suiteTest.run();
