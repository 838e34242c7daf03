// Orphan reaping: statevisord as PID 1 of a PID namespace (a container's entrypoint), and
// with [supervisord] subreaper = true elsewhere. Orphans are reaped and logged as
// supervisord logs them; the daemon's own children keep their exit statuses; TERM and
// INT still shut it down.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { cleanupAll, Daemon, prog, startDaemon, waitFor, waitUntilGone } from './helpers.ts';
import { statevisordArgs } from '../../scripts/statevisord-command.ts';

const test = suite('daemon/reaper', {}, 90_000);
test.after.each(cleanupAll);

/** Leaves an orphan that exits 9, then exits 7 itself (in its exitcodes), again and again. */
const ORPHANING = prog('orphaning', `sh -c '(sleep 0.3; exit 9) & exit 7'`, { exitcodes: 7, autorestart: true, startsecs: 0 });

const UNSHARE = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

/** Fields of /proc/PID/stat after the comm: [state, ppid]. */
function stat(pid: number): [string, number] | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /s, '').split(' ');
    return [f[0], Number(f[1])];
  } catch {
    return null;
  }
}

/** Zombies whose parent is `ppid`, seen from this (the outer) PID namespace. */
function zombiesOf(ppid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    const s = stat(pid);
    return s !== null && s[0] === 'Z' && s[1] === ppid;
  });
}

/** Every zombie of `ppid` seen during `ms` is reaped in the end: none lingers. */
async function noZombieLingers(ppid: number, ms: number): Promise<void> {
  const seen = new Set<number>();
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const z of zombiesOf(ppid)) seen.add(z);
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const z of seen) await waitFor(`zombie ${z} to be reaped`, () => stat(z)?.[0] !== 'Z' || stat(z)?.[1] !== ppid, 5000);
}

/** The daemon in a PID namespace of its own: unshare forks it as the namespace's PID 1. */
class NamespacedDaemon extends Daemon {
  /** The daemon's pid outside the namespace (it is 1 inside). */
  hostPid = 0;
  private unshare: ReturnType<typeof spawn> | null = null;

  override async start(): Promise<this> {
    const unshare = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, ...statevisordArgs(), '-c', this.conf], {
      cwd: this.dir, stdio: 'ignore', env: { ...process.env, STATEVISOR_DAEMON_TEST_TAG: this.tag },
    });
    this.unshare = unshare;
    await this.waitForLine(/^supervisord started with pid 1$/, 30_000);
    this.hostPid = await waitFor('the daemon under unshare', () => {
      const kids = readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'latin1').trim();
      return kids ? Number(kids.split(' ')[0]) : undefined;
    });
    return this;
  }

  /** Signals the daemon and waits for unshare, which exits with the daemon's status. */
  async stopWith(sig: NodeJS.Signals): Promise<number | null> {
    const done = new Promise<number | null>((resolve) => this.unshare!.once('close', (code) => resolve(code)));
    process.kill(this.hostPid, sig);
    return done;
  }
}

if (!UNSHARE) {
  console.warn('SKIPPED daemon/reaper PID 1 tests: `unshare --pid --fork --mount-proc` does not work here (it needs root)');
  test.skip('as PID 1 in a PID namespace: orphans reaped, own exit statuses kept, TERM shuts down', () => {});
} else {
  test('as PID 1 in a PID namespace: orphans reaped, own exit statuses kept, TERM shuts down', async () => {
    const d = new NamespacedDaemon(ORPHANING);
    try {
      await d.start();
      await d.waitForLines(/^reaped unknown pid \d+ \(exit status 9\)$/, 3, 30_000);
      await noZombieLingers(d.hostPid, 3000);
      const from = d.mark();
      const exits = d.matching(/^exited: orphaning /);
      assert.ok(exits.length >= 3, `the program ran again and again${d.describe()}`);
      assert.equal([...new Set(exits.map((l) => l.message))], ['exited: orphaning (exit status 7; expected)'], 'each exit of its own child with its own status');
      assert.is(await d.stopWith('SIGTERM'), 0, d.describe());
      assert.is(d.matching(/^received SIGTERM indicating exit request$/, from).length, 1, d.describe());
    } finally {
      await d.cleanup();
    }
  });

  test('as PID 1: INT shuts down too', async () => {
    const d = new NamespacedDaemon(ORPHANING);
    try {
      await d.start();
      await d.waitForLine(/^reaped unknown pid /, 30_000);
      assert.is(await d.stopWith('SIGINT'), 0, d.describe());
      assert.is(d.matching(/^received SIGINT indicating exit request$/).length, 1, d.describe());
      await waitUntilGone(d.hostPid);
    } finally {
      await d.cleanup();
    }
  });
}

test('subreaper = true outside a namespace: the orphans are re-parented to the daemon and reaped', async () => {
  const d = await startDaemon(ORPHANING, { supervisord: { subreaper: true } });
  await d.waitForLines(/^reaped unknown pid \d+ \(exit status 9\)$/, 3, 30_000);
  await noZombieLingers(d.pid, 2000);
  assert.equal([...new Set(d.matching(/^exited: orphaning /).map((l) => l.message))], ['exited: orphaning (exit status 7; expected)']);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test('without subreaper and not PID 1 the daemon reaps nothing of others (orphans go to init, as under supervisord)', async () => {
  const d = await startDaemon(ORPHANING);
  await d.waitForLines(/^exited: orphaning /, 3, 30_000);
  assert.equal(d.matching(/^reaped unknown pid/), []);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test.run();
