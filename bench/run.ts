// statevisord beside supervisord 4.2.5, on identical generated configs, observed from
// outside (main log lines, /proc, signals). Prints a table and rewrites bench/README.md.
//
//   npm run bench                      the table (a few minutes)
//   npm run bench -- --quick           fewer cycles, shorter idle window, no 1,000 for supervisord
//   npm run bench -- --flags [--flags-n=N]   RSS and CPU of statevisord under Node/V8 flags
//   npm run bench -- --heap            heap snapshot of statevisord with 1,000 programs, by class
//   npm run bench -- --profile[=N]     statevisord's CPU profile: launch and stop of N (1,000), crash cycles
//   npm run bench -- --only=crash,200,1000,config,events   a subset of the main table (events: its own table)
//   npm run bench -- --only=capture    256 MB through a child's stdout into its log file
//   npm run bench -- --only=rpc        the XML-RPC table alone (getAllProcessInfo rate, startProcess latency)
//   npm run bench -- --only=soak [--minutes=M]   300 flapping programs for M minutes (10) on each: RSS and fds every 30 s
//   npm run bench -- --only=lifecycle  a chain of 50 with tcp ready checks; idle CPU with 200 health-checked programs
//   npm run bench -- --only=metrics    a /metrics scrape at 1,000 programs: daemon CPU and latency
//   npm run bench -- --only=scaling    N = 10 … 2,000 sleepers: launch, RSS and stopAllProcesses per N
//   npm run bench -- --web[=N]         the web page in Chromium with N programs (1,000): first render, Restart all
//   npm run bench -- --no-readme       leave bench/README.md alone
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureTable } from './capture-table.ts';
import { crashCycle, fleet, haveSupervisord, spawnFloor, type CrashResult, type FleetResult } from './cases.ts';
import { exitLatency, throughput } from './events.ts';
import { describeFloor, freshNodeFloor, pythonFloor } from './events-floor.ts';
import { lifecycleTable } from './lifecycle-table.ts';
import { VARIANTS, flagTable, runFlags } from './flags.ts';
import { metricsTable } from './metrics-table.ts';
import { scalingTable } from './scaling.ts';
import { profile } from './profile.ts';
import { rpcTable } from './rpc-table.ts';
import { soak, soakTable } from './soak.ts';
import { webPage, webTable } from './web.ts';
import { CRASH_MS } from './lib/configs.ts';
import { armCleanup, ROOT, type Kind } from './lib/daemon.ts';
import { formatSummary, summarize } from './lib/heapsnapshot.ts';
import { machine } from './lib/proc.ts';
import { writeReadme, type Sections } from './lib/readme.ts';
import { fmt, mb, median, ratio, table } from './lib/stats.ts';

interface Options { quick: boolean; flags: boolean; flagsN: number; heap: boolean; profile: number; web: number; only: Set<string>; readme: boolean; minutes: number }

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, flags: false, flagsN: 1000, heap: false, profile: 0, web: 0, only: new Set(['crash', '200', '1000', 'config', 'events', 'capture', 'rpc', 'lifecycle']), readme: true, minutes: 10 };
  for (const a of argv) {
    if (a === '--quick') o.quick = true;
    else if (a === '--flags') o.flags = true;
    else if (a.startsWith('--flags-n=')) o.flagsN = Number(a.slice(10));
    else if (a === '--heap') o.heap = true;
    else if (a === '--profile') o.profile = 1000;
    else if (a.startsWith('--profile=')) o.profile = Number(a.slice(10));
    else if (a === '--web') o.web = 1000;
    else if (a.startsWith('--web=')) o.web = Number(a.slice(6));
    else if (a === '--no-readme') o.readme = false;
    else if (a.startsWith('--minutes=')) o.minutes = Number(a.slice(10));
    else if (a.startsWith('--only=')) o.only = new Set(a.slice(7).split(',').filter(Boolean));
    else throw new Error(`unknown option ${a} (see the head of bench/run.ts)`);
  }
  return o;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

/** dist/ is what bin/statevisord runs: say so when a source file is newer than the build. */
function staleBuild(): string | null {
  // the bundle bin/statevisord runs (scripts/build-daemon.ts), made last by the build
  const r = spawnSync('find', ['src', 'machines', '-name', '*.ts', '-newer', 'dist/bundle/statevisord.js'], { cwd: ROOT, encoding: 'utf8' });
  try { statSync(join(ROOT, 'dist/bundle/statevisord.js')); } catch { return 'dist/ is missing: run `npm run build` first'; }
  const newer = r.stdout.trim().split('\n').filter(Boolean);
  return newer.length ? `dist/ is older than ${newer.length} source file(s) (${newer.slice(0, 3).join(', ')}…): run \`npm run build\`` : null;
}

export type Both = <T>(what: string, run: (k: Kind) => Promise<T>, kinds?: Kind[]) => Promise<Partial<Record<Kind, T>>>;

async function both<T>(what: string, run: (k: Kind) => Promise<T>, kinds: Kind[] = ['statevisord', 'supervisord']): Promise<Partial<Record<Kind, T>>> {
  const out: Partial<Record<Kind, T>> = {};
  for (const k of kinds) {
    if (k === 'supervisord' && !haveSupervisord()) { log(`  ${what}: no /usr/bin/supervisord, skipped`); continue; }
    log(`  ${what}: ${k} …`);
    try {
      out[k] = await run(k);
    } catch (e) {
      log(`  ${what}: ${k} FAILED: ${(e as Error).message}`);
    }
  }
  return out;
}

async function repeat<T>(times: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(await fn());
  return out;
}

function mergeCrash(runs: CrashResult[]): CrashResult {
  const cycleMs = runs.flatMap((r) => r.cycleMs);
  return { cycles: cycleMs.length, cycleMs, overheadMs: median(cycleMs) - CRASH_MS, reactMs: median(runs.map((r) => r.reactMs)) };
}

/** The full run's memory and idle figures, with the launch and stop figures' medians over all runs. */
function medianLaunch(full: FleetResult, more: FleetResult[]): FleetResult {
  const all = [full, ...more];
  const med = (get: (r: FleetResult) => number) => median(all.map(get));
  return { ...full, launchMs: med((r) => r.launchMs), lastSpawnedMs: med((r) => r.lastSpawnedMs), launchCpuS: med((r) => r.launchCpuS), stopMs: med((r) => r.stopMs), runs: all.length };
}

function configLoad(): string | null {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'config-load.ts')], { cwd: ROOT, encoding: 'utf8', timeout: 300000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  armCleanup();
  const m = machine();
  const stale = staleBuild();
  if (stale) log(`warning: ${stale}`);
  const started = new Date();
  log(`bench: ${m.nproc} × ${m.model}, node ${m.node}, python ${m.python}, supervisor ${m.supervisor}, load ${m.load}`);
  const cycles = o.quick ? 15 : 30;
  const idle = o.quick ? 10 : 20;
  const sections: Sections = {};
  /** A table that is its own case: measured when --only names it, printed, kept for the README. */
  const tableOf = async (name: 'capture' | 'rpc' | 'lifecycle' | 'scaling' | 'metrics', make: (b: Both, quick: boolean) => Promise<string>) => {
    if (!o.only.has(name)) return;
    sections[name] = await make(both, o.quick);
    process.stdout.write(`\n${sections[name]}\n`);
  };

  let crash: Partial<Record<Kind, CrashResult>> = {};
  let floor: { node: number; python: number } | null = null;
  if (o.only.has('crash')) {
    // statevisord's turns are cheap: three runs, the median over all their cycles.
    crash = await both('crash → restart', async (k) => (k === 'statevisord' ? mergeCrash(await repeat(3, () => crashCycle(k, cycles))) : crashCycle(k, cycles)));
    floor = { node: spawnFloor('node', cycles), python: spawnFloor('python', cycles) };
  }
  let f200: Partial<Record<Kind, FleetResult>> = {};
  if (o.only.has('200')) {
    f200 = await both('200 programs', async (k) => {
      const full = await fleet(k, 200, { settleMs: 5000, idleSeconds: idle });
      if (k !== 'statevisord') return full;
      // Launch and stop again twice (no idle wait) and keep the medians: spawn-bound rows are noisy.
      const more = await repeat(2, () => fleet(k, 200, { settleMs: 0, idleSeconds: 0 }));
      return medianLaunch(full, more);
    });
  }
  let f1000: Partial<Record<Kind, FleetResult>> = {};
  if (o.only.has('1000')) {
    f1000 = await both('1,000 programs', (k) => fleet(k, 1000, { settleMs: 5000, idleSeconds: idle }), o.quick ? ['statevisord'] : undefined);
  }

  const rows: string[][] = [];
  const row = (what: string, ours: number | null | undefined, theirs: number | null | undefined, digits: number, unit: string, words: [string, string], target = '') => {
    rows.push([what, fmt(ours, digits, unit), fmt(theirs, digits, unit), ratio(ours, theirs, ...words), target]);
  };
  const T: [string, string] = ['faster', 'slower'];
  const M: [string, string] = ['smaller', 'larger'];
  const C: [string, string] = ['less', 'more'];
  const s = (k: Kind, f: Partial<Record<Kind, FleetResult>>, get: (r: FleetResult) => number | null) => (f[k] ? get(f[k]!) : null);
  if (o.only.has('crash')) {
    row(`crash → restart overhead (median cycle, minus ${CRASH_MS} ms)`, crash.statevisord?.overheadMs, crash.supervisord?.overheadMs, 1, 'ms', T, '≤ 2 ms');
    row('  of which exit → respawn (exited: → spawned: stamps)', crash.statevisord?.reactMs, crash.supervisord?.reactMs, 1, 'ms', T);
  }
  if (o.only.has('200')) {
    row('launch to 200 RUNNING (startsecs=1)', s('statevisord', f200, (r) => r.launchMs / 1000), s('supervisord', f200, (r) => r.launchMs / 1000), 2, 's', T, '≤ 1.3 s, ≤ 0.6×');
    row('  of which exec → 200th spawned:', s('statevisord', f200, (r) => r.lastSpawnedMs / 1000), s('supervisord', f200, (r) => r.lastSpawnedMs / 1000), 2, 's', T);
    row('  daemon CPU to get there', s('statevisord', f200, (r) => r.launchCpuS), s('supervisord', f200, (r) => r.launchCpuS), 2, 's', C);
    row('stop all, 200 running (SIGTERM → exit)', s('statevisord', f200, (r) => r.stopMs / 1000), s('supervisord', f200, (r) => r.stopMs / 1000), 2, 's', T);
    row('RSS, 200 running, 5 s idle', s('statevisord', f200, (r) => mb(r.rssKb)), s('supervisord', f200, (r) => mb(r.rssKb)), 1, 'MB', M, '≤ 60 MB');
    row('  of which private (RssAnon)', s('statevisord', f200, (r) => mb(r.rssAnonKb)), s('supervisord', f200, (r) => mb(r.rssAnonKb)), 1, 'MB', M);
    row(`  RSS after ${5 + idle} s idle`, s('statevisord', f200, (r) => mb(r.rssLateKb)), s('supervisord', f200, (r) => mb(r.rssLateKb)), 1, 'MB', M);
    row(`idle CPU, 200 running (${idle} s)`, s('statevisord', f200, (r) => r.idleCpuPct), s('supervisord', f200, (r) => r.idleCpuPct), 2, '%', C);
  }
  if (o.only.has('1000')) {
    row('RSS, 1,000 running, 5 s idle', s('statevisord', f1000, (r) => mb(r.rssKb)), s('supervisord', f1000, (r) => mb(r.rssKb)), 1, 'MB', M, '≤ 80 MB');
    row('  of which private (RssAnon)', s('statevisord', f1000, (r) => mb(r.rssAnonKb)), s('supervisord', f1000, (r) => mb(r.rssAnonKb)), 1, 'MB', M);
    row(`  RSS after ${5 + idle} s idle`, s('statevisord', f1000, (r) => mb(r.rssLateKb)), s('supervisord', f1000, (r) => mb(r.rssLateKb)), 1, 'MB', M);
    row(`idle CPU, 1,000 running (${idle} s)`, s('statevisord', f1000, (r) => r.idleCpuPct), s('supervisord', f1000, (r) => r.idleCpuPct), 2, '%', C);
    row('launch to 1,000 RUNNING', s('statevisord', f1000, (r) => r.launchMs / 1000), s('supervisord', f1000, (r) => r.launchMs / 1000), 1, 's', T, '≤ 2.5 s, ≤ 0.35×');
    row('stop all, 1,000 running', s('statevisord', f1000, (r) => r.stopMs / 1000), s('supervisord', f1000, (r) => r.stopMs / 1000), 2, 's', T);
  }
  const main = table(['measure', 'statevisord', 'supervisord', 'statevisord vs supervisord', 'target'], rows);
  const notes: string[] = [];
  if (crash.statevisord) notes.push(`crash → restart: statevisord ${crash.statevisord.cycles} cycles over 3 runs, supervisord ${crash.supervisord?.cycles ?? 0} in one.`);
  if (f200.statevisord?.runs) notes.push(`200 programs: statevisord's launch, CPU and stop rows are medians of ${f200.statevisord.runs} runs; every other figure is from one run of each daemon.`);
  notes.push(`Load average (1, 5, 15 min) at the start ${m.load}, at the end ${machine().load}.`);
  if (floor !== null) {
    notes.push(`The floor for the crash → restart row, the same 50 ms program run back to back with nothing else to do: ${fmt(floor.python, 2, 'ms')} per cycle over the 50 ms for Python's posix_spawn and a blocking waitpid, ${fmt(floor.node, 2, 'ms')} for a bare Node script (child_process.spawn → 'exit' → spawn). Most of it is the program's own exec, start and exit.`);
  }
  for (const f of [f200, f1000]) for (const r of Object.values(f)) if (r && r.leftBehind) notes.push(`${r.kind} left ${r.leftBehind} of ${r.n} children running after it exited.`);
  if (rows.length) {
    sections.main = `${main}\n\n${notes.map((n) => `- ${n}`).join('\n')}`.trim();
    process.stdout.write(`\n${sections.main}\n`);
  }

  if (o.only.has('events')) {
    const n = o.quick ? 500 : 2000;
    const cycles = o.quick ? 10 : 20;
    const tp = await both(`${n} events through one listener`, (k) => throughput(k, n));
    // The same past the JIT's warm-up, which 2,000 events on a fresh daemon are mostly made of.
    const long = 20_000;
    const tpLong = o.quick ? {} : await both(`${long} events through one listener`, (k) => throughput(k, long));
    const lat = await both('exit → listener holds PROCESS_STATE_EXITED', (k) => exitLatency(k, cycles));
    const rowsE: string[][] = [];
    const rowE = (what: string, ours: number | undefined, theirs: number | undefined, digits: number, unit: string, words: [string, string], higherIsBetter = false) =>
      rowsE.push([what, fmt(ours, digits, unit), fmt(theirs, digits, unit), higherIsBetter ? ratio(theirs, ours, ...words) : ratio(ours, theirs, ...words)]);
    rowE(`events per second, one listener that acknowledges at once (${n} REMOTE_COMMUNICATION)`, tp.statevisord?.perSecond, tp.supervisord?.perSecond, 0, '/s', ['more', 'fewer'], true);
    rowE('  listener started → it holds the last one', tp.statevisord?.totalMs, tp.supervisord?.totalMs, 0, 'ms', ['faster', 'slower']);
    rowE('  daemon CPU per event, listener started → last one', tp.statevisord?.cpuUsPerEvent ?? undefined, tp.supervisord?.cpuUsPerEvent ?? undefined, 0, 'µs', ['less', 'more']);
    if (!o.quick) {
      rowE(`events per second, the same with ${long} events`, tpLong.statevisord?.perSecond, tpLong.supervisord?.perSecond, 0, '/s', ['more', 'fewer'], true);
      rowE('  daemon CPU per event', tpLong.statevisord?.cpuUsPerEvent ?? undefined, tpLong.supervisord?.cpuUsPerEvent ?? undefined, 0, 'µs', ['less', 'more']);
    }
    rowE(`child exits → listener holds PROCESS_STATE_EXITED (median of ${cycles})`, lat.statevisord?.medianMs, lat.supervisord?.medianMs, 1, 'ms', ['faster', 'slower']);
    rowE('  worst of those', lat.statevisord?.maxMs, lat.supervisord?.maxMs, 1, 'ms', ['faster', 'slower']);
    // The protocol's daemon side alone, with the same listener: what a Node daemon, and any daemon, can reach here.
    const floors: string[] = [];
    for (const size of o.quick ? [n] : [n, long]) floors.push(describeFloor('bare Node', freshNodeFloor(size)), describeFloor('plain Python', await pythonFloor(size)));
    const floorNote = `- The floor (bench/events-floor.ts: the daemon's side of the protocol alone, the same listener, in the same run): ${floors.join('; ')}.`;
    sections.events = `${table(['measure', 'statevisord', 'supervisord', 'statevisord vs supervisord'], rowsE)}\n\n${floorNote}`;
    process.stdout.write(`\n${sections.events}\n`);
  }

  if (o.only.has('config') && !o.quick) {
    const c = configLoad();
    if (c) { sections.config = `\`\`\`\n${c}\n\`\`\``; process.stdout.write(`\n${c}\n`); }
  }
  for (const [name, make] of [['capture', captureTable], ['rpc', rpcTable]] as const) await tableOf(name, make);
  if (o.only.has('soak')) {
    const n = 300;
    const results = await both(`soak: ${n} flapping programs, ${o.minutes} min`, (k) => soak(k, n, o.minutes, log));
    sections.soak = soakTable(results, o.minutes, n);
    process.stdout.write(`\n${sections.soak}\n`);
  }
  for (const [name, make] of [['lifecycle', lifecycleTable], ['scaling', scalingTable], ['metrics', metricsTable]] as const) await tableOf(name, make);
  if (o.flags) {
    log(`flags: statevisord with ${o.flagsN} programs under ${VARIANTS.length} sets of flags`);
    const rowsF = await runFlags(o.flagsN, VARIANTS, log);
    sections.flags = `${o.flagsN} programs, RSS read 5 s and 30 s after the last \`success:\` (idle CPU is the 25 s between, and includes the one-off GC of V8's memory reducer where it ran); the V8 figures come from a preloaded probe (bench/lib/probe.mjs) after that; "RSS after full GC" is the same daemon right after a forced full GC.\n\n${flagTable(rowsF)}`;
    process.stdout.write(`\n${sections.flags}\n`);
  }
  if (o.heap) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-heap-'));
    try {
      log('heap: statevisord with 1,000 programs, heap snapshot …');
      const r = await fleet('statevisord', 1000, { settleMs: 5000, idleSeconds: 0, heapSnapshotDir: dir });
      log('heap: analysing …');
      const h = summarize(r.heapSnapshot!);
      sections.heap = `1,000 programs, idle, RSS ${fmt(mb(r.rssKb), 1, 'MB')} when the snapshot was taken.\n\n\`\`\`\n${formatSummary(h, 25, { n: 1000, label: 'program' })}\n\`\`\``;
      process.stdout.write(`\n${sections.heap}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (o.profile > 0) {
    const p = await profile(o.profile, log);
    sections.profile = `statevisord under \`--cpu-prof --cpu-prof-interval=250\` (the profiler slows it down; shares matter more than times). Samples are wall-clock time on the main thread: time blocked in a synchronous call (spawn() waits for the child's exec) counts, idle time in the event loop does not.\n\n\`\`\`\n${p}\n\`\`\``;
    process.stdout.write(`\n${p}\n`);
  }
  if (o.web > 0) {
    log(`web: the page with ${o.web} programs in Chromium …`);
    sections.web = webTable(await webPage(o.web));
    process.stdout.write(`\n${sections.web}\n`);
  }
  if (o.readme) writeReadme(sections, m, started, { quick: o.quick, stale });
}

await main();
