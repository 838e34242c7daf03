// Fuzzing the listener protocol: seeded runs of random and mutated stdout (pieces of the
// protocol, random bytes, long runs, cut at random points into reads) with SENTs between
// the reads, into the listener reader and machine (over 100,000 reads in all, each an input), and
// through a pool (pool.ts: the code that feeds a listener's stdout to the machine and
// hands it events). Nothing may throw out of them or
// put an actor in its error state; a protocol error is a state and a log line. Whatever a
// listener writes, the bytes held stay within the limit, and no event gets more than one
// verdict; a listener that keeps the protocol gets every event in order, a rejected one
// again at once, however its answers are cut into reads. FUZZ_SEED=n replays a run
// fast-check reported.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { createActor, type InspectionEvent } from 'xstate';
import { listenerMachine, type ListenerEmitted } from '../../machines/listener.ts';
import { ListenerReader } from '../../machines/listener-reader.ts';
import type { GroupConfig } from '../../src/config/types.ts';
import { EventBus } from '../../src/events/bus.ts';
import { tickEvent } from '../../src/events/event.ts';
import { ListenerChannel } from '../../src/events/listener-channel.ts';
import { EventListenerPool } from '../../src/events/pool.ts';
import { decodeOrRepr } from '../../src/logs/output-copy.ts';
import { suite } from '../harness.ts';
import { programConfig } from './fake-child.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const MAX = 64;
const STATES = new Set(['ACKNOWLEDGED', 'READY', 'BUSY', 'UNKNOWN']);
const enc = new TextEncoder();

/** Pieces a listener's stdout is made of, right and wrong (with the usual acknowledgements, one write each). */
const TOKENS = ['READY\n', 'READY', 'RESULT ', 'RESULT 2\nOK', 'RESULT 4\nFAIL', 'RESULT 2\nOKREADY\n', 'RESULT 4\nFAILREADY\n', 'RESULT 0\n', 'RESULT -5\n', 'RESULT 1_0\n', '\n', 'OK', ' ', '-', '_', '9', '64', '65', '99999999999999999999'];
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TOKENS).map((t) => enc.encode(t)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0x20, 0x30, 0x78, 0x0a), fc.integer({ min: 1, max: 3 * MAX })).map(([b, n]) => new Uint8Array(n).fill(b)) },
);

type Step = { type: 'OUTPUT'; data: Uint8Array } | { type: 'SENT' };

/** Pieces joined, then cut at random points into reads, with SENTs between the reads. */
const steps: fc.Arbitrary<Step[]> = fc
  .tuple(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), fc.array(fc.boolean(), { maxLength: 12 }))
  .map(([pieces, cuts, sents]) => {
    const all = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    pieces.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    const points = [...new Set(cuts.map((c) => (all.length ? c % all.length : 0)))].sort((a, b) => a - b);
    const out: Step[] = [];
    let from = 0;
    [...points, all.length].forEach((to, i) => {
      if (sents[i]) out.push({ type: 'SENT' });
      if (to > from) out.push({ type: 'OUTPUT', data: all.subarray(from, to) });
      from = to;
    });
    return out;
  });

const test = suite('listener protocol fuzz', {}, 120_000);

test('100,000 reads into the machine: no exception, no error state, bytes held within the limit, one verdict per event at most', () => {
  let reads = 0;
  const property = fc.property(steps, fc.boolean(), (run, small) => {
    const maxBytes = small ? MAX : undefined;
    const actor = createActor(listenerMachine, { input: { name: 'fuzz' } });
    const reader = new ListenerReader({ maxBytes });
    let failure: unknown = null;
    actor.subscribe({ error: (e) => (failure = e) });
    let verdicts = 0;
    actor.on('*', (e: ListenerEmitted) => {
      for (const note of e.notes) if (note.type === 'processed' || note.type === 'rejected') verdicts++;
    });
    actor.start();
    let busy = 0;
    for (const step of run) {
      if (step.type === 'SENT' && actor.getSnapshot().value === 'READY') busy++;
      else if (step.type === 'OUTPUT') reads++;
      if (step.type === 'SENT') actor.send(step);
      else reader.feed(actor, step.data);
      const snap = actor.getSnapshot();
      if (failure !== null || snap.status !== 'active') throw new Error(`actor ${snap.status}: ${String(failure)}`);
      if (!STATES.has(snap.value)) throw new Error(`state ${snap.value}`);
      const limit = maxBytes ?? 1024 * 1024;
      if (reader.buffer.length > limit) throw new Error(`${reader.buffer.length} bytes held, limit ${limit}`);
    }
    if (verdicts > busy) throw new Error(`${verdicts} verdicts for ${busy} events`);
    actor.stop();
  });
  // rounds of 5,000 runs, each seeded from SEED, until 100,000 reads have gone in
  for (let round = 0; reads < 100_000; round++) fc.assert(property, { seed: SEED + round, numRuns: 5_000 });
});

/** A listener's stdin that takes anything. */
const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

const config: GroupConfig = {
  name: 'fuzzpool', kind: 'eventlistener', priority: -1, processes: [programConfig({ name: 'fuzz' })],
  supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 0 },
  events: ['TICK_5'], buffer_size: 10, result_handler: 'supervisor.dispatchers:default_handler',
};

test('5,000 runs through a pool: nothing thrown, nothing logged at CRIT, every line a known one', async () => {
  const logged: string[] = [];
  const known = /^(fuzz: (ACKNOWLEDGED|READY|BUSY|UNKNOWN) -> (ACKNOWLEDGED|READY|BUSY|UNKNOWN)|fuzz: has entered the UNKNOWN state.*|fuzz: bad result line: .*|fuzz: event was (processed|rejected)|event \d+ sent to listener fuzz|rebuffering event .*)$/s;
  await fc.assert(
    fc.asyncProperty(steps, async (run) => {
      const bus = new EventBus();
      const pool = new EventListenerPool({
        config, identifier: 'supervisor', globalSerial: bus.globalSerial,
        log: (level, message) => logged.push(`${level} ${message}`), describeLine: decodeOrRepr,
      });
      pool.connect(bus.events$);
      pool.processState({ type: 'state', group: 'fuzzpool', name: 'fuzz', from: 'STARTING', to: 'RUNNING', pid: 1, tries: 0, expected: true, restart: false, at: null });
      const feed = pool.attach('fuzz', 1, new ListenerChannel({ stdin: sink(), stdinFd: -1 }));
      for (const step of run) {
        if (step.type === 'SENT') {
          bus.publish(tickEvent(5, 0));
          await Promise.resolve(); // dispatch runs in a microtask
        } else feed(step.data);
      }
      pool.close();
      const bad = logged.find((l) => l.startsWith('CRIT') || !known.test(l.slice(5)));
      logged.length = 0;
      if (bad) throw new Error(`logged: ${bad.slice(0, 300)}`);
    }),
    { seed: SEED, numRuns: 5_000 },
  );
});

test('a listener that keeps the protocol, its answers cut into reads at random, events published between: each event written in order, a rejected one again at once, as a model of supervisor\'s pool has it', async () => {
  let folds = 0;
  const round = fc.record({ publish: fc.nat({ max: 3 }), verdict: fc.constantFrom('OK', 'FAIL'), cuts: fc.array(fc.nat({ max: 20 }), { maxLength: 3 }) });
  await fc.assert(
    fc.asyncProperty(fc.array(round, { maxLength: 25 }), async (rounds) => {
      const bus = new EventBus();
      const logged: string[] = [];
      const written: number[] = [];
      const stdin = new Writable({ write: (c: Buffer, _e, cb) => (written.push(Number(/ serial:(\d+) /.exec(c.toString())![1])), cb()) });
      const inspect = { next: (e: InspectionEvent) => void (e.type === '@xstate.event' && e.event.next && folds++) };
      const pool = new EventListenerPool({
        config: { ...config, buffer_size: 1000 }, identifier: 'supervisor', globalSerial: bus.globalSerial,
        log: (level, message) => logged.push(`${level} ${message}`), describeLine: decodeOrRepr, inspect,
      });
      pool.connect(bus.events$);
      pool.processState({ type: 'state', group: 'fuzzpool', name: 'fuzz', from: 'STARTING', to: 'RUNNING', pid: 1, tries: 0, expected: true, restart: false, at: null });
      const feed = pool.attach('fuzz', 1, new ListenerChannel({ stdin, stdinFd: -1 }));
      const settle = () => new Promise<void>((r) => setImmediate(r));
      // The model: events in publish order; the listener holds one at a time; FAIL puts it back first.
      const waiting: number[] = [];
      const expected: number[] = [];
      let held: number | null = null;
      let published = 0;
      const dispatch = () => {
        if (held === null && waiting.length > 0) expected.push((held = waiting.shift()!));
      };
      feed(enc.encode('READY\n'));
      for (const r of rounds) {
        for (let i = 0; i < r.publish; i++) {
          bus.publish(tickEvent(5, 0));
          waiting.push(published++);
        }
        dispatch();
        await settle();
        if (held === null) continue;
        const answer = enc.encode(`RESULT ${r.verdict.length}\n${r.verdict}READY\n`);
        let from = 0;
        for (const to of [...new Set(r.cuts.map((c) => c % answer.length))].sort((a, b) => a - b).concat(answer.length)) {
          if (to > from) feed(answer.subarray(from, to));
          from = to;
        }
        if (r.verdict === 'FAIL') waiting.unshift(held);
        held = null;
        dispatch();
        await settle();
      }
      pool.close();
      assert.equal(written, expected);
      const bad = logged.find((l) => !l.startsWith('DEBG') && l !== 'WARN fuzz: event was rejected');
      if (bad) throw new Error(`logged: ${bad.slice(0, 300)}`);
    }),
    { seed: SEED, numRuns: 1_000 },
  );
  assert.ok(folds > 0, 'some results went on to the next event in the same step');
});

test.run();
