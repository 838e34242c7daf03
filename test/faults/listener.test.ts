// Event listeners that break the protocol, against a running statevisord and, side by
// side, supervisord: a 300 KB result line (which used to kill statevisord: a spread of the
// line overflowed the stack in an actor nobody supervised), random bytes, a negative length
// (statevisord looped on it forever), a result line that never ends. Each daemon must
// survive and keep serving; where supervisord logs the bad line, statevisord logs the same.
import { existsSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { alive, call, FAULTS, loadAverage, MB, records, referenceMissing, report, startSide, underAbuse, waitForRecord, type Side } from './helpers.ts';

const CASES = { long: 'long-line 300000', garbage: 'garbage 65536', negative: 'negative', endless: `endless ${20 * MB}` } as const;
type Case = keyof typeof CASES;

const programs = Object.entries(CASES).map(([name, args]) => `[eventlistener:${name}]
command=/usr/bin/python3 ${FAULTS}bad-listener.py ${args}
events=REMOTE_COMMUNICATION
autostart=false
environment=FAULT_DONE="%(here)s/${name}.done"
startsecs=0
stopwaitsecs=2
`).join('\n');

interface Ctx { ours: Side | null; theirs: Side | null }
const test = suite<Ctx>('faults: listeners that break the protocol', { ours: null, theirs: null }, 120_000);
const missing = referenceMissing();

test.before(async (ctx) => {
  console.log(`[faults] load average ${loadAverage()}`);
  ctx.ours = await startSide('statevisord', programs);
  if (missing) console.warn(`\n*** test/faults/listener: ${missing}; supervisord's side is skipped ***\n`);
  else ctx.theirs = await startSide('supervisord', programs);
});
test.after(async (ctx) => {
  await ctx.ours?.d.cleanup();
  await ctx.theirs?.d.cleanup();
});

const sides = (ctx: Ctx): Side[] => [ctx.ours, ctx.theirs].filter((s): s is Side => s !== null);

/** Starts the case's listener, sends it an event, waits for `until` in the main log; the records from the start on. */
async function provoke(s: Side, name: Case, until: RegExp) {
  const from = records(s).length;
  assert.equal(await call(s, 'supervisor.startProcess', name, true), { ok: true }, `${s.kind}: start ${name}`);
  const [, rss] = await underAbuse(s, async () => {
    assert.equal(await call(s, 'supervisor.sendRemoteCommEvent', 'fault', name), { ok: true });
    await waitForRecord(s, until);
  });
  assert.ok(await alive(s), `${s.kind} survives ${name}`);
  const info = await call(s, 'supervisor.getProcessInfo', name);
  assert.is((info as { ok: { statename: string } }).ok.statename, 'RUNNING', `${s.kind}: the listener itself runs on`);
  return { lines: records(s).slice(from).filter((r) => r.message.startsWith(`${name}: `)).map((r) => `${r.level} ${r.message}`), rss };
}

const LOST = (name: string) => `WARN ${name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`;

test('a 300 KB result line: both daemons log all of it as a bad result line, the listener UNKNOWN, and carry on', async (ctx) => {
  const line = `RESULT ${'x'.repeat(300_000 - 7)}`;
  for (const s of sides(ctx)) {
    const { lines, rss } = await provoke(s, 'long', /^long: has entered the UNKNOWN state/);
    assert.equal(lines, [`WARN long: bad result line: '${line}'`, LOST('long')], `${s.kind}: ${lines.map((l) => l.slice(0, 120)).join(' | ')}`);
    report('listener writes a 300 KB RESULT line', s, rss);
  }
});

test('random bytes as a result: the same bad result line (a Python bytes repr when not UTF-8) in both', async (ctx) => {
  const seen: string[][] = [];
  for (const s of sides(ctx)) {
    const { lines, rss } = await provoke(s, 'garbage', /^garbage: has entered the UNKNOWN state/);
    assert.is(lines.length, 2, lines.join('\n'));
    assert.match(lines[0]!, /^WARN garbage: bad result line: 'Undecodable: b["']/);
    seen.push(lines);
    report('listener writes 64 KB of random bytes', s, rss);
  }
  if (seen.length === 2) assert.equal(seen[0], seen[1]);
});

test('RESULT -5: statevisord refuses the line; supervisord recurses until RecursionError, logs it at CRIT and closes the channel; both carry on', async (ctx) => {
  const { lines } = await provoke(ctx.ours!, 'negative', /^negative: has entered the UNKNOWN state/);
  assert.equal(lines, [`WARN negative: bad result line: 'RESULT -5' (a negative length)`, LOST('negative')]);
  if (ctx.theirs) {
    const crit = await provoke(ctx.theirs, 'negative', /^uncaptured python exception, closing channel/);
    console.log(`[faults] RESULT -5 — supervisord logs: ${records(ctx.theirs).find((r) => r.level === 'CRIT' && r.message.startsWith('uncaptured'))!.message.slice(0, 160)}…`);
    assert.equal(crit.lines, [], 'supervisord says nothing of the listener itself');
  }
});

test('a result line that never ends (20 MB): statevisord refuses it at 1 MiB and its RSS stays flat; supervisord keeps every byte', async (ctx) => {
  const { lines, rss } = await provoke(ctx.ours!, 'endless', /^endless: has entered the UNKNOWN state/);
  assert.equal(lines, [`WARN endless: bad result line: no newline within 1048576 bytes, starting 'RESULT ${'x'.repeat(73)}'`, LOST('endless')]);
  report('listener writes a 20 MB line without a newline', ctx.ours!, rss);
  assert.ok(rss.peak - rss.before < 24 * 1024, `RSS ${rss.before} → ${rss.peak} kB`);
  if (ctx.theirs) {
    const s = ctx.theirs;
    // supervisord logs nothing for it: the listener says when the daemon has read it all
    assert.equal(await call(s, 'supervisor.startProcess', 'endless', true), { ok: true });
    const [, theirs] = await underAbuse(s, async () => {
      assert.equal(await call(s, 'supervisor.sendRemoteCommEvent', 'fault', 'endless'), { ok: true });
      const done = s.d.path('endless.done');
      for (const end = Date.now() + 60_000; !existsSync(done); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > end) throw new Error('supervisord did not read the 20 MB within 60 s');
      }
    });
    report('listener writes a 20 MB line without a newline', s, theirs);
    assert.ok(await alive(s));
  }
});

test.run();
