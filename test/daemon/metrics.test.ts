// /metrics on a running daemon, read by Prometheus' own Python client's parser
// (prometheus_client.parser, Debian's python3-prometheus-client): every family and sample
// the README promises, and the daemon under 200 concurrent scrapes.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { pyCalls } from '../rpc/helpers.ts';
import { cleanupAll, freePort, prog, program, section, startDaemon } from './helpers.ts';
import { get, servers } from './http-probe.ts';

const test = suite('daemon/metrics', {}, 90_000);
test.after.each(cleanupAll);

interface Sample { name: string; labels: Record<string, string>; value: number | string }
interface Family { name: string; type: string; samples: Sample[] }

const PARSER = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
# NaN is a valid sample value (an empty summary's quantiles) but not JSON
out = [{"name": f.name, "type": f.type, "samples": [{"name": s.name, "labels": s.labels, "value": s.value if math.isfinite(s.value) else str(s.value)} for s in f.samples]}
       for f in text_string_to_metric_families(sys.stdin.read())]
print(json.dumps(out))
`;

const HAVE_PARSER = spawnSync('/usr/bin/python3', ['-c', 'import prometheus_client.parser'], { encoding: 'utf8' }).status === 0;

/** The exposition parsed strictly: a line it cannot read fails the test with the parser's error. */
function parse(text: string): Family[] {
  const r = spawnSync('/usr/bin/python3', ['-c', PARSER], { input: text, encoding: 'utf8', timeout: 20_000 });
  assert.is(r.status, 0, `prometheus_client cannot parse /metrics: ${r.stderr}\n${text.slice(0, 2000)}`);
  return JSON.parse(r.stdout) as Family[];
}

const samples = (families: Family[], name: string): Sample[] => families.flatMap((f) => f.samples).filter((s) => s.name === name);
const value = (families: Family[], name: string, labels: Record<string, string>): number | undefined => {
  const v = samples(families, name).find((s) => Object.entries(labels).every(([k, want]) => s.labels[k] === want))?.value;
  return typeof v === 'string' ? NaN : v;
};

if (!HAVE_PARSER) {
  if (process.env.CI === 'true') throw new Error('python3-prometheus-client is missing: .ci/run installs it');
  console.warn('SKIPPED daemon/metrics: /usr/bin/python3 has no prometheus_client (apt-get install python3-prometheus-client)');
}

const BODY = (port: number) => [
  servers(port),
  prog('svc', program('sleep-forever.sh')),
  prog('flaky', program('exit-after.sh', 3, 100), { autorestart: true }),
  prog('broken', '/nonexistent/statevisor-test', { startretries: 0 }),
  // never says READY: every event it subscribes to stays in its pool's buffer
  section('eventlistener:deaf', { command: program('sleep-forever.sh'), events: 'PROCESS_STATE', startsecs: 0, buffer_size: 50 }),
].join('\n');

(HAVE_PARSER ? test : test.skip)('every promised family, with its labels and values, in the text format', async () => {
  const port = await freePort();
  const d = await startDaemon(BODY(port));
  await d.waitForLines(/^exited: flaky /, 3, 20_000);
  await d.waitForLine(/^gave up: broken /, 20_000);
  await d.waitForLine(/^success: svc entered RUNNING/, 20_000);
  const r = await get({ port }, '/metrics');
  assert.is(r.status, 200);
  assert.is(r.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  const m = parse(r.body);
  const svc = { group: 'svc', name: 'svc' };
  assert.is(value(m, 'statevisor_process_up', svc), 1);
  assert.is(value(m, 'statevisor_process_up', { group: 'broken', name: 'broken' }), 0);
  const states = samples(m, 'statevisor_process_state').filter((s) => s.labels.name === 'broken');
  assert.equal(states.map((s) => [s.labels.state, s.value]), [['FATAL', 1]], 'one series: the current state');
  assert.ok(value(m, 'statevisor_process_restarts_total', { group: 'flaky', name: 'flaky' })! >= 2, 'flaky restarted');
  assert.is(value(m, 'statevisor_process_restarts_total', svc), undefined, 'svc never restarted');
  const started = value(m, 'statevisor_process_start_time_seconds', svc)!;
  assert.ok(Math.abs(started - Date.now() / 1000) < 300, `start time ${started} is now`);
  const rss = value(m, 'statevisor_process_resident_memory_bytes', svc)!;
  assert.ok(rss > 100_000 && rss < 100_000_000, `a sleep's RSS: ${rss}`);
  assert.ok(value(m, 'statevisor_process_cpu_seconds_total', svc)! >= 0);
  assert.is(value(m, 'statevisor_process_resident_memory_bytes', { group: 'broken', name: 'broken' }), undefined, 'no child, no RSS');
  assert.is(m.find((f) => f.name === 'statevisor_process_cpu_seconds')?.type, 'counter');
  assert.ok(value(m, 'statevisor_events_total', { type: 'PROCESS_STATE_RUNNING' })! >= 2);
  assert.is(value(m, 'statevisor_events_total', { type: 'SUPERVISOR_STATE_CHANGE_RUNNING' }), 1);
  assert.ok(value(m, 'statevisor_listener_pool_buffered_events', { pool: 'deaf' })! >= 5, 'the deaf pool holds events');
  for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_open_fds', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
    assert.ok(samples(m, name).length > 0, `default metric ${name}`);
  }
  assert.equal(samples(m, 'nodejs_active_handles'), [], 'left out: it walks every handle');
  // counted by stat(2) of /proc/self/fd (open-fds.ts): what listing the directory finds, give
  // or take the test's own connections coming and going
  const fds = value(m, 'process_open_fds', {})!;
  assert.ok(Math.abs(fds - readdirSync(`/proc/${d.pid}/fd`).length) <= 4, `process_open_fds ${fds}`);
  await d.stop();
});

// DaemonMetrics renders the state series again only when a process's snapshot changes (or
// a restart is counted): every kind of change must still show at the next scrape.
(HAVE_PARSER ? test : test.skip)('the state series follow each change: a stop, a start, a group removed without a state change', async () => {
  const port = await freePort();
  // nothing restarts by itself here: a restart counted would render the series anew anyway
  const d = await startDaemon([servers(port), prog('svc', program('sleep-forever.sh')), prog('broken', '/nonexistent/statevisor-test', { startretries: 0 })].join('\n'));
  await d.waitForLine(/^success: svc entered RUNNING/, 20_000);
  await d.waitForLine(/^gave up: broken /, 20_000);
  const scrape = async () => parse((await get({ port }, '/metrics')).body);
  const svc = { group: 'svc', name: 'svc' };
  const stateOf = (m: Family[], labels: Record<string, string>) =>
    samples(m, 'statevisor_process_state').filter((s) => s.labels.group === labels.group && s.labels.name === labels.name).map((s) => s.labels.state);
  const running = await scrape();
  assert.equal(stateOf(running, svc), ['RUNNING']);
  assert.equal(stateOf(await scrape(), svc), ['RUNNING'], 'an unchanged tree scrapes the same');
  const url = `http://127.0.0.1:${port}`;
  assert.equal(await pyCalls(url, [['supervisor.stopProcess', ['svc']]]), [{ ok: true }]);
  const stopped = await scrape();
  assert.is(value(stopped, 'statevisor_process_up', svc), 0);
  assert.equal(stateOf(stopped, svc), ['STOPPED']);
  assert.is(value(stopped, 'statevisor_process_resident_memory_bytes', svc), undefined, 'no child, no RSS');
  assert.equal(await pyCalls(url, [['supervisor.startProcess', ['svc']]]), [{ ok: true }]);
  const again = await scrape();
  assert.is(value(again, 'statevisor_process_up', svc), 1);
  assert.is(value(again, 'statevisor_process_restarts_total', svc), 1);
  assert.ok(value(again, 'statevisor_process_start_time_seconds', svc)! > value(running, 'statevisor_process_start_time_seconds', svc)!, 'a later start time');
  // broken is FATAL already: removing its group changes no process's state
  assert.equal(await pyCalls(url, [['supervisor.removeProcessGroup', ['broken']]]), [{ ok: true }]);
  const removed = await scrape();
  assert.equal(stateOf(removed, { group: 'broken', name: 'broken' }), [], 'a removed group leaves no series');
  assert.equal(stateOf(removed, svc), ['RUNNING']);
  await d.stop();
});

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

(HAVE_PARSER ? test : test.skip)('200 concurrent scrapes: every one answered whole, the daemon lives on, its RSS stays flat', async () => {
  const port = await freePort();
  const d = await startDaemon(BODY(port));
  await d.waitForLine(/^success: svc entered RUNNING/, 20_000);
  const round = async () => {
    const replies = await Promise.all(Array.from({ length: 200 }, () => get({ port }, '/metrics')));
    for (const r of replies) {
      assert.is(r.status, 200);
      assert.ok(r.body.endsWith('\n') && r.body.includes('statevisor_process_up{group="svc",name="svc"} 1'), r.body.slice(-300));
    }
    return replies;
  };
  const first = await round();
  for (const r of first.slice(0, 3)) parse(r.body);
  const before = rssOf(d.pid);
  for (let i = 0; i < 5; i++) await round();
  const after = rssOf(d.pid);
  assert.ok(after < before + 30 * 1024 * 1024, `RSS ${before} → ${after} after 1,000 more scrapes`);
  assert.is(d.exited, null);
  assert.is((await get({ port }, '/healthz')).status, 200);
  assert.equal(await d.stop(), { code: 0, signal: null });
});

test.run();
