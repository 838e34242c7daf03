// The lifecycle keys' parsing (src/config/ext-lifecycle.ts) through loadConfig: values,
// defaults, and the errors each bad value gives, naming the option, section and file.
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/load.ts';
import type { ConfigHost } from '../../src/config/host.ts';
import { nodeHost } from '../../src/config/host.ts';
import { suite } from '../harness.ts';

const T = suite('config/lifecycle keys');

/** A host whose only file is /etc/sv.conf with these sections after [supervisord]. */
function hostWith(body: string): ConfigHost {
  const real = nodeHost({}, '/');
  const text = `[supervisord]\nlogfile=/tmp/sv.log\npidfile=/tmp/sv.pid\n${body}\n`;
  return {
    ...real,
    exists: (p: string) => p === '/etc/sv.conf' || real.exists(p),
    readBytes: (p: string) => (p === '/etc/sv.conf' ? new TextEncoder().encode(text) : real.readBytes(p)),
  };
}

const load = (body: string) => loadConfig('/etc/sv.conf', hostWith(body));
const ext = (body: string, group = 'a') => load(body).groups.find((g) => g.name === group)!.processes[0].statevisor;
const error = (body: string): string => {
  try {
    load(body);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
};
const A = '[program:a]\ncommand=/bin/true\n';
const B = '[program:b]\ncommand=/bin/true\n';

T('defaults: no dependencies, no checks, supervisor\'s backoff', () => {
  const e = ext(A);
  assert.equal(e.depends_on, []);
  assert.equal([e.ready_check, e.ready_timeout, e.health_check, e.health_interval, e.health_timeout, e.health_retries], [null, 60, null, 10, 5, 3]);
  assert.equal([e.backoff, e.backoff_max, e.backoff_jitter, e.retry_forever, e.restart_delay, e.backoff_reset], ['linear', null, 0, false, 0, 60]);
  assert.is(e.program, 'a');
});

T('depends_on: names with conditions, spaces, duplicates kept once', () => {
  assert.equal(ext(`${A}depends_on = b , c:completed,b:started\n${B}[program:c]\ncommand=/bin/true`).depends_on,
    [{ program: 'b', condition: 'running' }, { program: 'c', condition: 'completed' }]);
});

T('depends_on across [group:x] and numprocs: the program name is what counts', () => {
  const c = load(`${A}depends_on=b\n[program:b]\ncommand=/bin/true\nnumprocs=2\nprocess_name=b_%(process_num)s\n[group:g]\nprograms=b`);
  const b = c.groups.find((g) => g.name === 'g')!;
  assert.equal(b.processes.map((p) => [p.name, p.statevisor.program]), [['b_0', 'b'], ['b_1', 'b']]);
});

T('checks: each form', () => {
  const check = (v: string) => ext(`${A}ready_check=${v}`).ready_check;
  assert.equal(check('tcp:db.local:5432'), { kind: 'tcp', spec: 'tcp:db.local:5432', host: 'db.local', port: 5432 });
  assert.equal(check('tcp::80'), { kind: 'tcp', spec: 'tcp::80', host: '127.0.0.1', port: 80 });
  assert.equal(check('tcp:[::1]:80'), { kind: 'tcp', spec: 'tcp:[::1]:80', host: '::1', port: 80 });
  assert.equal(check('http://127.0.0.1:8080/health'), { kind: 'http', spec: 'http://127.0.0.1:8080/health', url: 'http://127.0.0.1:8080/health' });
  assert.equal(check('exec:pg_isready -q'), { kind: 'exec', spec: 'exec:pg_isready -q', command: 'pg_isready -q' });
  assert.equal(check('log:listening on :\\d+'), { kind: 'log', spec: 'log:listening on :\\d+', pattern: 'listening on :\\d+' });
  assert.equal(check('fd:3'), { kind: 'fd', spec: 'fd:3', fd: 3 });
});

const where = "in section 'program:a' (file: '/etc/sv.conf')";

T('bad values: one clear error each, naming option, section and file', () => {
  const cases: [string, string][] = [
    ['ready_check=tcp:host', "value 'tcp:host' is not tcp:HOST:PORT for ready_check"],
    ['ready_check=tcp:host:70000', "value 'tcp:host:70000' is not tcp:HOST:PORT with a port from 1 to 65535 for ready_check"],
    ['ready_check=ftp://x', "value 'ftp://x' is not a check (tcp:HOST:PORT, http://HOST:PORT/PATH, exec:COMMAND, log:REGEX or fd:N) for ready_check"],
    ['ready_check=http://', "value 'http://' is not an http URL (http://HOST:PORT/PATH) for ready_check"],
    ['ready_check=exec:', "value 'exec:' is not exec:COMMAND with a command for ready_check"],
    ['ready_check=log:(a', "regex '(a' does not compile (/(a/: Unterminated group) for ready_check"],
    ['ready_check=fd:2', "value 'fd:2' is not fd:N with N from 3 to 1023 for ready_check"],
    ['health_check=log:x', "value 'log:x' is not a health check (tcp:HOST:PORT, http://HOST:PORT/PATH or exec:COMMAND) for health_check"],
    ['ready_timeout=0', "value '0' is not a number of seconds greater than 0 for ready_timeout"],
    ['health_interval=-1', "value '-1' is not a number of seconds greater than 0 for health_interval"],
    ['health_retries=0', "value '0' is not an integer of 1 or more for health_retries"],
    ['backoff=quadratic', "value 'quadratic' is not linear or exponential for backoff"],
    ['backoff_max=-1', "value '-1' is not a number of seconds (0 or more) for backoff_max"],
    ['backoff_jitter=1.5', "value '1.5' is not a fraction between 0 and 1 for backoff_jitter"],
    ['retry_forever=maybe', "not a valid boolean value: 'maybe' for retry_forever"],
    ['restart_delay=soon', "value 'soon' is not a number of seconds (0 or more) for restart_delay"],
    ['depends_on=b:healthy', "value 'b:healthy' is not a dependency: the condition must be running, started or completed for depends_on"],
    ['depends_on=:running', "value ':running' is not a program name, optionally followed by :running, :started or :completed for depends_on"],
  ];
  for (const [line, message] of cases) assert.is(error(`${A}${line}\n${B}`), `${message} ${where}`, line);
});

T('depends_on: unknown names and cycles, self included, across sections', () => {
  assert.is(error(`${A}depends_on=nope`), `depends_on names unknown program 'nope' ${where}`);
  assert.is(error(`${A}depends_on=a`), `depends_on makes a cycle: a -> a ${where}`);
  assert.is(error(`${A}depends_on=b\n${B}depends_on=c\n[program:c]\ncommand=/bin/true\ndepends_on=a`), `depends_on makes a cycle: a -> b -> c -> a ${where}`);
});

T.run();
