// What a daemon loads of Node's own modules: node:http (with tls, crypto and dns) only
// when the configuration has an HTTP server, and node:perf_hooks never. Each costs RSS
// whether used or not (bench/README.md). A preloaded module writes the daemon's
// process.moduleLoadList to a file every 100 ms; the daemon runs under its #! flags.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { statevisordArgs } from '../../scripts/statevisord-command.ts';
import { suite } from '../harness.ts';
import { cleanupAll, freePort, program, prog, readText, startDaemon, waitFor } from './helpers.ts';
import { servers } from './http-probe.ts';

const test = suite('daemon/lazy-modules', {}, 60_000);
const dir = mkdtempSync(join(tmpdir(), 'lazy-modules-'));
test.after.each(cleanupAll);
test.after(() => rmSync(dir, { recursive: true, force: true }));

const NEVER_WITHOUT_SERVER = ['http', 'https', 'tls', 'crypto', 'dns/promises', 'perf_hooks'];

/** The builtin modules (`NativeModule x`) loaded once the daemon's program is RUNNING. */
async function loadedModules(name: string, body: string): Promise<Set<string>> {
  const out = join(dir, `${name}.txt`);
  const preload = join(dir, `${name}.mjs`);
  // written whole, then renamed into place: the test never reads half a list
  writeFileSync(preload, [
    "import { renameSync, writeFileSync } from 'node:fs';",
    `const out = ${JSON.stringify(out)};`,
    "setInterval(() => { writeFileSync(`${out}.new`, process.moduleLoadList.join('\\n')); renameSync(`${out}.new`, out); }, 100).unref();",
  ].join('\n'));
  const d = await startDaemon(`${body}\n${prog('a', program('sleep-forever.sh'), { startsecs: 1 })}`, { command: [process.execPath, ...statevisordArgs(['--import', preload])] });
  await waitFor('a RUNNING', () => d.matching(/^success: a entered RUNNING/).length > 0, 30_000, () => d.describe());
  rmSync(out, { force: true });
  const list = await waitFor('the module list written after that', () => readText(out) || undefined, 10_000);
  await d.stop();
  return new Set(list.split('\n').filter((l) => l.startsWith('NativeModule ')).map((l) => l.slice('NativeModule '.length)));
}

test('without an HTTP server: no node:http, tls, crypto, dns or perf_hooks', async () => {
  const loaded = await loadedModules('plain', '');
  assert.ok(loaded.has('child_process'), 'the list is the daemon\'s');
  assert.equal(NEVER_WITHOUT_SERVER.filter((m) => loaded.has(m)), []);
});

test('with an HTTP server: node:http is loaded, perf_hooks still not', async () => {
  const loaded = await loadedModules('served', servers(await freePort()));
  assert.ok(loaded.has('http'));
  assert.not.ok(loaded.has('perf_hooks'));
});

test.run();
