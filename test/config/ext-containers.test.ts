// exit_on, subreaper and open_probes: parsed into the sections' `statevisor` fields, shown
// by --print-config under "statevisor", and a bad value is supervisor's kind of error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { ConfigValueError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { printConfig } from '../../src/config/print.ts';
import { suite } from '../harness.ts';

const test = suite('config: container keys', { dir: '' });
test.before.each((ctx) => { ctx.dir = mkdtempSync(join(tmpdir(), 'statevisor-ext-containers-')); });
test.after.each((ctx) => { rmSync(ctx.dir, { recursive: true, force: true }); });

function write(dir: string, supervisord: string, program: string): string {
  const file = join(dir, 'supervisord.conf');
  writeFileSync(file, `[supervisord]\n${supervisord}\n[program:web]\ncommand=/bin/true\n${program}\n`);
  return file;
}

test('defaults: no exit_on, no subreaper, probes behind auth', (ctx) => {
  const config = loadConfig(write(ctx.dir, '', ''));
  assert.equal([config.supervisord.statevisor.subreaper, config.supervisord.statevisor.open_probes], [false, false]);
  assert.is(config.groups[0].processes[0].statevisor.exit_on, null);
});

test('each exit_on value, any case; subreaper and open_probes as supervisor booleans; --print-config shows them', (ctx) => {
  for (const value of ['fatal', 'Unexpected', 'EXIT']) {
    const config = loadConfig(write(ctx.dir, 'subreaper=yes\nopen_probes=on', `exit_on=${value}`));
    assert.is(config.groups[0].processes[0].statevisor.exit_on, value.toLowerCase());
  }
  const json = JSON.parse(printConfig(write(ctx.dir, 'subreaper=true\nopen_probes=true', 'exit_on=fatal'))) as {
    supervisord: Record<string, unknown>;
    statevisor: { supervisord: Record<string, unknown>; groups: Record<string, { processes: Record<string, Record<string, unknown>> }> };
  };
  assert.is(json.statevisor.supervisord.subreaper, true);
  assert.is(json.statevisor.supervisord.open_probes, true);
  assert.is(json.statevisor.groups.web.processes.web.exit_on, 'fatal');
  assert.not.ok('subreaper' in json.supervisord, "supervisor's own schema is untouched");
});

test('a bad value names the option, the section and the file', (ctx) => {
  const bad = (supervisord: string, program: string, message: string) => {
    const file = write(ctx.dir, supervisord, program);
    assert.throws(() => loadConfig(file), (e: unknown) => e instanceof ConfigValueError && e.message.includes(message) && e.message.includes(file), message);
  };
  bad('', 'exit_on=crash', "value 'crash' is not one of fatal, unexpected, exit for exit_on in section 'program:web'");
  bad('subreaper=maybe', '', "not a valid boolean value: 'maybe' for subreaper in section 'supervisord'");
  bad('open_probes=2', '', "not a valid boolean value: '2' for open_probes in section 'supervisord'");
});

test.run();
