// The getAllProcessInfo client of bench/rpc.ts, in a process of its own: calls back to back
// on one keep-alive connection for SECONDS (at least MIN_CALLS) and prints what it did as
// JSON. In the bench's own process the client's CPU per call swung 0.3–1.0 ms with what the
// bench had done before (its heap, its timers, the daemons' output it reads); here each
// daemon meets the same fresh client.
//   node --import tsx bench/lib/info-client.ts SOCKET SECONDS MIN_CALLS
import { performance } from 'node:perf_hooks';
import { body, Client } from '../rpc.ts';

const [socket, seconds, minCalls] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const c = new Client(socket);
const xml = body('supervisor.getAllProcessInfo');
await c.call(xml); // warm-up: the connection, the JIT
let calls = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000 || calls < minCalls) {
  await c.call(xml);
  calls++;
}
const elapsed = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
c.close();
process.stdout.write(JSON.stringify({ calls, seconds: elapsed, clientMs: (cpu.user + cpu.system) / 1000 }));
