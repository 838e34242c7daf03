// The configuration at run time through both clients against both daemons: reread,
// update (added, changed and removed groups; named groups; all), add, remove, avail, and
// a configuration that no longer loads.
import * as assert from 'uvu/assert';
import { program, serverSections, SLEEP } from './config.ts';
import { alternate, fourWay, reference, script, uncovered, type Combo, type Step } from './harness.ts';

const sleeper = (name: string, ...extra: string[]) => program(name, SLEEP, ...extra);

const BEFORE = [sleeper('keep'), sleeper('change'), sleeper('drop'), sleeper('p1'), sleeper('p2'), '[group:pair]\nprograms=p1,p2\n'].join('\n');

// keep as it was, change's command changed, drop gone, pair with one more program,
// fresh and extra new (extra not started by itself).
const AFTER = [
  sleeper('keep'), program('change', `${SLEEP} changed`), sleeper('p1'), sleeper('p2'), sleeper('p3'), '[group:pair]\nprograms=p1,p2,p3\n',
  sleeper('fresh'), sleeper('extra', 'autostart=false'),
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

if (uncovered(STEPS).length) throw new Error(`commands not run over both transports: ${uncovered(STEPS)}`);

fourWay('reread, update, add, remove', config(BEFORE), (c, record) => script(c, STEPS, record), (transcripts) => {
  // What the scenario exercised, on the reference.
  const ref = transcripts[0]!.steps.map((s) => s.result.stdout);
  assert.is(reference(transcripts, '[tcp] reread').stdout, 'change: changed\ndrop: disappeared\nextra: available\nfresh: available\npair: changed\n');
  assert.ok(ref.some((out) => out.startsWith('ERROR: CANT_REREAD:')), 'a configuration that does not load');
  assert.ok(ref.some((out) => out.includes('drop: removed process group')), 'a group removed by update');
});
