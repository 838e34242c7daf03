// reread's verdict (src/config/diff.ts) against supervisor 4.2.5's own diff_to_active() on the
// same pairs of files (test/config/diff-oracle.py): added, changed and removed, in order.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { diffGroups } from '../../src/config/diff.ts';
import { loadConfig } from '../../src/config/load.ts';
import { suite } from '../harness.ts';

const ORACLE = fileURLToPath(new URL('./diff-oracle.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'config-diff-'));
const test = suite('config/diff', {}, 30_000);
test.after(() => rmSync(dir, { recursive: true, force: true }));

const HEAD = `[supervisord]\nlogfile=${dir}/main.log\nchildlogdir=${dir}\n`;
/** Where a running AUTO log went: a file of its own, as create_autochildlogs makes. */
const autoLog = (group: string, name: string, channel: string) => `${dir}/${group}-${name}-${channel}---auto.log`;
const prog = (name: string, extra = '') => `[program:${name}]\ncommand=/bin/sleep 100\n${extra}\n`;

/** Name → [old sections, new sections]. */
const CASES: Record<string, [string, string]> = {
  'nothing changed': [prog('a') + prog('b'), prog('b') + prog('a')],
  'added, sorted by priority then name': [prog('a'), prog('a') + prog('z', 'priority=1') + prog('m') + prog('c')],
  'removed, in the running order': [prog('c') + prog('a') + prog('b', 'priority=1'), prog('a')],
  'command changed': [prog('a') + prog('b'), prog('a') + prog('b', 'command=/bin/sleep 200')],
  'group priority changed': [prog('a'), prog('a', 'priority=5')],
  'AUTO: new AUTO is not compared, a running AUTO is its file': [prog('a') + prog('b', 'stdout_logfile=/tmp/b.log'), prog('a', 'stdout_logfile=/tmp/a.log') + prog('b')],
  'NONE vs a file is a change': [prog('a', 'stdout_logfile=NONE'), prog('a', 'stdout_logfile=/tmp/a.log')],
  'environment: same pairs in another order are equal': [prog('a', 'environment=A="1",B="2"'), prog('a', 'environment=B="2",A="1"')],
  'environment value changed': [prog('a', 'environment=A="1"'), prog('a', 'environment=A="2"')],
  'exitcodes, stopsignal, autorestart': [
    prog('a') + prog('b') + prog('c'),
    prog('a', 'exitcodes=0,2') + prog('b', 'stopsignal=INT') + prog('c', 'autorestart=true'),
  ],
  'numprocs: a process more': [prog('a', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)s'), prog('a', 'numprocs=3\nprocess_name=%(program_name)s_%(process_num)s')],
  'heterogeneous group: member order and membership': [
    prog('x') + prog('y') + '[group:g]\nprograms=x,y\n',
    prog('x') + prog('y') + '[group:g]\nprograms=x\n',
  ],
  'program becomes a group member': [prog('x') + prog('y'), prog('x') + prog('y') + '[group:x]\nprograms=x,y\n'],
  'eventlistener: events and buffer_size': [
    '[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\n[eventlistener:m]\ncommand=/bin/cat\nevents=TICK_5\n',
    '[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5,TICK_60\n[eventlistener:m]\ncommand=/bin/cat\nevents=TICK_5\nbuffer_size=20\n',
  ],
  'program becomes an eventlistener of the same name': [prog('l', 'command=/bin/cat'), '[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\n'],
  'unchanged eventlistener': ['[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_60,TICK_5\n', '[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5,TICK_60\n'],
};

const files = Object.entries(CASES).map(([name, [before, after]], i) => {
  const [old, next] = [`${i}-old.conf`, `${i}-new.conf`].map((f) => join(dir, f));
  writeFileSync(old, HEAD + before);
  writeFileSync(next, HEAD + after);
  return { name, old, next };
});

const oracle = spawnSync('/usr/bin/python3', [ORACLE, ...files.flatMap((f) => [f.old, f.next])], { encoding: 'utf8', timeout: 20_000 });
const verdicts = oracle.status === 0 ? oracle.stdout.trim().split('\n').map((l) => JSON.parse(l) as string[][]) : [];

files.forEach(({ name, old, next }, i) => {
  test(name, () => {
    assert.is(oracle.status, 0, `diff-oracle.py failed: ${oracle.stderr}${oracle.error ?? ''}`);
    const { added, changed, removed } = diffGroups(loadConfig(next).groups, loadConfig(old).groups, autoLog);
    assert.equal([added, changed, removed].map((gs) => gs.map((g) => g.name)), verdicts[i]);
  });
});

test('supervision keys are statevisor\'s own: a new strategy changes the group', () => {
  const [old, next] = ['s-old.conf', 's-new.conf'].map((f) => join(dir, f));
  writeFileSync(old, `${HEAD}${prog('x')}${prog('y')}[group:g]\nprograms=x,y\n`);
  writeFileSync(next, `${HEAD}${prog('x')}${prog('y')}[group:g]\nprograms=x,y\nstrategy=one_for_all\n`);
  assert.equal(diffGroups(loadConfig(next).groups, loadConfig(old).groups, autoLog).changed.map((g) => g.name), ['g']);
});

test.run();
