// chain(): pipeline()'s outcomes for the child-output stages. Real streams over a real
// pipe (a child writes, the chain copies it into a file); the failures a child's channel
// meets: its pipe destroyed mid-stream, a stage that errors.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Transform, Writable } from 'node:stream';
import * as assert from 'uvu/assert';
import { chain } from '../../src/logs/chain.ts';
import { RotatingFile } from '../../src/logs/rotating-file.ts';
import { suite } from '../harness.ts';

const test = suite<{ dir: string }>('chain', { dir: '' });
test.before.each((ctx) => { ctx.dir = mkdtempSync(join(tmpdir(), 'chain-')); });
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const rejection = (p: Promise<void>): Promise<Error | null> => p.then(() => null, (e: unknown) => e as Error);

test("a child's output through a transform into a log file: settled once the file is closed", async ({ dir }) => {
  const child = spawn('sh', ['-c', 'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const file = RotatingFile.openSync({ path: join(dir, 'out.log'), maxBytes: 0, backups: 0 });
  const upper = new Transform({ transform: (c: Buffer, _e, cb) => cb(null, Buffer.from(c.toString().toUpperCase())) });
  await chain([child.stdout!, upper, file]);
  assert.ok(file.closed, 'the file is closed when the promise settles');
  const lines = readFileSync(join(dir, 'out.log'), 'utf8').split('\n');
  assert.is(lines.length, 2001);
  assert.is(lines[1999], 'LINE 1999');
});

test('a source destroyed before its end: rejects with premature close and destroys every stage', async ({ dir }) => {
  const source = new PassThrough();
  const file = RotatingFile.openSync({ path: join(dir, 'out.log'), maxBytes: 0, backups: 0 });
  const done = rejection(chain([source, file]));
  source.write('kept\n');
  source.destroy();
  const e = await done;
  assert.is((e as NodeJS.ErrnoException | null)?.code, 'ERR_STREAM_PREMATURE_CLOSE');
  assert.ok(file.destroyed, 'the file was destroyed (its fd closed)');
});

test('a stage that errors: rejects with its error; the source is destroyed too', async () => {
  const source = new PassThrough();
  const broken = new Writable({ write: (_c, _e, cb) => cb(new Error('disk on fire')) });
  const done = rejection(chain([source, broken]));
  source.write('x');
  const e = await done;
  assert.is(e?.message, 'disk on fire');
  assert.ok(source.destroyed);
});

test('an empty source that ends: the last stage finishes and the promise resolves', async () => {
  const source = new PassThrough();
  let finished = false;
  const sink = new Writable({ write: (_c, _e, cb) => cb() }).on('finish', () => { finished = true; });
  const done = chain([source, sink]);
  source.end();
  await done;
  assert.ok(finished);
});

test.run();
