// The interactive shell at a real terminal (a pty driven by python3's pty module), with
// statevisorctl and with supervisorctl on the same keys: completion of commands, process
// names and group:process names, help, history kept across two runs, ^D and quit, Ctrl-C
// ending a tail -f; and what statevisorctl does beyond: Ctrl-C clears a typed line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { CAT_AND_GROUP, serverSections } from './config.ts';
import { Combo, missing, STATEVISORCTL, SUPERVISORCTL, type ClientName } from './harness.ts';

const DRIVER = fileURLToPath(new URL('./pty-driver.py', import.meta.url));

type Key = { send: string } | { expect: string; timeout?: number };
interface Session { ok: boolean; error: string | null; output: string; exit: number | null }


/** Runs the client at a terminal on these keys; resolves with what the terminal showed. */
function atTerminal(client: ClientName, conf: string, keys: Key[]): Promise<Session> {
  const argv = client === 'supervisorctl' ? [SUPERVISORCTL] : [process.execPath, STATEVISORCTL];
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [DRIVER, JSON.stringify(keys), '--', ...argv, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as Session);
      } catch {
        reject(new Error(`pty driver: ${out}${err}`));
      }
    });
  });
}

const PROMPT = { expect: 'supervisor> ' };

const FIRST_RUN: Key[] = [
  PROMPT,
  { send: 'stat\t' }, { expect: 'status ' },
  { send: 'ca\t' }, { expect: 'cat ' },
  { send: '\r' }, { expect: 'cat +RUNNING' }, PROMPT,
  { send: 'status grp:t\t' }, { expect: 'grp:talker ' },
  { send: '\r' }, { expect: 'grp:talker +RUNNING' }, PROMPT,
  { send: 'help\r' }, { expect: 'default commands \\(type help <topic>\\):' }, PROMPT,
  { send: 'version\r' }, { expect: '4\\.2\\.5' }, PROMPT,
  { send: 'tail -f grp:talker\r' }, { expect: 'hello out' },
  { send: '\x03' }, PROMPT,
  { send: '\x04' },
];

const SECOND_RUN: Key[] = [
  PROMPT,
  // Up: the last line of the first run.
  { send: '\x1b[A' }, { expect: 'tail -f grp:talker' },
  { send: '\x1b[A' }, { expect: 'version' },
  { send: '\r' }, { expect: '4\\.2\\.5' }, PROMPT,
  { send: 'quit\r' },
];

const test = suite('ctl-compat: the shell at a terminal', {}, 300_000);
const why = missing();

if (why) {
  console.warn(`\n*** SKIPPED test/ctl-compat/shell: ${why} ***\n`);
  test.skip('completion, help, history, ^D', () => {});
} else {
  let combo: Combo;
  let base: string;
  const conf = (client: ClientName) => join(base, `${client}.conf`);

  test.before(async () => {
    base = mkdtempSync(join(tmpdir(), 'ctl-shell-'));
    combo = new Combo('statevisord', 'statevisorctl', base, (c, port) => `${serverSections(c, port)}${CAT_AND_GROUP}`);
    await combo.start();
    for (const client of ['supervisorctl', 'statevisorctl'] as const) {
      writeFileSync(conf(client), `[supervisorctl]\nserverurl=unix://${combo.socket}\nhistory_file=%(here)s/${client}.history\n`);
    }
  });

  test.after(async () => {
    await combo?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  test('completion, help, tail -f and Ctrl-C, history across two runs, ^D and quit exit 0: as supervisorctl', async () => {
    for (const client of ['supervisorctl', 'statevisorctl'] as const) {
      const first = await atTerminal(client, conf(client), FIRST_RUN);
      assert.ok(first.ok, `${client}, first run: ${first.error}\n${JSON.stringify(first.output)}`);
      assert.is(first.exit, 0, `${client} exits 0 on ^D`);
      // GNU readline keeps the space completion added; node's readline trims it.
      const history = readFileSync(join(base, `${client}.history`), 'utf8').split('\n').filter(Boolean).map((l) => l.trim());
      assert.equal(history, ['status cat', 'status grp:talker', 'help', 'version', 'tail -f grp:talker']);
      const second = await atTerminal(client, conf(client), SECOND_RUN);
      assert.ok(second.ok, `${client}, second run: ${second.error}\n${JSON.stringify(second.output)}`);
      assert.is(second.exit, 0, `${client} exits 0 on quit`);
    }
  });

  test('statevisorctl: Ctrl-C clears a typed line, and leaves the shell on an empty one', async () => {
    const s = await atTerminal('statevisorctl', conf('statevisorctl'), [
      PROMPT, { send: 'stat' }, { send: '\x03' }, { send: 'version\r' }, { expect: '4\\.2\\.5' }, PROMPT, { send: '\x03' },
    ]);
    assert.ok(s.ok, `${s.error}\n${JSON.stringify(s.output)}`);
    assert.not.match(s.output, 'Unknown syntax');
    assert.is(s.exit, 0);
  });
}

test.run();
