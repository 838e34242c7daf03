// Without a daemon: both clients on the same command lines must print the same and exit
// the same, for a refused connection, a missing or dead socket file, bad flags and
// configuration files, and the commands that need no server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { USAGE } from '../../src/ctl/options.ts';
import { suite } from '../harness.ts';
import { freePort } from '../daemon/helpers.ts';
import { ClientRun, FIXTURES, missing, type ClientName, type Result } from './harness.ts';

// Those that check the server first (upcheck), those that do not, and shutdown's own words.
const COMMANDS = ['status', 'avail', 'shutdown', 'tail -f x', 'maintail -f', 'pid x', 'add x', 'fg x'];

async function cases(dir: string): Promise<string[][]> {
  const port = await freePort();
  writeFileSync(join(dir, 'stale.sock'), '');
  writeFileSync(join(dir, 'env.conf'), '[supervisorctl]\nserverurl=%(ENV_STATEVISOR_NOT_SET)s\n');
  writeFileSync(join(dir, 'garbage.conf'), 'garbage\n');
  const refused = COMMANDS.map((c) => ['-s', `http://127.0.0.1:${port}`, ...c.split(' ')]);
  const missingFile = COMMANDS.slice(0, 4).map((c) => ['-s', `unix://${dir}/missing.sock`, ...c.split(' ')]);
  const deadSocket = COMMANDS.slice(0, 3).map((c) => ['-s', `unix://${dir}/stale.sock`, ...c.split(' ')]);
  return [
    ...refused, ...missingFile, ...deadSocket,
    ['-x'], ['-s', 'foo', 'status'], ['-u', 'a', '-u', 'b', 'status'], ['-c', join(dir, 'nofile'), 'status'],
    ['-c', join(FIXTURES, 'no-section.conf'), 'status'], ['-c', join(dir, 'env.conf'), 'status'], ['--serverurl'], ['-i', '-i'], ['-r'],
    ['-s', 'localhost:9001', 'status'], ['-s', 'HTTP://x', 'status'],
    ['open', 'foo'], ['bogus'], ['EOF'], ['quit'], ['help'], ['help', 'nope'], ['help', 'help'],
    ['shutdown', 'now'], ['reread', 'now'], ['version', 'now'],
  ];
}

async function run(client: ClientName, args: string[], dir: string): Promise<Result> {
  // A configuration of our own unless the case gives one: none is looked for then.
  const conf = args.includes('-c') ? [] : ['-c', join(dir, 'none.conf')];
  const r = await new ClientRun(client, [...conf, ...args], dir).finish();
  const norm = (t: string) => t.split(dir).join('<dir>').replace(/\/usr\/bin\/supervisorctl|statevisorctl/g, 'CTL');
  return { stdout: norm(r.stdout), stderr: norm(r.stderr), code: r.code };
}

const test = suite('ctl-compat: no daemon, bad command lines', {}, 300_000);
const why = missing();

if (why) {
  console.warn(`\n*** SKIPPED test/ctl-compat/errors: ${why} ***\n`);
  test.skip('both clients agree', () => {});
} else {
  test('both clients agree on every command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctl-errors-'));
    try {
      writeFileSync(join(dir, 'none.conf'), '[supervisorctl]\n');
      const all = await cases(dir);
      const diffs: string[] = [];
      // Four at a time: both clients of two command lines.
      for (let i = 0; i < all.length; i += 2) {
        await Promise.all(all.slice(i, i + 2).map(async (args) => {
          const [ref, ours] = await Promise.all([run('supervisorctl', args, dir), run('statevisorctl', args, dir)]);
          if (JSON.stringify(ref) !== JSON.stringify(ours)) diffs.push(`${args.join(' ')}\n  supervisorctl ${JSON.stringify(ref)}\n  statevisorctl ${JSON.stringify(ours)}`);
        }));
      }
      assert.equal(diffs, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('-h: supervisorctl usage, under its own name and with -v', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctl-errors-'));
    try {
      const [ref, ours] = await Promise.all([run('supervisorctl', ['-h'], dir), run('statevisorctl', ['-h'], dir)]);
      assert.is(ours.code, 0);
      assert.is(ours.stdout, USAGE.replace(/statevisorctl/g, 'CTL'));
      const withoutV = ours.stdout.replace(/^-v\/--version .*\n/m, '').replace(/^CTL -- /, 'supervisorctl -- ');
      assert.is(withoutV, ref.stdout.replace(/^CTL -- /, 'supervisorctl -- '));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
