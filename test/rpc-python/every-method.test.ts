// Every supervisor.* and system.* method, with its successes and the faults it can
// answer, called by Python's xmlrpc.client (every-method.py) against the real supervisord
// and against statevisord on the same configuration, at once: the two normalised
// transcripts must be equal, call for call.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { statevisorNamespace } from '../../src/rpc/statevisor-namespace.ts';
import { configText, PYTHON, referenceMissing, RpcDaemon, type Kind } from './daemons.ts';

const RESTART_DOC = statevisorNamespace({ restartProcess: () => true }).get('restartProcess')!.doc;
const SCRIPT = fileURLToPath(new URL('./every-method.py', import.meta.url));

// Programs as the script expects them (its comments say which does what).
const CONFIG = configText(`[unix_http_server]
file=%(here)s/sv.sock`, `[program:sleeper]
command=/bin/sleep 1000
startsecs=0

[program:echoer]
command=/bin/sh -c "echo out-line; echo err-line >&2; exec sleep 1000"
startsecs=0
stdout_logfile=%(here)s/echoer.out
stderr_logfile=%(here)s/echoer.err

[program:deaf]
command=/bin/sh -c "exec 0<&-; exec sleep 1000"
startsecs=0

[program:cat]
command=/bin/cat
startsecs=0
autostart=false

[program:quick]
command=/bin/sh -c "sleep 0.5; exit 3"
startsecs=1
startretries=0
autostart=false

[program:slow]
command=/bin/sleep 1000
startsecs=30
autostart=false

[program:missing]
command=/nonexistent/program
autostart=false

[program:notexec]
command=%(here)s/notexec
autostart=false

[program:stubborn]
command=/bin/sh -c "trap '' TERM; exec sleep 1000"
startsecs=0
stopwaitsecs=4
autostart=false

[program:nolog]
command=/bin/sleep 1000
stdout_logfile=NONE
stderr_logfile=NONE
autostart=false

[group:grp]
programs=a,b
priority=500

[program:a]
command=/bin/sleep 1000
startsecs=0
priority=2

[program:b]
command=/bin/sleep 1000
startsecs=0
priority=1`, 'identifier=every-method');

type Entry = [label: string, outcome: unknown];

function drive(d: RpcDaemon): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, d.path('sv.sock'), d.dir, d.conf, String(d.pid)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as Entry[]);
      else reject(new Error(`every-method.py against ${d.kind} exited ${code}: ${err}\n${d.diagnostics}`));
    });
  });
}

async function transcript(kind: Kind): Promise<{ entries: Entry[]; exit: unknown }> {
  const d = new RpcDaemon(kind, CONFIG, { notexec: { content: '#!/bin/sh\n', mode: 0o644 } });
  try {
    await d.start();
    const entries = await drive(d);
    // shut down by the script; holdout keeps the daemon in SHUTDOWN until the script kills it
    return { entries, exit: await d.waitExit(20_000) };
  } finally {
    await d.cleanup();
  }
}

const test = suite('every method, Python client, supervisord vs statevisord', {}, 240_000);
const missing = referenceMissing();

if (missing) {
  console.warn(`\n*** SKIPPED test/rpc-python/every-method: ${missing} ***\n`);
  test.skip('same transcript', () => {});
} else {
  test('same transcript as supervisord, call for call', async () => {
    const [theirs, ours] = await Promise.all([transcript('supervisord'), transcript('statevisord')]);
    // EVERY_METHOD_DUMP=<dir> keeps both transcripts to diff by hand
    const dump = process.env.EVERY_METHOD_DUMP;
    if (dump) for (const [k, t] of [['supervisord', theirs], ['statevisord', ours]] as const) writeFileSync(join(dump, `${k}.json`), JSON.stringify(t, null, 1));
    assert.ok(theirs.entries.length > 250, `the reference answered ${theirs.entries.length} calls`);
    // statevisor.* is statevisord's alone: checked apart, then left out of the comparison.
    const own = (t: Entry[]) => t.filter((e) => e[0].startsWith('statevisor'));
    const restart = ['statevisor: restartProcess["nope"]', 'statevisor: restartProcess["grp:*"]', 'statevisor: restartProcess[]'];
    assert.equal(own(theirs.entries), [
      ['statevisor.* methods', { ok: [] }],
      ...restart.map((label) => [label, { fault: [1, 'UNKNOWN_METHOD'] }]),
    ]);
    assert.equal(own(ours.entries), [
      ['statevisor.* methods', { ok: ['statevisor.restartProcess'] }],
      ['statevisor: system.methodSignature statevisor.restartProcess', { ok: ['boolean', 'string'] }],
      ['statevisor: system.methodHelp statevisor.restartProcess', { ok: RESTART_DOC }],
      [restart[0], { fault: [10, 'BAD_NAME: nope'] }],
      [restart[1], { fault: [10, 'BAD_NAME: grp:*'] }],
      [restart[2], { fault: [2, 'INCORRECT_PARAMETERS'] }],
    ]);
    const shared = (t: Entry[]) => t.filter((e) => !e[0].startsWith('statevisor'));
    const [theirShared, ourShared] = [shared(theirs.entries), shared(ours.entries)];
    const labels = (t: Entry[]) => t.map((e) => e[0]);
    assert.equal(labels(ourShared), labels(theirShared));
    const differences = theirShared.flatMap(([label, want], i) => {
      const got = ourShared[i]![1];
      return JSON.stringify(got) === JSON.stringify(want) ? [] : [`#${i} ${label}\n  supervisord: ${JSON.stringify(want)}\n  statevisord: ${JSON.stringify(got)}`];
    });
    assert.is(differences.length, 0, `${differences.length} calls answered differently:\n${differences.join('\n')}`);
    assert.equal([ours.exit, theirs.exit], [0, 0]);
  });
}

test.run();
