// Spawns per second of /bin/true through startChild, one after another (each started,
// reaped and closed before the next), next to Node's own spawn with 'pipe' stdio.
// Not a test: run `node --import tsx test/runtime/spawn-rate.ts [COUNT]`.
import { spawn } from 'node:child_process';
import { startChild, type ChildSpec } from '../../src/runtime/child.ts';

const count = Number(process.argv[2] ?? 2000);
const env = { PATH: '/usr/bin:/bin' };

async function rate(label: string, once: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 50; i++) await once();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await once();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label}: ${Math.round(count / s)} spawns/s (${((s / count) * 1e3).toFixed(3)} ms each, ${count} runs)`);
}

const viaStartChild = (extra: Partial<ChildSpec>) => async () => {
  const h = startChild({ name: 'true', filename: '/bin/true', argv: ['true'], env, ...extra });
  await h.exited;
  h.close();
};

await rate('node spawn, stdio pipe', () => new Promise((resolve) => {
  spawn('/bin/true', [], { env, stdio: 'pipe', detached: true }).on('close', () => resolve());
}));
await rate('startChild', viaStartChild({}));
await rate('startChild, redirectStderr', viaStartChild({ redirectStderr: true }));
await rate('startChild, deathSignal (setpriv)', viaStartChild({ deathSignal: 'SIGTERM' }));
await rate('startChild, ignorePipeSignals (env)', viaStartChild({ ignorePipeSignals: true }));
