// Streaming through both clients against both daemons, over a unix socket and over TCP
// with auth: tail -f (stdout, stderr), maintail -f, fg (a line typed, ^D, Ctrl-C), each
// ended the way a user ends it, and the commands' errors.
import * as assert from 'uvu/assert';
import { call } from '../../src/ctl/rpc-client.ts';
import { program, serverSections, TALKER } from './config.ts';
import { alternate, fourWay, reference, script, type Combo, type Result, type Transport } from './harness.ts';

const programs = [program('cat', 'cat'), program('talker', TALKER), program('idle', 'cat', 'autostart=false')].join('\n');

const config = (c: Combo, port: number) => `${serverSections(c, port)}${programs}`;

type Record = (step: string, r: Result) => void;

/** Runs `line` until `ready` shows, does `then`, waits for `expect`, and presses Ctrl-C. */
async function streamed(c: Combo, record: Record, transport: Transport, line: string, ready: RegExp, then: () => Promise<void>, expect: RegExp): Promise<void> {
  const run = c.run([...(await c.via(transport)), ...line.split(' ')]);
  let failure = '';
  try {
    await run.waitFor(ready);
    await then();
    await run.waitFor(expect);
    run.interrupt();
  } catch (e) {
    // Recorded, so the transcript shows it, and the scenario goes on.
    failure = `\n[${(e as Error).message}]`;
  }
  record(`[${transport}] ${line} (Ctrl-C)`, interruptedInHandler(await run.finish(), failure));
}

/**
 * supervisorctl's Ctrl-C landing inside asyncore's read handler instead of its loop: the
 * handler reports the KeyboardInterrupt as a connection error and closes, and the loop
 * ends without _tailf's blank line. Which one happens is a race in supervisorctl; the
 * result is folded into the usual ending.
 */
function interruptedInHandler(r: Result, failure: string): Result {
  const race = /^\S+ Cannot connect, error: <class 'KeyboardInterrupt'> \(\)\n/m;
  if (!race.test(r.stderr)) return { ...r, stderr: r.stderr + failure };
  return { ...r, stdout: `${r.stdout}\n`, stderr: r.stderr.replace(race, '') + failure };
}

/** Runs a one-off command of the same client, for its effect. */
async function side(c: Combo, transport: Transport, line: string): Promise<void> {
  await c.run([...(await c.via(transport)), ...line.split(' ')]).finish();
}

/** fg with a line typed, then ended by ^D or by Ctrl-C. */
async function foreground(c: Combo, record: Record, transport: Transport, end: 'eof' | 'interrupt'): Promise<void> {
  const run = c.run([...(await c.via(transport)), 'fg', 'cat'], 'pipe');
  let failure = '';
  try {
    await run.waitFor(/Press Ctrl-C to exit/);
    run.child.stdin!.write(`typed over ${transport}\n`);
    await run.waitFor(new RegExp(`typed over ${transport}`));
    if (end === 'eof') run.child.stdin!.end();
    else run.interrupt();
  } catch (e) {
    failure = `\n[${(e as Error).message}]`;
  }
  const r = await run.finish();
  run.child.stdin!.destroy();
  record(`[${transport}] fg cat (${end})`, { ...r, stderr: r.stderr + failure });
}

// A main log that only holds what happened since the previous line (supervisor.clearLog),
// without the `waiting for` line a slow stop may add.
const clearMainLog = (c: Combo) => call({ serverurl: `unix://${c.socket}`, username: null, password: null }, 'supervisor.clearLog');
const withoutWaiting = (r: Result): Result => ({ ...r, stdout: r.stdout.replace(/^.*waiting for cat to stop\n/gm, '') });

async function drive(c: Combo, record: Record): Promise<void> {
  await streamed(c, record, 'unix', 'tail -f talker', /hello out/, () => side(c, 'tcp', 'signal USR1 talker'), /ping/);
  await streamed(c, record, 'tcp', 'tail -f talker stderr', /hello err/, async () => {}, /hello err/);
  await streamed(c, record, 'tcp', 'tail -f talker', /hello out/, () => side(c, 'unix', 'signal USR1 talker'), /ping\n.*ping/s);
  for (const transport of ['unix', 'tcp'] as const) {
    await clearMainLog(c);
    await streamed(c, (s, r) => record(s, withoutWaiting(r)), transport, 'maintail -f', /Press Ctrl-C/, () => side(c, transport, 'restart cat'), /spawned: 'cat'/);
    await c.settled();
  }
  await foreground(c, record, 'unix', 'eof');
  await foreground(c, record, 'tcp', 'interrupt');
  await script(c, alternate(['fg', 'fg nope', 'fg idle', 'fg cat talker', 'tail -f nope', 'tail -f talker bogus', 'maintail -x', 'maintail -f x']), record);
}

fourWay('tail -f, maintail -f, fg', config, drive, (transcripts) => {
  // What the scenario exercised, on the reference.
  assert.is(reference(transcripts, '[unix] tail -f talker (Ctrl-C)').stdout, '==> Press Ctrl-C to exit <==\nhello out\nping\n\n');
  assert.match(reference(transcripts, '[unix] fg cat (eof)').stdout, /typed over unix\nExiting foreground\n$/);
  assert.match(reference(transcripts, '[tcp] maintail -f (Ctrl-C)').stdout, /spawned: 'cat'/);
});
