// Output before state, against the reference: supervisord reads a child's output in its
// poll loop before transition() moves it to RUNNING, and its finish() drains the pipes
// before the exit's state change and log line. So a listener (fixtures/events/record.py,
// on supervisor.childutils) hears a program's PROCESS_LOG_* / PROCESS_COMMUNICATION_*
// before the RUNNING, EXITED or BACKOFF that follows them, and the main log has the
// output copy (loglevel=debug) before the `exited:` line. Both daemons run the same
// programs at once; each program's events must come in the same order on both.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { commandOwners, normaliseLog, referenceMissing, runBoth, type Outcome, type Scenario, type Side, type SideName } from '../compat/daemons.ts';
import { parseReceived, RECORD, subject, TALK, waitForEvents, type Received } from './recorded.ts';

const suiteTest = suite('events/output-order', {}, 120_000);
const skip = referenceMissing();
if (skip) console.warn(`events/output-order: every comparison skipped: ${skip}`);
const test = (name: string, fn: () => Promise<void>) => (skip ? suiteTest.skip(name, () => {}) : suiteTest(name, fn));

const SIDES: SideName[] = ['supervisord', 'statevisord'];
/** What `bye` writes just before it exits: more than one pipe's worth, so part of it is still in the pipe at the exit. */
const BYE_BYTES = 150_000;

const about = (name: string, eventname: string) => (r: Received) => r.headers.eventname === eventname && r.payload.startsWith(`processname:${name} `);

/**
 * One program's events as `EVENTNAME[ data]`: consecutive output events of one kind are
 * one entry with their data joined (how output splits into reads is timing), and the
 * stops at shutdown are left out (whether the listener, stopped too, hears them is timing).
 */
function story(rs: Received[], name: string): string[] {
  const out: string[] = [];
  let last = '';
  for (const r of rs.filter((e) => subject(e) === name)) {
    const event = r.headers.eventname;
    if (/^PROCESS_STATE_STOPP/.test(event)) continue;
    if (!/^PROCESS_(LOG|COMMUNICATION)_/.test(event)) {
      out.push(event);
      last = '';
      continue;
    }
    const data = r.payload.slice(r.payload.indexOf('\n') + 1);
    if (event === last) out[out.length - 1] += data;
    else out.push(`${event} ${data}`);
    last = event;
  }
  return out;
}

const PROGRAMS = `
[eventlistener:rec]
command=${RECORD} %(here)s/events.jsonl
events=PROCESS_STATE,PROCESS_LOG,PROCESS_COMMUNICATION
buffer_size=1000
startsecs=0

[program:hello]
command=${TALK} 'hello\\n' stdout 0
startsecs=2
stdout_events_enabled=true

[program:captured]
command=${TALK} '<!--XSUPERVISOR:BEGIN-->hi<!--XSUPERVISOR:END-->\\n' stdout 0
startsecs=2
stdout_capture_maxbytes=1KB

[program:quick]
command=/bin/sh -c 'echo oops; echo again; exit 1'
startsecs=10
startretries=0
stdout_events_enabled=true

[program:bye]
command=/bin/sh -c 'sleep 3; head -c ${BYE_BYTES} /dev/zero | tr "\\0" x; echo; echo last words; exit 3'
startsecs=1
autorestart=false
stdout_events_enabled=true
stdout_logfile=%(here)s/bye.log`;

test('PROCESS_LOG and PROCESS_COMMUNICATION before RUNNING, EXITED and BACKOFF; the output copy before `exited:`', async () => {
  const sc: Scenario = {
    name: 'output order',
    loglevel: 'debug',
    programs: PROGRAMS,
    read: ['events.jsonl', 'bye.log'],
    async drive(s: Side) {
      await waitForEvents(s, about('bye', 'PROCESS_STATE_EXITED'));
      await waitForEvents(s, about('quick', 'PROCESS_STATE_FATAL'));
      await waitForEvents(s, about('hello', 'PROCESS_STATE_RUNNING'));
      await waitForEvents(s, about('captured', 'PROCESS_STATE_RUNNING'));
      await s.shutdown();
    },
  };
  const o: Outcome = await runBoth(sc);
  for (const side of SIDES) assert.is(o.endings[side], 'exited 0 after SIGTERM', `${side}: ${o.endings[side]}\n${o.stderr[side]}`);
  const events = (side: SideName) => parseReceived(o.files[side]['events.jsonl']);
  const byeOutput = `${'x'.repeat(BYE_BYTES)}\nlast words\n`;
  const want: Record<string, string[]> = {
    hello: ['PROCESS_STATE_STARTING', 'PROCESS_LOG_STDOUT hello\n', 'PROCESS_STATE_RUNNING'],
    captured: ['PROCESS_STATE_STARTING', 'PROCESS_COMMUNICATION_STDOUT hi', 'PROCESS_STATE_RUNNING'],
    quick: ['PROCESS_STATE_STARTING', 'PROCESS_LOG_STDOUT oops\nagain\n', 'PROCESS_STATE_BACKOFF', 'PROCESS_STATE_FATAL'],
    bye: ['PROCESS_STATE_STARTING', 'PROCESS_STATE_RUNNING', `PROCESS_LOG_STDOUT ${byeOutput}`, 'PROCESS_STATE_EXITED'],
  };
  for (const [name, story_] of Object.entries(want)) {
    // The reference first, so a change on both sides at once cannot pass unseen.
    for (const side of SIDES) assert.equal(story(events(side), name), story_, `${side}: ${name}`);
  }
  for (const side of SIDES) assert.is(o.files[side]['bye.log'], byeOutput, `${side}: bye.log`);

  // The main log at debug: each program's output copy comes before its exit line.
  const lines = (side: SideName, name: string) =>
    normaliseLog(o.logs[side], o.dirs[side], commandOwners(PROGRAMS)).byProcess[name].map((l) => l.replace(/^(DEBG 'bye' stdout output:\n)x+/, '$1<x…>'));
  for (const name of ['quick', 'bye']) assert.equal(lines('statevisord', name), lines('supervisord', name), name);
  assert.equal(lines('supervisord', 'bye').slice(-2), ["DEBG 'bye' stdout output:\n<x…>\nlast words\n", 'WARN exited: bye (exit status 3; not expected)']);
  assert.equal(lines('supervisord', 'quick'), [
    "INFO spawned: 'quick' with pid <pid>",
    "DEBG 'quick' stdout output:\noops\nagain\n",
    'WARN exited: quick (exit status 1; not expected)',
    'INFO gave up: quick entered FATAL state, too many start retries too quickly',
  ]);
});

suiteTest.run();
