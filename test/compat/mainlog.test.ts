// The main log against the reference: each scenario runs under Debian's supervisord 4.2.5
// and under statevisord at the same time, on the same configuration text in two temp
// dirs, driven the same way from outside; the two main logs, without timestamps, pids and
// environment noise (daemons.ts says which and why), must tell the same story for every
// process.
//
// Per process, not globally: supervisord handles everything once per 1-s tick, so lines
// about different processes that fall in the same tick (two exits reaped together, a
// group's processes stopped together) come in an order that depends on timing, and
// statevisord, which reacts at once, orders them by when they happened. Where supervisor's
// order is deterministic (start order by priority, groups stopped one at a time in
// descending priority) a scenario's `globalOrder` compares that subsequence too.
//
// End conditions count log lines, never time: supervisord may be up to a second late for
// anything timed (startsecs, backoff, stopwaitsecs), more on a loaded machine, so every
// wait is generous and programs' own timing leaves room for late ticks: a program meant
// to exit too quickly has startsecs=10, one meant to be RUNNING before it exits lives 3 s
// with startsecs=1 (two seconds for the tick that promotes it).
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { commandOwners, FIXTURES, normaliseLog, PROGRAMS, referenceMissing, runBoth, type Outcome, type Scenario } from './daemons.ts';

const test = suite('compat/mainlog', {}, 90_000);

const SLEEP = `${PROGRAMS}sleep-forever.sh`;
const EXIT_AFTER = `${PROGRAMS}exit-after.sh`;
const IGNORE_TERM = `${PROGRAMS}ignore-term.sh`;
const RUNS = `${FIXTURES}runs.sh`;
const KILL_SELF = `${FIXTURES}kill-self.sh`;
const TALK = `${FIXTURES}talk-then-sleep.sh`;

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each scenario also keeps what it needs to check beyond the main log. */
interface Case extends Scenario {
  extra?: (o: Outcome) => void;
}

const scenarios: Case[] = [
  {
    name: 'a program that stays up is stopped by the shutdown',
    programs: `
[program:up]
command=${SLEEP}
startsecs=0`,
    async drive(s) {
      await s.waitFor(/^INFO success: up /);
      await s.shutdown();
    },
  },
  {
    // `early` exits with an expected code but within startsecs: that is too quickly all the same.
    name: 'startsecs: RUNNING once up that long; an exit before it is too quick whatever the code',
    programs: `
[program:slow]
command=${SLEEP}
startsecs=2

[program:early]
command=${EXIT_AFTER} 0 1000
startsecs=10
startretries=0`,
    async drive(s) {
      await Promise.all([s.waitFor(/^INFO success: slow /), s.waitFor(/^INFO gave up: early /)]);
      await s.shutdown();
    },
  },
  {
    name: 'exiting too quickly: BACKOFF startretries+1 times, then FATAL',
    programs: `
[program:quick]
command=${EXIT_AFTER} 7 0
startsecs=10
startretries=2`,
    async drive(s) {
      await s.waitFor(/^INFO gave up: quick /);
      await s.shutdown();
    },
  },
  {
    // Each runs 3 s with startsecs=1: RUNNING at supervisord's first tick after 1 s, then EXITED.
    name: 'autorestart=unexpected: an expected exit stays EXITED, an unexpected one restarts',
    programs: `
[program:expected]
command=${EXIT_AFTER} 0 3000
startsecs=1
autorestart=unexpected
exitcodes=0

[program:unexpected]
command=${RUNS} %(here)s/unexpected.count 1 3 3000
startsecs=1
autorestart=unexpected
exitcodes=0`,
    async drive(s) {
      // The restarted `unexpected` comes up ≥ 1 s after `expected` exited: time enough for a wrong restart to show.
      await Promise.all([s.waitFor(/^INFO success: unexpected /, 2), s.waitFor(/exited: expected /)]);
      await s.shutdown();
    },
  },
  {
    name: 'autorestart=false: an unexpected exit stays EXITED',
    programs: `
[program:once]
command=${EXIT_AFTER} 3 3000
startsecs=1
autorestart=false`,
    async drive(s) {
      await s.waitFor(/exited: once /);
      await settle(2000); // two of supervisord's ticks: a restart would have happened
      await s.shutdown();
    },
  },
  {
    name: 'autorestart=true: expected exits restart too',
    programs: `
[program:again]
command=${RUNS} %(here)s/again.count 2 0 3000
startsecs=1
autorestart=true`,
    async drive(s) {
      await s.waitFor(/^INFO success: again /, 3);
      await s.shutdown();
    },
  },
  {
    // debug shows the stop signal (`killing x (pid N) with signal SIGTERM`) and the child's
    // `ready`. stopwaitsecs=2, not 1: supervisord sometimes reads the pipes' EOF before the
    // killed child can be reaped, and then reaps it only at its next tick; with stopwaitsecs=1
    // that tick's transition() comes first and sends (and logs) SIGKILL a second time (one
    // run in six here), with 2 the child is always reaped before.
    name: 'a program ignoring SIGTERM is killed after stopwaitsecs',
    loglevel: 'debug',
    programs: `
[program:stubborn]
command=${IGNORE_TERM}
startsecs=1
stopwaitsecs=2`,
    async drive(s) {
      await s.waitFor(/^INFO success: stubborn /);
      await s.shutdown();
    },
  },
  {
    // supervisorctl's stop waits (stopProcess, wait=true): supervisor logs the line at
    // once and then every 2 s while it polls the call's result (stop_report), until the
    // SIGKILL at stopwaitsecs=5 (a second from the reports on either side). The name is
    // short: it names the temp dir, and the RPC socket's path must fit in 108 bytes.
    name: 'stop with wait: reports every 2 s',
    rpc: true,
    programs: `
[program:stubborn]
command=${IGNORE_TERM}
startsecs=1
stopwaitsecs=5`,
    async drive(s) {
      await s.waitFor(/^INFO success: stubborn /);
      await s.ctl('stop', 'stubborn');
      await s.shutdown();
    },
    extra(o) {
      const reports = o.logs.supervisord.split('\n').filter((l) => l.endsWith(' INFO waiting for stubborn to stop'));
      assert.is(reports.length, 3, 'the reference reported at 0, 2 and 4 s');
    },
  },
  {
    name: 'spawn error: command not found',
    programs: `
[program:missing]
command=statevisor-compat-no-such-command
startretries=1`,
    async drive(s) {
      await s.waitFor(/^INFO gave up: missing /);
      await s.shutdown();
    },
  },
  {
    name: 'spawn error: command not executable, command is a directory',
    files: { 'not-executable.sh': { content: '#!/bin/sh\nexit 0\n', mode: 0o644 } },
    programs: `
[program:noexec]
command=%(here)s/not-executable.sh
startretries=0

[program:isdir]
command=%(here)s
startretries=0`,
    async drive(s) {
      await Promise.all([s.waitFor(/^INFO gave up: noexec /), s.waitFor(/^INFO gave up: isdir /)]);
      await s.shutdown();
    },
  },
  {
    name: 'numprocs=2: process_name expanded per process, started in order',
    programs: `
[program:np]
command=${SLEEP}
numprocs=2
process_name=%(program_name)s_%(process_num)02d
startsecs=0`,
    async drive(s) {
      await Promise.all([s.waitFor(/^INFO success: np_00 /), s.waitFor(/^INFO success: np_01 /)]);
      await s.shutdown();
    },
    globalOrder: /spawned:/,
  },
  {
    // Started in ascending priority; at shutdown groups stop one at a time, highest first.
    name: 'priority orders the start and, reversed, the shutdown',
    programs: `
[program:a]
command=${SLEEP}
priority=300
startsecs=0

[program:b]
command=${SLEEP}
priority=100
startsecs=0

[program:c]
command=${SLEEP}
priority=200
startsecs=0`,
    async drive(s) {
      for (const p of ['a', 'b', 'c']) await s.waitFor(new RegExp(`^INFO success: ${p} `));
      await s.shutdown();
    },
    globalOrder: /spawned:|stopped:/,
  },
  {
    // Both stop in one stop_all (one group): their stopped lines may come in either order.
    name: 'a [group:x] with two programs',
    programs: `
[group:grp]
programs=p2,p1

[program:p1]
command=${SLEEP}
priority=10
startsecs=0

[program:p2]
command=${SLEEP}
priority=20
startsecs=0`,
    async drive(s) {
      await Promise.all([s.waitFor(/^INFO success: p1 /), s.waitFor(/^INFO success: p2 /)]);
      await s.shutdown();
    },
    globalOrder: /spawned:/,
  },
  {
    // debug copies child output into the main log: with redirect_stderr both streams arrive as stdout, in order.
    name: 'redirect_stderr: stderr goes to the stdout channel',
    loglevel: 'debug',
    programs: `
[program:talker]
command=${TALK}
redirect_stderr=true
stdout_logfile=%(here)s/talker.out
startsecs=1`,
    async drive(s) {
      await s.waitFor(/^INFO success: talker /);
      await s.shutdown();
    },
    read: ['talker.out'],
    extra(o) {
      assert.is(o.files.supervisord['talker.out'], 'out 1\nerr 1\nout 2\nerr 2\n', 'the reference\'s talker.out');
      assert.is(o.files.statevisord['talker.out'], o.files.supervisord['talker.out'], 'talker.out');
    },
  },
  {
    // Group g (priority 999) is stopped before solo (priority 1). Its s1 and s2 die at once,
    // s3 ignores SIGTERM for stopwaitsecs=4, so the shutdown outlasts the 3-s report
    // throttle: `waiting for … to die` at the start, listing everything unstopped (not
    // `done`, EXITED), then at the first tick after 3 s listing only solo and s3; SIGKILL
    // at the first tick after 4 s; solo stopped after s3. supervisord's ticks put no report
    // at 6 s even when reaping s3 and solo each slip by a tick (it reads a pipe's EOF before
    // the child can be reaped, now and then). `done` has priority 0 because supervisord
    // spends a whole 1-s tick on each group in its stop queue, even one with nothing left
    // to stop: between g and solo it would delay solo's SIGTERM by a second, enough for a
    // third report (statevisord goes straight on: timing, not a difference in behaviour).
    name: 'shutdown with several programs: waiting for … to die, one group at a time',
    programs: `
[group:g]
programs=s1,s2,s3

[program:s1]
command=${SLEEP}
startsecs=0

[program:s2]
command=${SLEEP}
startsecs=0

[program:s3]
command=${IGNORE_TERM}
startsecs=1
stopwaitsecs=4

[program:solo]
command=${SLEEP}
priority=1
startsecs=0

[program:done]
command=${EXIT_AFTER} 0 3000
priority=0
startsecs=1
autorestart=false`,
    async drive(s) {
      for (const p of ['s1', 's2', 's3', 'solo']) await s.waitFor(new RegExp(`^INFO success: ${p} `));
      await s.waitFor(/exited: done /);
      await s.shutdown();
    },
    // s1 and s2 are stopped together: their lines may come in either order.
    globalOrder: /waiting for|killing|stopped: (?:s3|solo) /,
  },
  {
    name: 'exit by signal: terminated by SIGKILL, after startsecs and within it',
    programs: `
[program:kamikaze]
command=${KILL_SELF} 3000 KILL
startsecs=1
autorestart=false

[program:quickdeath]
command=${KILL_SELF} 0 KILL
startsecs=10
startretries=0`,
    async drive(s) {
      await Promise.all([s.waitFor(/exited: kamikaze /), s.waitFor(/^INFO gave up: quickdeath /)]);
      await s.shutdown();
    },
  },
  {
    // The wait status whole: a realtime signal (Node's ChildProcess says exit 0) and the
    // core-dump bit (Node drops it). The core file lands in each daemon's own temp dir.
    name: 'exit by signal: terminated by signal 35, and (core dumped)',
    programs: `
[program:realtime]
command=/bin/sh -c 'kill -35 $$'
startsecs=10
startretries=0

[program:dumper]
command=/bin/sh -c 'ulimit -c unlimited && kill -QUIT $$'
startsecs=10
startretries=0`,
    async drive(s) {
      await Promise.all([s.waitFor(/^INFO gave up: realtime /), s.waitFor(/^INFO gave up: dumper /)]);
      await s.shutdown();
    },
  },
];

/**
 * Scenarios run this many at a time, their starts spread out: two daemons starting at once
 * per scenario load a small machine enough to delay supervisord's ticks by a second.
 */
const CONCURRENCY = Number(process.env.STATEVISOR_COMPAT_CONCURRENCY ?? 8);
const STAGGER_MS = 250;

function startAll(list: Case[]): Map<string, Promise<Outcome>> {
  const results = new Map<string, Promise<Outcome>>();
  const waiting: (() => void)[] = [];
  let running = 0;
  let nextStart = Date.now();
  const acquire = async (): Promise<void> => {
    if (running < CONCURRENCY) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over
    const wait = nextStart - Date.now();
    nextStart = Math.max(nextStart, Date.now()) + STAGGER_MS;
    if (wait > 0) await settle(wait);
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  for (const sc of list) {
    const p = acquire().then(() => runBoth(sc)).finally(release);
    p.catch(() => { /* reported by the scenario's own test */ });
    results.set(sc.name, p);
  }
  return results;
}

const missing = referenceMissing();
if (missing) {
  console.warn(`\n  !!! compat/mainlog SKIPPED: the reference supervisord is unavailable: ${missing}\n`);
  for (const sc of scenarios) test.skip(sc.name, () => {});
} else {
  let results: Map<string, Promise<Outcome>>;
  // Every scenario starts here, so they overlap; each test then waits for its own.
  test.before(() => { results = startAll(scenarios); });
  for (const sc of scenarios) {
    test(sc.name, async () => {
      const o = await results.get(sc.name)!;
      // The reference first: if it did not go through the scenario, the scenario is at fault.
      assert.is(o.endings.supervisord, 'exited 0 after SIGTERM', `how the reference ended (stderr: ${o.stderr.supervisord || 'empty'})`);
      const commands = commandOwners(sc.programs);
      const ref = normaliseLog(o.logs.supervisord, o.dirs.supervisord, commands);
      const ours = normaliseLog(o.logs.statevisord, o.dirs.statevisord, commands);
      // One comparison of every process's lines, so a failure shows every difference at once.
      assert.equal(ours.byProcess, ref.byProcess, 'lines per process (statevisord: actual, supervisord: expected)');
      if (sc.globalOrder) {
        const pick = (lines: string[]) => lines.filter((l) => sc.globalOrder!.test(l));
        assert.equal(pick(ours.lines), pick(ref.lines), `the order across processes of ${sc.globalOrder}`);
      }
      sc.extra?.(o);
      assert.is(o.endings.statevisord, 'exited 0 after SIGTERM', `how statevisord ended (stderr: ${o.stderr.statevisord || 'empty'})`);
    });
  }
}

test.run();
