// user=: only a root daemon can become another user, so these run only as root (CI is).
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { lookupUser } from '../../src/runtime/user.ts';
import { suite } from '../harness.ts';
import { collect, finish, program, start } from './helpers.ts';

const test = suite('runtime/user');
const root = process.getuid?.() === 0;
const maybe = root ? test : test.skip;

async function status(uid: number): Promise<string> {
  // The checkout may sit in a directory the user cannot enter (a 0700 temp dir): run a
  // copy of the fixture from one it can, and with directory=/.
  const dir = mkdtempSync(join(tmpdir(), 'statevisor-user-'));
  chmodSync(dir, 0o755);
  const script = join(dir, 'print-status.sh');
  copyFileSync(program('print-status.sh'), script);
  chmodSync(script, 0o755);
  const child = start(script, { uid, directory: '/' });
  try {
    const [out, exit] = await Promise.all([collect(child.stdout), child.exited]);
    assert.is(exit.code, 0, out);
    return out;
  } finally {
    await finish(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (text: string, key: string): string[] => (new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(text)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);

maybe('as nobody: uid and the passwd gid, real and effective', async () => {
  const nobody = lookupUser(65534);
  assert.ok(nobody, 'nobody is in /etc/passwd');
  const out = await status(65534);
  assert.equal(line(out, 'Uid'), ['65534', '65534', '65534', '65534']);
  assert.equal(line(out, 'Gid'), Array(4).fill(String(nobody.gid)));
  // libuv's setgroups(0, NULL): no supplementary groups, where supervisor would list the gid.
  assert.equal(line(out, 'Groups'), []);
});

// A user some /etc/group line lists as a member, if this machine has one.
const member = (() => {
  for (const row of readFileSync('/etc/group', 'utf8').split('\n')) {
    const names = (row.split(':')[3] ?? '').split(',').filter(Boolean);
    for (const name of names) {
      const entry = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
      if (entry) return lookupUser(Number(entry.split(':')[2]));
    }
  }
  return null;
})();

(root && member ? test : test.skip)('a user in other groups gets them, as supervisor\'s setgroups gives', async () => {
  if (!member) return;
  const out = await status(member.uid);
  assert.equal(line(out, 'Uid')[0], String(member.uid));
  assert.equal(line(out, 'Groups').map(Number).sort((a, b) => a - b), [...new Set(member.groups)].sort((a, b) => a - b));
});

test('lookupUser reads passwd and group as pwd/grp would', () => {
  const user = lookupUser(0);
  assert.equal(user && { uid: user.uid, gid: user.gid, name: user.name, first: user.groups[0] }, { uid: 0, gid: 0, name: 'root', first: 0 });
  assert.is(lookupUser(4_242_424), null);
});

test.run();
