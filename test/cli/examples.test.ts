// The deployment examples stay correct: examples/container.conf loads in statevisord and in
// supervisor's own option parser, the systemd unit passes `systemd-analyze verify`, and the
// Kubernetes Deployment probes the daemon's endpoints on the port the config serves.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const CONTAINER_CONF = join(EXAMPLES, 'container.conf');
const env = { ...process.env, STATEVISOR_PASSWORD: 'secret' };
const python = (code: string) => spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', env, timeout: 20_000 });

const test = suite('examples', {}, 30_000);

test('container.conf: statevisord loads it with exit_on and open_probes', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/statevisord'), '--print-config', '-c', CONTAINER_CONF], { encoding: 'utf8', env, timeout: 20_000 });
  const json = JSON.parse(r.stdout) as { ok: boolean; statevisor: { supervisord: { open_probes: boolean }; groups: Record<string, { processes: Record<string, { exit_on: string }> }> } };
  assert.is(json.ok, true, r.stdout);
  assert.is(json.statevisor.supervisord.open_probes, true);
  assert.equal([json.statevisor.groups.migrate.processes.migrate.exit_on, json.statevisor.groups.web.processes.web.exit_on], ['unexpected', 'fatal']);
});

const HAVE_SUPERVISOR = python('import supervisor.options').status === 0;
if (!HAVE_SUPERVISOR && process.env.CI === 'true') throw new Error("supervisor's Python package is missing: .ci/run installs it");

(HAVE_SUPERVISOR ? test : test.skip)("container.conf: supervisor's own ServerOptions loads it", () => {
  const r = python(`from supervisor.options import ServerOptions
o = ServerOptions(); o.realize(['-c', ${JSON.stringify(CONTAINER_CONF)}])
print(','.join(g.name for g in o.process_group_configs), o.server_configs[0]['port'])`);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), 'migrate,web 9001');
});

const HAVE_SYSTEMD_ANALYZE = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!HAVE_SYSTEMD_ANALYZE) console.warn('SKIPPED "statevisord.service passes systemd-analyze verify": no systemd-analyze here');

(HAVE_SYSTEMD_ANALYZE ? test : test.skip)('statevisord.service passes systemd-analyze verify (the binary aside)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statevisor-unit-'));
  try {
    const unit = readFileSync(join(EXAMPLES, 'statevisord.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/local\/bin\/statevisord -n -c /m);
    // verify also checks that ExecStart exists: point it at one that does
    writeFileSync(join(dir, 'statevisord.service'), unit.replace('/usr/local/bin/statevisord', join(ROOT, 'bin/statevisord')));
    const r = spawnSync('systemd-analyze', ['verify', join(dir, 'statevisord.service')], { encoding: 'utf8', timeout: 20_000 });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stderr.trim(), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const HAVE_YAML = python('import yaml').status === 0;
if (!HAVE_YAML) console.warn('SKIPPED "kubernetes.yaml": /usr/bin/python3 has no yaml module (apt-get install python3-yaml)');

(HAVE_YAML ? test : test.skip)('kubernetes.yaml: liveness /healthz, readiness /readyz and the scrape annotations on the served port', () => {
  const r = python(`import json, yaml
docs = list(yaml.safe_load_all(open(${JSON.stringify(join(EXAMPLES, 'kubernetes.yaml'))})))
print(json.dumps(next(d for d in docs if d['kind'] == 'Deployment')))`);
  assert.is(r.status, 0, r.stderr);
  type Probe = { httpGet: { path: string; port: string } };
  const d = JSON.parse(r.stdout) as { spec: { template: { metadata: { annotations: Record<string, string> }; spec: { containers: { ports: { name: string; containerPort: number }[]; livenessProbe: Probe; readinessProbe: Probe }[] } } } };
  const pod = d.spec.template;
  const c = pod.spec.containers[0];
  const port = c.ports.find((p) => p.name === c.livenessProbe.httpGet.port)!.containerPort;
  assert.equal([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path], ['/healthz', '/readyz']);
  assert.equal(pod.metadata.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });
  assert.match(readFileSync(CONTAINER_CONF, 'utf8'), new RegExp(`^port = \\*:${port} `, 'm'), 'the port the config serves');
});

test.run();
