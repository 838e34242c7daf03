// What one process machine step costs, the machine alone: `node --expose-gc --import tsx bench/machine-steps.ts [--against=<git rev>] [--rounds=N]`.
// A plain program (startsecs=0, autorestart=true, a fake child, no listening parent) runs
// crash → restart cycles (an exit from RUNNING: EXITED, STARTING, RUNNING) and start/stop
// cycles (STOP: STOPPING, the child dies of the signal, STOPPED; then START to RUNNING).
// Allocation: heapUsed after minus before a batch that no GC interrupted (a gc() before
// each, a PerformanceObserver telling which batches a GC fell in); median per step. CPU:
// process.cpuUsage() over many steps, GC included. `--against` loads machines/ and src/
// of another revision (git archive, into bench/.against/) and measures both in turn,
// round after round, so the figures share the machine's load.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getHeapSpaceStatistics } from 'node:v8';
import { createActor, SimulatedClock, type AnyStateMachine } from 'xstate';
import { FakeChildren, programConfig } from '../test/machines/fake-child.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const { values: opts } = parseArgs({ options: { against: { type: 'string' }, rounds: { type: 'string', default: '3' } } });
const root = join(import.meta.dirname, '..');

/** The actor under test and the three steps a cycle is made of. */
function rig(machine: AnyStateMachine) {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => 1_700_000_000_000 + clock.now(), onKill: () => 'die' });
  const actor = createActor(machine.provide({ actors: { child: fake.logic } }), {
    clock, input: { config: programConfig({ startsecs: 0, autorestart: 'true' }), group: 'g' },
  });
  actor.on('*', () => {}); // the daemon's publish listens to every emitted event
  actor.start();
  const expect = (state: string) => { if (actor.getSnapshot().value !== state) throw new Error(`expected ${state}, got ${String(actor.getSnapshot().value)}`); };
  expect('RUNNING');
  const forget = () => { fake.spawns.length = 0; fake.kills.length = 0; };
  const crash = () => { fake.exit('x', { code: 0 }); expect('RUNNING'); forget(); };
  const stop = () => { actor.send({ type: 'STOP' }); expect('STOPPED'); forget(); };
  const start = () => { actor.send({ type: 'START' }); expect('RUNNING'); };
  /** Each step with what must come before it, outside the count. */
  const running = () => { if (actor.getSnapshot().value === 'STOPPED') start(); };
  return { crash: [crash, running], stop: [stop, running], start: [start, () => { if (actor.getSnapshot().value === 'RUNNING') stop(); }] } as const;
}

const gcTimes: number[] = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcTimes.push(e.startTime); }).observe({ entryTypes: ['gc'] });
const tick = () => new Promise((r) => setImmediate(r));

/** Bytes in the young generation, where a step's objects are made (old space shrinks under concurrent sweeping). */
const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;

type Step = readonly [step: () => void, before: () => void];

/** Bytes allocated by a step (median over batches no GC fell in); `before` runs outside the count. */
async function allocated([step, before]: Step, batch = 8, batches = 60): Promise<number> {
  const clean: number[] = [];
  for (let b = 0; b < batches; b++) {
    let bytes = 0;
    gc!();
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      before();
      const h0 = young();
      step();
      bytes += young() - h0;
    }
    const t1 = performance.now();
    await tick();
    if (!gcTimes.some((t) => t >= t0 && t <= t1)) clean.push(bytes / batch);
  }
  if (clean.length < batches / 4) throw new Error(`only ${clean.length} of ${batches} batches ran without a GC`);
  clean.sort((a, b) => a - b);
  if (process.env.SPREAD) console.error(clean.length, clean.map((x) => Math.round(x)).join(" "));
  return clean[clean.length >> 1];
}

/** CPU µs per step over n of them (user + system), GC included. */
function cpu([step, before]: Step, n = 20_000): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    before();
    const c0 = process.cpuUsage();
    step();
    const c = process.cpuUsage(c0);
    total += c.user + c.system;
  }
  return total / n;
}

async function measure(machine: AnyStateMachine): Promise<Record<string, number>> {
  const r = rig(machine);
  for (let i = 0; i < 2000; i++) for (const [step, before] of [r.crash, r.stop, r.start]) { before(); step(); } // warm: V8 has optimized each path
  return {
    crashBytes: await allocated(r.crash), stopBytes: await allocated(r.stop), startBytes: await allocated(r.start),
    crashUs: cpu(r.crash), stopUs: cpu(r.stop), startUs: cpu(r.start),
  };
}

async function load(dir: string): Promise<AnyStateMachine> {
  return ((await import(join(dir, 'machines/process.ts'))) as { processMachine: AnyStateMachine }).processMachine;
}

const machines: [string, AnyStateMachine][] = [['this tree', await load(root)]];
const againstDir = join(root, 'bench/.against');
if (opts.against) {
  rmSync(againstDir, { recursive: true, force: true });
  mkdirSync(againstDir, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${root}" archive "${opts.against}" machines src | tar -x -C "${againstDir}"`]);
  machines.unshift([opts.against, await load(againstDir)]);
}
try {
  const rows: string[] = [];
  const all = new Map<string, Record<string, number>[]>(machines.map(([name]) => [name, []]));
  const kb = (b: number) => (b / 1024).toFixed(1);
  const row = (label: string, name: string, f: Record<string, number>) =>
    `| ${label} | ${name} | ${kb(f.crashBytes)} | ${f.crashUs.toFixed(1)} | ${kb(f.stopBytes)} | ${f.stopUs.toFixed(1)} | ${kb(f.startBytes)} | ${f.startUs.toFixed(1)} |`;
  for (let round = 1; round <= Number(opts.rounds); round++) {
    // Turn about: the machine measured second meets XState's code already used by the other's.
    for (const [name, m] of round % 2 ? machines : [...machines].reverse()) {
      const f = await measure(m);
      all.get(name)!.push(f);
      rows.push(row(String(round), name, f));
      console.error(rows.at(-1));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const [name, fs] of all) rows.push(row('median', name, Object.fromEntries(Object.keys(fs[0]).map((k) => [k, median(fs.map((f) => f[k]))]))));
  console.log(['| round | machine | crash cycle KB | crash cycle µs CPU | stop KB | stop µs CPU | start KB | start µs CPU |', '|--:|---|--:|--:|--:|--:|--:|--:|', ...rows].join('\n'));
} finally {
  rmSync(againstDir, { recursive: true, force: true });
}
