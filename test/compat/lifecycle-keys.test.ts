// One config that uses every lifecycle key (depends_on, ready_check of each kind,
// health_check, backoff…) runs under the real supervisord, which ignores them, and then
// under statevisord, which honours them: every program reaches RUNNING in both, and both
// shut down cleanly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { freePort } from '../daemon/helpers.ts';
import { suite } from '../harness.ts';
import { PROGRAMS, records, referenceMissing, Side, type SideName } from './daemons.ts';

const suiteTest = suite('compat/lifecycle keys', {}, 120_000);
const skip = referenceMissing();
if (skip && process.env.CI === 'true') throw new Error(`compat/lifecycle keys cannot run under CI: ${skip}`);
if (skip) console.warn(`compat/lifecycle keys: skipped: ${skip}`);
const test = (name: string, fn: () => Promise<void>) => (skip ? suiteTest.skip(name, () => {}) : suiteTest(name, fn));

function config(storePort: number, webPort: number): string {
  return `[supervisord]
nodaemon=true
logfile=%(here)s/main.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s

[program:store]
command=${PROGRAMS}serve-after.py ${storePort} 300
ready_check=tcp:127.0.0.1:${storePort}
ready_timeout=30
startsecs=0

[program:migrate]
command=${PROGRAMS}exit-after.sh 0 500
depends_on=store:started
autorestart=false
startsecs=0

[program:web]
command=${PROGRAMS}serve-after.py ${webPort} 300
depends_on=store, migrate:completed
ready_check=http://127.0.0.1:${webPort}/
health_check=http://127.0.0.1:${webPort}/health
health_interval=1
health_timeout=5
health_retries=3
backoff=exponential
backoff_max=30
backoff_jitter=0.2
retry_forever=true
restart_delay=1
backoff_reset=60
startsecs=0

[program:logger]
command=${PROGRAMS}say-after.sh 200 'listening now'
ready_check=log:listening \\w+
startsecs=0

[program:notifier]
command=${PROGRAMS}notify-after.sh 3 200
ready_check=fd:3
startsecs=0

[program:checker]
command=${PROGRAMS}sleep-forever.sh
ready_check=exec:true
health_check=exec:true
startsecs=0
`;
}

test('supervisord ignores every lifecycle key; statevisord honours them; both run every program', async () => {
  const base = mkdtempSync(join(tmpdir(), 'statevisor-compat-lifecycle-'));
  try {
    for (const name of ['supervisord', 'statevisord'] as SideName[]) {
      const dir = join(base, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'compat.conf'), config(await freePort(), await freePort()));
      const side = new Side(name, dir, join(dir, 'compat.conf'));
      try {
        await side.waitFor(/^INFO success: (store|migrate|web|logger|notifier|checker) /, 6, 60_000);
        await side.waitFor(/^INFO exited: migrate \(exit status 0; expected\)$/, 1, 30_000);
        const successes = records(side.text()).filter((r) => /^INFO success: /.test(r)).map((r) => r.split(' ')[2]).sort();
        assert.equal(successes, ['checker', 'logger', 'migrate', 'notifier', 'store', 'web'], name);
        if (name === 'statevisord') {
          const at = (re: RegExp) => records(side.text()).findIndex((r) => re.test(r));
          assert.ok(at(/^INFO exited: migrate /) < at(/^INFO spawned: 'web'/), 'web waited for the migration to complete');
        }
        await side.shutdown();
        assert.is(side.ending, 'exited 0 after SIGTERM', `${name}: ${side.diagnostics}`);
      } finally {
        await side.kill();
      }
    }
  } finally {
    if (process.env.KEEP) console.log(base); else rmSync(base, { recursive: true, force: true });
  }
});

suiteTest.run();
