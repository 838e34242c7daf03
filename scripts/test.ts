// The test command: type-check, then every uvu suite, one process per file, two at a time.
// Its last line is `N passed, N failed, N skipped`; it exits non-zero on any failure,
// a throwing hook, a test or file that times out, a file that leaks handles, or when no
// test ran. uvu alone exits 0 on a throwing hook and never times out (libraries.md §5).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDaemon } from './build-daemon.ts';

interface Options { dir: string; pattern: RegExp; typecheck: boolean; fileTimeout: number; only: string[] }
interface Outcome { total: number; passed: number; skipped: number; failedFile: string | null }

const root = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv: string[]): Options {
  const o: Options = { dir: join(root, 'test'), pattern: /\.test\.ts$/, typecheck: true, fileTimeout: 300_000, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-typecheck') o.typecheck = false;
    else if (a === '--dir') o.dir = resolve(argv[++i]);
    else if (a === '--pattern') o.pattern = new RegExp(argv[++i]);
    else if (a === '--file-timeout') o.fileTimeout = Number(argv[++i]);
    else o.only.push(a);
  }
  return o;
}

function findFiles(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'fixtures' && name !== 'node_modules') out.push(...findFiles(path, pattern));
    } else if (pattern.test(name)) out.push(path);
  }
  return out;
}

const count = (text: string, label: string): number | null => {
  const m = [...text.matchAll(new RegExp(`^\\s*${label}:\\s*(\\d+)`, 'gm'))].pop();
  return m ? Number(m[1]) : null;
};

function runFile(file: string, timeout: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/run-suite.ts'), file], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, timeout);
    child.on('close', (code) => {
      clearTimeout(timer);
      const name = relative(root, file);
      process.stdout.write(`\n### ${name}\n${out.trimEnd()}\n`);
      const total = count(out, 'Total');
      const passed = count(out, 'Passed') ?? 0;
      const skipped = count(out, 'Skipped') ?? 0;
      const leaked = count(out, 'Leaked') ?? 0;
      let failedFile: string | null = null;
      if (timedOut) failedFile = `${name}: killed after ${timeout} ms`;
      else if (total === null) failedFile = `${name}: ended without a uvu summary (exit ${code})`;
      else if (leaked) failedFile = `${name}: left handles open`;
      else if (code !== 0 && passed === total) failedFile = `${name}: exited ${code}`;
      if (failedFile) process.stdout.write(`  FILE FAILED: ${failedFile}\n`);
      resolve({ total: total ?? 0, passed, skipped, failedFile });
    });
  });
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  let failed = 0;
  if (o.typecheck) {
    // Type-checks everything and builds dist/, which the executables under test run.
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.log('type-check failed');
      failed++;
    } else {
      // bin/statevisord runs the bundle of what tsc just emitted
      await buildDaemon();
    }
  }
  const files = o.only.length ? o.only.map((f) => resolve(f)) : findFiles(o.dir, o.pattern);
  const queue = [...files];
  const outcomes: Outcome[] = [];
  const workers = Array.from({ length: Math.max(1, Math.min(2, cpus().length)) }, async () => {
    for (let f = queue.shift(); f; f = queue.shift()) outcomes.push(await runFile(f, o.fileTimeout));
  });
  await Promise.all(workers);
  let passed = 0, skipped = 0, total = 0;
  for (const r of outcomes) {
    total += r.total; passed += r.passed; skipped += r.skipped;
    failed += r.total - r.passed + (r.failedFile && r.total === r.passed ? 1 : 0);
  }
  const broken = outcomes.filter((r) => r.failedFile).map((r) => r.failedFile);
  if (broken.length) console.log(`\nfiles that failed as a whole:\n  ${broken.join('\n  ')}`);
  if (total === 0) console.log('\nno test ran');
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed > 0 || total === 0 ? 1 : 0;
}

process.exitCode = await main();
