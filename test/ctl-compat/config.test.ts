// The configuration at run time through both clients against both daemons: reread,
// update (added, changed and removed groups; named groups; all), add, remove, avail, and
// a configuration that no longer loads.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { serverSections, SLEEP } from './config.ts';
import { alternate, assertSame, missing, Quad, reference, script, uncovered, type Combo, type Step } from './harness.ts';

const program = (name: string, extra = '') => `[program:${name}]\ncommand=${SLEEP}${extra}\nstartsecs=0\n`;

const BEFORE = [program('keep'), program('change'), program('drop'), program('p1'), program('p2'), '[group:pair]\nprograms=p1,p2\n'].join('\n');

// keep as it was, change's command changed, drop gone, pair with one more program,
// fresh and extra new (extra not started by itself).
const AFTER = [
  program('keep'), program('change', ' changed'), program('p1'), program('p2'), program('p3'), '[group:pair]\nprograms=p1,p2,p3\n',
  program('fresh'), `${program('extra')}autostart=false\n`,
].join('\n');

const BROKEN = `${BEFORE}\n[program:nocommand]\nstartsecs=0\n`;

const config = (programs: string) => (c: Combo, port: number) => `${serverSections(c, port)}\n${programs}`;
const write = (programs: string) => async (c: Combo) => c.writeConfig(config(programs)(c, await c.port));

const lines: [string, ((c: Combo) => Promise<void>)?][] = [
  ['reread'],
  ['reread x'],
  ['avail', write(AFTER)],
  ['reread'],
  ['update nope'],
  ['update change'],
  ['add fresh'],
  ['add fresh nope'],
  ['remove keep'],
  ['remove nope'],
  ['stop keep'],
  ['remove keep'],
  ['status'],
  ['update'],
  ['update'],
  ['reread'],
  ['reread', write(BROKEN)],
  ['avail'],
  ['update'],
  ['update all', write(BEFORE)],
  ['status'],
  ['status'],
  ['add'],
  ['stop p1'],
  ['remove'],
];
const STEPS: Step[] = alternate(lines.map(([line]) => line)).map((s, i) => ({ ...s, before: lines[i]![1] }));

const test = suite('ctl-compat: reread, update, add, remove', {}, 420_000);
const why = missing();

if (why) {
  console.warn(`\n*** SKIPPED test/ctl-compat/config: ${why} ***\n`);
  test.skip('four transcripts agree', () => {});
} else {
  test('four transcripts agree, over a unix socket and over TCP with auth', async () => {
    assert.equal(uncovered(STEPS), []);
    const quad = new Quad(config(BEFORE));
    try {
      await quad.start();
      const transcripts = await quad.each((c, record) => script(c, STEPS, record));
      assertSame(transcripts);
      // What the scenario exercised, on the reference.
      const ref = transcripts[0]!.steps.map((s) => s.result.stdout);
      assert.is(reference(transcripts, '[tcp] reread').stdout, 'change: changed\ndrop: disappeared\nextra: available\nfresh: available\npair: changed\n');
      assert.ok(ref.some((out) => out.startsWith('ERROR: CANT_REREAD:')), 'a configuration that does not load');
      assert.ok(ref.some((out) => out.includes('drop: removed process group')), 'a group removed by update');
    } finally {
      await quad.stop();
    }
  });
}

test.run();
