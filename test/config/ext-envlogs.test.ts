// environment_file, log_format and logformat as the config reads them: defaults, the
// inheritance of [supervisord]'s files, --print-config's "statevisor" key, and the errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { diffGroups } from '../../src/config/diff.ts';
import { loadConfig } from '../../src/config/load.ts';
import { printConfig } from '../../src/config/print.ts';
import { tempDirs } from '../logs/tmp.ts';
import { suite } from '../harness.ts';

const tmp = tempDirs('statevisor-config-');
const test = suite('config/ext-envlogs');
test.after(() => tmp.removeAll());

function write(text: string): string {
  const file = join(tmp.make(), 'supervisord.conf');
  writeFileSync(file, text);
  return file;
}

test('defaults: no files (null), raw, text', () => {
  const c = loadConfig(write('[supervisord]\n[program:a]\ncommand=/bin/true\n'));
  const { environment_file, logformat } = c.supervisord.statevisor;
  assert.equal({ environment_file, logformat }, { environment_file: [], logformat: 'text' });
  const program = c.groups[0].processes[0].statevisor;
  assert.equal({ environment_file: program.environment_file, log_format: program.log_format }, { environment_file: null, log_format: 'raw' });
});

test('[supervisord]\'s files reach every program; the program\'s own come after; %(here)s expands', () => {
  const file = write([
    '[supervisord]', 'environment_file=-/etc/default/app', 'environment=A=1,B=2', 'logformat=JSON',
    '[program:a]', 'command=/bin/true', 'environment_file=%(here)s/a.env, -/srv/%(program_name)s.env', 'environment=B=3,C=4', 'log_format=json',
    '[program:b]', 'command=/bin/true', 'log_format=Timestamped', '',
  ].join('\n'));
  const here = file.slice(0, file.lastIndexOf('/'));
  const c = loadConfig(file);
  assert.is(c.supervisord.statevisor.logformat, 'json');
  const [a, b] = c.groups.map((g) => g.processes[0]);
  assert.equal(a.statevisor.environment_file, {
    supervisord: [{ path: '/etc/default/app', optional: true }],
    program: [{ path: `${here}/a.env`, optional: false }, { path: '/srv/a.env', optional: true }],
    environment_names: ['B', 'C'],
  });
  assert.equal(a.environment, { A: '1', B: '3', C: '4' }, "supervisor's merged environment is unchanged");
  assert.is(a.statevisor.log_format, 'json');
  assert.equal(b.statevisor.environment_file, { supervisord: [{ path: '/etc/default/app', optional: true }], program: [], environment_names: [] });
  assert.is(b.statevisor.log_format, 'timestamped');
  const printed = JSON.parse(printConfig(file)) as { statevisor: { supervisord: Record<string, unknown>; groups: Record<string, { processes: Record<string, Record<string, unknown>> }> } };
  assert.is(printed.statevisor.supervisord.logformat, 'json');
  assert.is(printed.statevisor.groups.b.processes.b.log_format, 'timestamped');
  assert.not.ok('log_format' in (printed as unknown as { groups: Array<{ processes: Array<Record<string, unknown>> }> }).groups[0].processes[0], "not in supervisor's schema");
});

test('reread: a new log_format or environment_file changes the group', () => {
  const base = '[supervisord]\n[program:a]\ncommand=/bin/true\nstdout_logfile=NONE\nstderr_logfile=NONE\n';
  const old = loadConfig(write(base)).groups;
  const changed = (extra: string) => diffGroups(loadConfig(write(`${base}${extra}`)).groups, old, () => null).changed.map((g) => g.name);
  assert.equal(changed(''), []);
  assert.equal(changed('log_format=json\n'), ['a']);
  assert.equal(changed('environment_file=-/none.env\n'), ['a']);
});

const errors: Array<[string, string, RegExp]> = [
  ['an unknown log_format', '[program:a]\ncommand=/bin/true\nlog_format=xml\n', /^value 'xml' is not one of raw, timestamped, json for log_format in section 'program:a' \(file: '.*'\)$/],
  ['an unknown logformat', '[supervisord]\nlogformat=raw\n', /^value 'raw' is not one of text, json for logformat in section 'supervisord' \(file: '.*'\)$/],
  ['a relative environment_file', '[program:a]\ncommand=/bin/true\nenvironment_file=app.env\n', /^path 'app\.env' is not absolute \(write %\(here\)s\/… for the config file's directory\) for environment_file in section 'program:a'/],
  ['an empty entry in [supervisord] environment_file', '[supervisord]\nenvironment_file=/a.env,\n', /^empty path in '\/a\.env,' for environment_file in section 'supervisord'/],
];

for (const [what, body, expected] of errors) {
  test(`${what} is a config error naming option, section and file`, () => {
    const text = body.startsWith('[supervisord]') ? `${body}[program:a]\ncommand=/bin/true\n` : `[supervisord]\n${body}`;
    const printed = JSON.parse(printConfig(write(text))) as { ok: boolean; error: string };
    assert.is(printed.ok, false);
    assert.match(printed.error, expected);
  });
}

test.run();
