// The stop rows alone, for work on the stop path (not part of `npm run bench`): N `sleep`
// programs as in bench/scaling.ts (startsecs=1, each its own group), 1 s after the N-th
// `success:`, either one `supervisor.stopAllProcesses` call (wait=true, request → reply,
// the daemon's utime+stime over it, as the scaling table) or SIGTERM to the daemon (→ its
// exit; its CPU is the last reading of /proc/<pid>/stat, polled every 2 ms).
//   node --import tsx bench/stop-all.ts [--n=1000] [--runs=3] [--how=rpc|term] [--kind=supervisord]
//     [--warm=K]        K stopAllProcesses + startAllProcesses before the measured one (rpc)
//     [--profile]       statevisord under --cpu-prof: the stop window's profile, summed
//     [--trace-jit]     TurboFan compiles, deopts and GCs during launch, idle and the stop
//     [--heap-sample]   what the stop allocates, per program, by function (the daemon's inspector)
//     [--node-flags='…'] more Node/V8 flags for statevisord
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { limitsFor, sleepers } from './lib/configs.ts';
import { CpuProfile, formatRows } from './lib/cpuprofile.ts';
import { armCleanup, withDaemon, type Daemon, type Kind } from './lib/daemon.ts';
import { cpuSeconds } from './lib/proc.ts';
import { body, Client, RPC, socketOf } from './rpc.ts';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const flag = (name: string) => process.argv.includes(`--${name}`);
const n = Number(arg('n', '1000'));
const runs = Number(arg('runs', '3'));
const how = arg('how', 'rpc');
const kind = arg('kind', 'statevisord') as Kind;
const warm = Number(arg('warm', '0'));
const us = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const cpuMs = (pid: number) => (cpuSeconds(pid) ?? NaN) * 1000;

/** The daemon's stdout and stderr beyond its main log (Daemon keeps its own copy of neither). */
const streamsOf = (d: Daemon) => d as unknown as { child: { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream } };

/** --trace-jit: counts of V8's trace lines by phase (launch, idle, stop). */
class JitTrace {
  phase = 'launch';
  private readonly counts = new Map<string, number>();
  constructor(d: Daemon) {
    streamsOf(d).child.stdout.on('data', (chunk: Buffer | string) => {
      for (const l of String(chunk).split('\n')) {
        const m = /^\[(compiling method|bailout)/.exec(l);
        if (m) this.add(m[1], 1);
        const g = /ms: (Scavenge|Mark-Compact)[^,]*?, (\d+\.\d+) \/ \d+\.\d+ ms/.exec(l);
        if (g) {
          this.add(`${g[1]} count`, 1);
          this.add(`${g[1]} ms`, Number(g[2]));
        }
      }
    });
  }
  private add(what: string, by: number) {
    const key = `${this.phase}: ${what}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }
  report(): string {
    return [...this.counts].sort().map(([k, v]) => `  ${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`).join('\n');
  }
}

interface ProfileNode { callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; selfSize: number; children: ProfileNode[] }

/** --heap-sample: the daemon's sampling heap profiler, over its inspector, around the stop. */
async function heapSampler(d: Daemon): Promise<() => Promise<string>> {
  let stderr = '';
  const url = await new Promise<string>((resolve) => {
    const look = (c: Buffer | string) => {
      stderr += String(c);
      const m = /ws:\/\/\S+/.exec(stderr);
      if (m) resolve(m[0]);
    };
    streamsOf(d).child.stderr.on('data', look);
  });
  const ws = new WebSocket(url);
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  const post = <T>(method: string, params: object = {}) => new Promise<T>((resolve) => {
    const mine = ++id;
    const on = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as { id?: number; result: T };
      if (m.id === mine) {
        ws.off('message', on);
        resolve(m.result);
      }
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ id: mine, method, params }));
  });
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    const { profile } = await post<{ profile: { head: ProfileNode } }>('HeapProfiler.stopSampling');
    ws.close();
    const self = new Map<string, number>();
    let all = 0;
    const walk = (node: ProfileNode) => {
      const f = node.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
      all += node.selfSize;
      if (node.selfSize) self.set(name, (self.get(name) ?? 0) + node.selfSize);
      for (const c of node.children) walk(c);
    };
    walk(profile.head);
    const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `  ${(v / n).toFixed(0).padStart(6)} B  ${k}`);
    return [`allocated ${(all / n / 1024).toFixed(1)} KB per program`, ...rows].join('\n');
  };
}

interface Outcome { ms: number; cpuMs: number; window: [number, number]; notes: string[] }

async function once(profileDir: string | null): Promise<Outcome> {
  const nodeFlags = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=100'] : []),
    ...(flag('trace-jit') ? ['--trace-opt', '--trace-deopt', '--trace-gc'] : []),
    ...(flag('heap-sample') ? ['--inspect=127.0.0.1:0'] : []),
    ...arg('node-flags', '').split(' ').filter(Boolean),
  ];
  return withDaemon({ kind, programs: `${RPC}\n${sleepers(n)}`, nodeFlags, ...limitsFor(n) }, async (d) => {
    const jit = flag('trace-jit') ? new JitTrace(d) : null;
    const sampling = flag('heap-sample') ? heapSampler(d) : null;
    await d.waitFor(/^success: /, n, 60000 + n * (kind === 'supervisord' ? 600 : 150));
    if (jit) jit.phase = 'idle';
    await sleep(1000);
    const notes: string[] = [];
    if (how === 'term') {
      if (jit) jit.phase = 'stop';
      const cpu0 = cpuMs(d.pid);
      const w0 = us();
      const t = performance.now();
      d.signal('SIGTERM');
      let last = cpu0;
      let gone = false;
      void d.exited.then(() => { gone = true; });
      while (!gone) {
        last = cpuMs(d.pid) || last;
        await sleep(2);
      }
      const { t: end } = await d.exited;
      if (jit) notes.push(jit.report());
      return { ms: end - t, cpuMs: last - cpu0, window: [w0, us()], notes };
    }
    const c = new Client(socketOf(d));
    try {
      for (let k = 0; k < warm; k++) {
        const c0 = cpuMs(d.pid);
        const t0 = performance.now();
        await c.call(body('supervisor.stopAllProcesses', ['<boolean>1</boolean>']));
        notes.push(`warm-up stop ${k + 1}: ${(performance.now() - t0).toFixed(0)} ms, daemon CPU ${(cpuMs(d.pid) - c0).toFixed(0)} ms`);
        await c.call(body('supervisor.startAllProcesses', ['<boolean>1</boolean>']));
        await sleep(1000);
      }
      const sampler = sampling ? await sampling : null;
      if (jit) jit.phase = 'stop';
      const cpu0 = cpuMs(d.pid);
      const w0 = us();
      const t = performance.now();
      const reply = (await c.call(body('supervisor.stopAllProcesses', ['<boolean>1</boolean>']))).toString('utf8');
      const ms = performance.now() - t;
      const w1 = us();
      const cpu = cpuMs(d.pid) - cpu0;
      const stopped = reply.split('<name>description</name>').length - 1;
      if (stopped !== n || reply.includes('<fault>')) throw new Error(`stopAllProcesses answered ${stopped} of ${n}: ${reply.slice(0, 300)}`);
      if (sampler) notes.push(await sampler());
      if (jit) notes.push(jit.report());
      if (profileDir) {
        // the profile is written as the daemon exits
        d.signal('SIGTERM');
        await d.exited;
      }
      return { ms, cpuMs: cpu, window: [w0, w1], notes };
    } finally {
      c.close();
    }
  });
}

const ours = (f: { url: string }) => /\/(dist|src|machines)\//.test(f.url) || /node_modules\/xstate/.test(f.url);

armCleanup();
for (let i = 0; i < runs; i++) {
  const dir = flag('profile') ? mkdtempSync(join(tmpdir(), 'bench-stopprof-')) : null;
  try {
    const r = await once(dir);
    console.log(`${kind} ${how} n=${n}: ${r.ms.toFixed(0)} ms, daemon CPU ${r.cpuMs.toFixed(0)} ms (load ${(await import('node:os')).loadavg()[0].toFixed(2)})`);
    for (const note of r.notes) console.log(note);
    if (dir) {
      const p = new CpuProfile(join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!), r.window);
      console.log(`${p.busyMs.toFixed(0)} ms not idle of ${p.totalMs.toFixed(0)} sampled`);
      console.log(formatRows('self time by function', p.selfByFunction(30)));
      console.log(formatRows('inclusive time, statevisor and xstate frames', p.inclusive(ours, 40)));
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
