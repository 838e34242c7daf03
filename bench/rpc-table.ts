// The XML-RPC table of the bench: both daemons through bench/rpc.ts, one after the other.
import type { Both } from './run.ts';
import { infoRate, startLatency } from './rpc.ts';
import { fmt, ratio, table } from './lib/stats.ts';

const CLIENTS = 20;

export async function rpcTable(both: Both, quick: boolean): Promise<string> {
  const seconds = quick ? 3 : 8;
  const r200 = await both('getAllProcessInfo, 200 programs', (k) => infoRate(k, 200, seconds));
  const r1000 = await both('getAllProcessInfo, 1,000 programs', (k) => infoRate(k, 1000, seconds), quick ? ['statevisord'] : undefined);
  const lat = await both(`startProcess(wait=false), ${CLIENTS} clients`, (k) => startLatency(k, CLIENTS, quick ? 10 : 25));
  // rates are higher-is-better: ratio() compares their inverses
  const inv = (x: number | undefined) => (x === undefined ? undefined : 1 / x);
  const rows = [
    ['getAllProcessInfo calls/s, 200 running, 1 client', fmt(r200.statevisord?.perSecond, 1, '/s'), fmt(r200.supervisord?.perSecond, 1, '/s'), ratio(inv(r200.statevisord?.perSecond), inv(r200.supervisord?.perSecond), 'faster', 'slower'), '≥ 2,000/s'],
    ['  daemon CPU per call', fmt(r200.statevisord?.cpuMsPerCall, 2, 'ms'), fmt(r200.supervisord?.cpuMsPerCall, 2, 'ms'), ratio(r200.statevisord?.cpuMsPerCall, r200.supervisord?.cpuMsPerCall, 'less', 'more'), ''],
    ['  client CPU per call (its own process)', fmt(r200.statevisord?.clientMsPerCall, 2, 'ms'), fmt(r200.supervisord?.clientMsPerCall, 2, 'ms'), '', ''],
    ['getAllProcessInfo calls/s, 1,000 running, 1 client', fmt(r1000.statevisord?.perSecond, 1, '/s'), fmt(r1000.supervisord?.perSecond, 1, '/s'), ratio(inv(r1000.statevisord?.perSecond), inv(r1000.supervisord?.perSecond), 'faster', 'slower'), '≥ 300/s'],
    ['  daemon CPU per call', fmt(r1000.statevisord?.cpuMsPerCall, 2, 'ms'), fmt(r1000.supervisord?.cpuMsPerCall, 2, 'ms'), ratio(r1000.statevisord?.cpuMsPerCall, r1000.supervisord?.cpuMsPerCall, 'less', 'more'), ''],
    ['  client CPU per call (its own process)', fmt(r1000.statevisord?.clientMsPerCall, 2, 'ms'), fmt(r1000.supervisord?.clientMsPerCall, 2, 'ms'), '', ''],
    [`startProcess(wait=false) p99, ${CLIENTS} clients`, fmt(lat.statevisord?.p99Ms, 1, 'ms'), fmt(lat.supervisord?.p99Ms, 1, 'ms'), ratio(lat.statevisord?.p99Ms, lat.supervisord?.p99Ms, 'faster', 'slower'), ''],
    ['  p50', fmt(lat.statevisord?.p50Ms, 1, 'ms'), fmt(lat.supervisord?.p50Ms, 1, 'ms'), ratio(lat.statevisord?.p50Ms, lat.supervisord?.p50Ms, 'faster', 'slower'), ''],
    ['  max', fmt(lat.statevisord?.maxMs, 1, 'ms'), fmt(lat.supervisord?.maxMs, 1, 'ms'), ratio(lat.statevisord?.maxMs, lat.supervisord?.maxMs, 'faster', 'slower'), ''],
    ['  calls/s, all clients together', fmt(lat.statevisord?.perSecond, 1, '/s'), fmt(lat.supervisord?.perSecond, 1, '/s'), ratio(inv(lat.statevisord?.perSecond), inv(lat.supervisord?.perSecond), 'faster', 'slower'), ''],
  ];
  const notes = [
    ...[r200, r1000].flatMap((r) => Object.values(r).map((x) => `getAllProcessInfo, ${x!.n} programs, ${x!.kind}: ${x!.calls} calls in ${x!.seconds.toFixed(1)} s, ${(x!.bytes / 1024).toFixed(0)} KiB per reply.`)),
    ...Object.values(lat).map((x) => `startProcess, ${x!.kind}: ${x!.calls} calls, ${x!.faults} of them faults (ALREADY_STARTED: the program had not exited yet).`),
  ];
  return `${table(['measure', 'statevisord', 'supervisord', 'statevisord vs supervisord', 'target'], rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}`;
}
