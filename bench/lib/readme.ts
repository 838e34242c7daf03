// bench/README.md: a run rewrites only the marked regions (`<!-- name:start -->` …
// `<!-- name:end -->`) of what it measured, plus the daemon's Node flags and the stale-build
// warning. The prose around them lives in README.md alone, so what a person writes there
// (a traced table, a floor's note) outlasts the next run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATEVISORD_FLAGS } from '../../scripts/statevisord-command.ts';
import { ROOT } from './daemon.ts';
import type { Machine } from './proc.ts';

export interface Sections { main?: string; events?: string; capture?: string; rpc?: string; soak?: string; lifecycle?: string; metrics?: string; scaling?: string; config?: string; flags?: string; heap?: string; profile?: string; web?: string }

const FILE = join(ROOT, 'bench', 'README.md');
const mark = (name: string, end = false) => `<!-- ${name}:${end ? 'end' : 'start'} -->`;

/** `text` with the region `name` holding `body`; a region that is not there is an error that names it. */
function fill(text: string, name: string, body: string): string {
  const a = text.indexOf(mark(name)), b = text.indexOf(mark(name, true));
  if (a < 0 || b < a) throw new Error(`${FILE}: no ${mark(name)} … ${mark(name, true)} region for the ${name} figures`);
  return text.slice(0, a + mark(name).length) + body + text.slice(b);
}

const stamp = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

export function writeReadme(s: Sections, m: Machine, started: Date, o: { quick: boolean; stale: string | null }): void {
  const when = `Measured ${stamp(started)} on ${m.nproc} × ${m.model} (${m.memGiB} GiB, Linux ${m.kernel}); Node ${m.node}, Python ${m.python}, supervisor ${m.supervisor}; load average at start ${m.load}${o.quick ? '; --quick' : ''}.`;
  let text = readFileSync(FILE, 'utf8');
  text = fill(text, 'nodeflags', `\`${STATEVISORD_FLAGS.join(' ')}\``);
  text = fill(text, 'warning', o.stale ? `\n**Warning: ${o.stale}.**\n` : '');
  for (const [name, body] of Object.entries(s)) if (body) text = fill(text, name, `\n${when}\n\n${body}\n`);
  writeFileSync(FILE, text);
}
