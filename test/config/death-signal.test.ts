// death_signal, statevisor's extension ([supervisord] default, [program:x] override): the
// values it takes (a signal name in any case, with or without SIG, a number up to 31,
// `none`) and supervisor-style errors for the others, naming option, section and file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/load.ts';
import { suite } from '../harness.ts';

const BIN = fileURLToPath(new URL('../../bin/statevisord', import.meta.url));
const test = suite('config: death_signal', {}, 30_000);
let dir = '';
test.before.each(() => { dir = mkdtempSync(join(tmpdir(), 'death-signal-')); });
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

/** Writes supervisord.conf and loads it. */
function load(text: string) {
  const file = join(dir, 'supervisord.conf');
  writeFileSync(file, text);
  return { file, load: () => loadConfig(file) };
}

const deathSignals = (text: string): Record<string, number | null> =>
  Object.fromEntries(load(text).load().groups.flatMap((g) => g.processes.map((p) => [p.name, p.statevisor.death_signal])));

const program = (name: string, deathSignal?: string) =>
  `[program:${name}]\ncommand=/bin/true\n${deathSignal === undefined ? '' : `death_signal=${deathSignal}\n`}`;

test('off by default: no key anywhere is null (the child outlives the daemon, as under supervisord)', () => {
  assert.equal(deathSignals(`[supervisord]\n${program('x')}`), { x: null });
});

test('[supervisord] sets the default; a program overrides it, `none` switching it off', () => {
  const text = `[supervisord]\ndeath_signal=TERM\n${program('inherits')}${program('own', 'KILL')}${program('off', 'none')}${program('off2', 'NONE')}`;
  assert.equal(deathSignals(text), { inherits: 15, own: 9, off: null, off2: null });
});

test('names in any case, with or without SIG, and numbers of named signals', () => {
  const text = `[supervisord]\n${program('a', 'sigterm')}${program('b', 'Hup')}${program('c', '9')}${program('d', 'SIGUSR1')}`;
  assert.equal(deathSignals(text), { a: 15, b: 1, c: 9, d: 10 });
});

const errors: [value: string, message: string][] = [
  ['FOO', "value 'FOO' is not a valid signal name"],
  ['35', "value '35' is not a valid signal number"],
  ['0', "value '0' is not a named signal"],
  ['', "value '' is not a valid signal name"],
  ['none please', "value 'none please' is not a valid signal name"],
];

for (const [value, message] of errors) {
  test(`[program:x] death_signal=${JSON.stringify(value)} is an error naming option, section and file`, () => {
    const { file, load: run } = load(`[supervisord]\n${program('x', value)}`);
    assert.throws(run, (e: Error) => e.message === `${message} for death_signal in section 'program:x' (file: '${file}')`);
  });
}

test('a bad [supervisord] default names that section', () => {
  const { file, load: run } = load('[supervisord]\ndeath_signal=35\n');
  assert.throws(run, (e: Error) => e.message === `value '35' is not a valid signal number for death_signal in section 'supervisord' (file: '${file}')`);
});

test('statevisord refuses to start on one: Error: …, exit 2, as on any bad value', () => {
  const { file } = load(`[supervisord]\nnodaemon=true\nlogfile=${dir}/main.log\npidfile=${dir}/pid\n${program('x', 'BOGUS')}`);
  const r = spawnSync(process.execPath, [BIN, '-c', file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  assert.is(r.status, 2, r.stderr);
  assert.is(r.stderr, `Error: value 'BOGUS' is not a valid signal name for death_signal in section 'program:x' (file: '${file}')\nFor help, use statevisord -h\n`);
});

test.run();
