// XML-RPC clients that try to exhaust the daemon, against a running statevisord and, side
// by side, supervisord: entity expansion (billion laughs, an external entity), elements
// nested hundreds of thousands deep, read*Log/tail*Log asking for 2 GiB of a small log
// (statevisord allocated the length asked for), and sendProcessStdin flooding a child that
// never reads (statevisord queued without a limit). statevisord's RSS must stay flat.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { basic, http, methodCall, pyCalls, type PyOutcome, type Reply } from '../rpc/helpers.ts';
import { vmRssKb } from '../rpc-python/daemons.ts';
import { alive, AUTH, loadAverage, MB, records, referenceMissing, report, startSide, underAbuse, type Side } from './helpers.ts';

const programs = `[program:quiet]
command=/bin/sh -c "echo hello; exec sleep 100000"
startsecs=0

[program:deaf]
command=/bin/sleep 100000
startsecs=0`;

interface Ctx { ours: Side | null; theirs: Side | null }
const test = suite<Ctx>('faults: XML-RPC abuse', { ours: null, theirs: null }, 180_000);
const missing = referenceMissing();

test.before(async (ctx) => {
  console.log(`[faults] load average ${loadAverage()}`);
  ctx.ours = await startSide('statevisord', programs);
  if (missing) console.warn(`\n*** test/faults/rpc: ${missing}; supervisord's side is skipped ***\n`);
  else ctx.theirs = await startSide('supervisord', programs);
});
test.after(async (ctx) => {
  await ctx.ours?.d.cleanup();
  await ctx.theirs?.d.cleanup();
});

const sides = (ctx: Ctx): Side[] => [ctx.ours, ctx.theirs].filter((s): s is Side => s !== null);
const post = (s: Side, body: string): Promise<Reply> => http({ port: s.port }, 'POST', '/RPC2', body, basic(...AUTH));
const seen = (r: Reply) => `${r.status} ${r.reason} ${r.body}`;

test('sendProcessStdin flooding a child that never reads: statevisord refuses past 1 MiB queued (FAILED), RSS flat', async (ctx) => {
  const chunk = { $big: 64 * 1024 };
  const calls: [string, unknown[]][] = Array.from({ length: 200 }, () => ['supervisor.sendProcessStdin', ['deaf', chunk]]);
  for (const s of sides(ctx)) {
    const [out, rss] = await underAbuse(s, () => pyCalls(s.url, calls, AUTH));
    const kinds = new Map<string, number>();
    for (const o of out) {
      const k = 'ok' in o ? 'ok' : 'fault' in o ? `fault ${o.fault[1].split(':')[0]}` : JSON.stringify(o);
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    report('200 × 64 KB to the stdin of a child that never reads', s, rss, JSON.stringify(Object.fromEntries(kinds)));
    assert.ok(await alive(s));
    if (s.kind === 'statevisord') {
      const accepted = kinds.get('ok') ?? 0;
      // the pipe takes 64 KiB, the queue 1 MiB more
      assert.ok(accepted >= 16 && accepted <= 18, JSON.stringify(Object.fromEntries(kinds)));
      assert.is(kinds.get('fault FAILED'), 200 - accepted);
      assert.match((out.find((o) => 'fault' in o) as { fault: [number, string] }).fault[1], /^FAILED: deaf: its stdin holds \d+ bytes it has not read, the most is 1048576$/);
      // 12.8 MB of calls go through the server each round; what must not happen is a climb
      // with more of them (see climb() for how a sample's GC noise is kept out)
      const after: number[] = [];
      for (let i = 0; i < 6; i++) {
        const more = await pyCalls(s.url, calls, AUTH);
        assert.ok(more.every((o) => 'fault' in o && o.fault[0] === 30), 'the queue stays full');
        after.push(vmRssKb(s.d.pid));
      }
      console.log(`[faults] 6 more rounds of 200 — statevisord: RSS after each ${after.join(', ')} kB`);
      assert.ok(climb(after) < 3 * 12.8 * 1024, `RSS after each round (kB): ${after.join(', ')}`);
    }
  }
});

/**
 * How far RSS climbed over rounds of abuse: the floor of the last two samples over the
 * floor of the first two. V8 gives large buffers back when it gets round to it, so one
 * sample swings by tens of MB; a leak raises the floor round after round. The bounds used
 * stay under three rounds' worth of what a daemon keeping every request would add: such a daemon
 * adds four rounds' worth between the two floors.
 */
const climb = (after: number[]): number => Math.min(...after.slice(-2)) - Math.min(...after.slice(0, 2));

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n ')}
]>
<methodCall><methodName>supervisor.getState</methodName><params><param><value><string>&lol9;</string></value></param></params></methodCall>`;
const EXTERNAL = `<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<methodCall><methodName>supervisor.getState</methodName><params><param><value><string>&xxe;</string></value></param></params></methodCall>`;

test('entity expansion: billion laughs and an external entity are answered 400, as supervisord answers them; 100 laughs later RSS is flat', async (ctx) => {
  for (const body of [LAUGHS, EXTERNAL]) {
    const replies = await Promise.all(sides(ctx).map((s) => post(s, body)));
    assert.is(replies[0]!.status, 400);
    if (replies.length === 2) assert.is(seen(replies[0]!), seen(replies[1]!));
  }
  for (const s of sides(ctx)) {
    const [, rss] = await underAbuse(s, async () => {
      for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 10 }, () => post(s, LAUGHS)));
    });
    report('100 billion-laughs bodies', s, rss);
    assert.ok(await alive(s));
    if (s.kind === 'statevisord') assert.ok(rss.peak - rss.before < 16 * 1024, `RSS ${rss.before} → ${rss.peak} kB`);
  }
});

const BIG = 2 ** 31 - 1;
const LOG_CALLS: [string, unknown[]][] = [
  ['supervisor.readProcessStdoutLog', ['quiet', 0, BIG]],
  ['supervisor.readProcessStdoutLog', ['quiet', 2, BIG]],
  ['supervisor.readProcessStdoutLog', ['quiet', -BIG, 0]],
  ['supervisor.tailProcessStdoutLog', ['quiet', 0, BIG]],
  ['supervisor.tailProcessStdoutLog', ['quiet', 3, BIG]],
  ['supervisor.readProcessStderrLog', ['quiet', 0, BIG]],
];

test('read*Log and tail*Log of 2 GiB of a 6-byte log: the same replies as supervisord, RSS flat', async (ctx) => {
  const outcomes: PyOutcome[][] = [];
  for (const s of sides(ctx)) {
    const [out, rss] = await underAbuse(s, () => pyCalls(s.url, [...Array.from({ length: 5 }, () => LOG_CALLS).flat(), ['supervisor.readLog', [0, BIG]]], AUTH));
    report('30 reads of 2 GiB of a 6-byte log, and readLog(0, 2 GiB)', s, rss);
    const mainLog = out.pop()!;
    assert.equal(mainLog, { ok: s.d.mainLog().slice(0, (mainLog as { ok: string }).ok.length) }, `${s.kind}: readLog is the main log`);
    outcomes.push(out.slice(0, LOG_CALLS.length));
    if (s.kind === 'statevisord') assert.ok(rss.peak - rss.before < 16 * 1024, `RSS ${rss.before} → ${rss.peak} kB`);
  }
  assert.equal(outcomes[0]!.slice(0, 2), [{ ok: 'hello\n' }, { ok: 'llo\n' }]);
  if (outcomes.length === 2) assert.equal(outcomes[0], outcomes[1]);
});

/** supervisor.getAPIVersion with one argument: `depth` arrays, one in the other. */
const nested = (depth: number) => methodCall('supervisor.getAPIVersion', `<param>${'<value><array><data>'.repeat(depth)}${'</data></array></value>'.repeat(depth)}</param>`);

test('deep nesting: refused past 1000 elements with a log line saying so; supervisord takes any depth; a 15 MB nest leaves RSS flat', async (ctx) => {
  const ok = nested(300); // 903 elements deep
  const tooDeep = nested(334); // 1005
  const ours = ctx.ours!;
  assert.match((await post(ours, ok)).body, /<name>faultString<\/name>\n<value><string>INCORRECT_PARAMETERS<\/string>/);
  const from = records(ours).length;
  assert.is((await post(ours, tooDeep)).status, 400);
  const line = records(ours).slice(from).find((r) => r.level === 'ERRO');
  assert.match(line?.message ?? '', /^XML-RPC request data '.*' is invalid: unmarshallable \(elements nested deeper than 1000\)$/s);
  if (ctx.theirs) {
    const r = await post(ctx.theirs, tooDeep);
    console.log(`[faults] 1005 elements deep — supervisord answers ${r.status} ${/INCORRECT_PARAMETERS/.test(r.body) ? 'fault INCORRECT_PARAMETERS' : r.body.slice(0, 80)}; statevisord 400`);
  }
  const huge = nested(350_000); // 15 MB, 1,050,003 elements deep
  const round = async () => {
    for (let i = 0; i < 5; i++) assert.is((await post(ours, huge)).status, 400);
  };
  const [, rss] = await underAbuse(ours, round);
  report(`5 bodies of ${(huge.length / MB).toFixed(1)} MB nested 1,050,003 deep`, ours, rss);
  // each body is held while it is read and parsed: what must not happen is a climb round
  // after round (a daemon that kept the bodies would add 72 MB a round)
  const after: number[] = [];
  for (let i = 0; i < 6; i++) {
    await round();
    after.push(vmRssKb(ours.d.pid));
  }
  console.log(`[faults] 6 more rounds of 5 — statevisord: RSS after each ${after.join(', ')} kB`);
  assert.ok(climb(after) < 128 * 1024, `RSS after each round (kB): ${after.join(', ')}`);
  assert.ok(rss.peak - rss.before < 512 * 1024, `RSS ${rss.before} → ${rss.peak} kB`);
  assert.ok(await alive(ours));
});

test.run();
