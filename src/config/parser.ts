// Python's RawConfigParser as supervisor sets it up (UnhosedConfigParser: inline comments
// after whitespace, strict=False), line for line, including its quirks. The line grammar
// is ours; `ini` then decodes the normalised text it cannot misread: every section header
// replaced by a placeholder, every key and value JSON-quoted (libraries.md §6).
import { decode } from 'ini';
import { ConfigValueError } from './errors.ts';
import { pyIsSpace, pyStrip } from './pyint.ts';
import { pyRepr } from './pyrepr.ts';

type Options = Map<string, string>;

const DEFAULT_SECTION = 'DEFAULT';

/** The sections of one or more config files, merged as configparser merges them. */
export class RawConfig {
  readonly defaults: Options = new Map();
  readonly sections = new Map<string, Options>();
  /** Sections first seen in an included file → that file (supervisor's section_to_file). */
  readonly sectionToFile = new Map<string, string>();

  /** Parse one file's text into this parser; `source` names it in errors. */
  read(text: string, source: string, recordFile = false): void {
    const before = new Set(this.sections.keys());
    const { names, ini } = normalise(text, source);
    const decoded = decode(ini) as Record<string, Record<string, unknown>>;
    names.forEach((name, i) => {
      const target = name === DEFAULT_SECTION ? this.defaults : this.section(name);
      for (const [key, value] of Object.entries(decoded[`s${i}`] ?? {})) target.set(key.slice(0, -1), String(value));
    });
    if (recordFile) for (const name of this.sections.keys()) if (!before.has(name)) this.sectionToFile.set(name, source);
  }

  private section(name: string): Options {
    let s = this.sections.get(name);
    if (!s) this.sections.set(name, (s = new Map()));
    return s;
  }

  sectionNames(): string[] {
    return [...this.sections.keys()];
  }

  has(section: string): boolean {
    return this.sections.has(section);
  }

  /** configparser's get(): the section's value, else [DEFAULT]'s; undefined when neither. */
  get(section: string, option: string): string | undefined {
    return this.sections.get(section)?.get(option) ?? this.defaults.get(option);
  }

  /** configparser's options(): the section's keys, then [DEFAULT]'s. */
  options(section: string): string[] {
    return [...new Set([...(this.sections.get(section)?.keys() ?? []), ...this.defaults.keys()])];
  }

  /** configparser's items(): [DEFAULT]'s pairs overridden by the section's. */
  items(section: string): [string, string][] {
    const merged = new Map(this.defaults);
    for (const [k, v] of this.sections.get(section) ?? []) merged.set(k, v);
    return [...merged];
  }

  set(section: string, option: string, value: string): void {
    this.section(section).set(option, value);
  }

  /** supervisor's expand_here: a textual %(here)s replacement in every section. */
  expandHere(here: string): void {
    for (const name of this.sectionNames()) {
      for (const [key, value] of this.items(name)) {
        if (value.includes('%(here)s')) this.set(name, key, value.split('%(here)s').join(here));
      }
    }
  }
}

/** Python's universal-newline line iteration: each line keeps its '\n'. */
function lines(text: string): string[] {
  const out = text.split(/\r\n|\r|\n/).map((l) => `${l}\n`);
  if (out[out.length - 1] === '\n') out.pop();
  else out[out.length - 1] = out[out.length - 1].slice(0, -1);
  return out;
}

/**
 * configparser's inline-comment search, quirk included: it advances each prefix one
 * occurrence per round and stops at the first round where any qualifies, so a ';' that
 * qualifies late can lose to a '#' found earlier in the same round.
 */
function commentStart(line: string): number | null {
  if (!line.includes(';') && !line.includes('#')) return null;
  let found: number | null = null;
  let cursors = new Map<string, number>([[';', -1], ['#', -1]]);
  while (found === null && cursors.size) {
    const next = new Map<string, number>();
    for (const [prefix, from] of cursors) {
      const index = line.indexOf(prefix, from + 1);
      if (index === -1) continue;
      next.set(prefix, index);
      if (index === 0 || pyIsSpace(line[index - 1])) found = found === null ? index : Math.min(found, index);
    }
    cursors = next;
  }
  const stripped = pyStrip(line);
  if (stripped.startsWith('#') || stripped.startsWith(';')) return 0;
  return found;
}

const indentOf = (line: string): number => {
  for (let i = 0; i < line.length; i++) if (!pyIsSpace(line[i])) return i;
  return 0;
};

/** The option-line grammar: `name [=:] value`, split at the first delimiter. */
function splitOption(value: string): [string, string] | null {
  const m = /[=:]/.exec(value);
  if (!m) return null;
  return [pyStrip(value.slice(0, m.index)).toLowerCase(), pyStrip(value.slice(m.index + 1))];
}

function normalise(text: string, source: string): { names: string[]; ini: string } {
  const names: string[] = [];
  const indexOf = new Map<string, number>();
  const out: string[] = [];
  const errors: string[] = [];
  let current: Map<string, string[]> | null = null;
  const pending: { index: number; values: Map<string, string[]> }[] = [];
  let optname: string | null = null;
  let indentLevel = 0;
  lines(text).forEach((line, i) => {
    const lineno = i + 1;
    const cut = commentStart(line);
    const value = pyStrip(cut === null ? line : line.slice(0, cut));
    if (!value) {
      if (cut === null && current && optname) current.get(optname)!.push('');
      return;
    }
    const indent = indentOf(line);
    if (current && optname && indent > indentLevel) {
      current.get(optname)!.push(value);
      return;
    }
    indentLevel = indent;
    const close = value.lastIndexOf(']');
    if (value.startsWith('[') && close >= 2) {
      const name = value.slice(1, close);
      let index = indexOf.get(name);
      if (index === undefined) indexOf.set(name, (index = names.push(name) - 1));
      current = new Map();
      pending.push({ index, values: current });
      optname = null;
      return;
    }
    if (!current) {
      throw new ConfigValueError(`File contains no section headers.\nfile: ${pyRepr(source)}, line: ${lineno}\n${pyRepr(line)}`);
    }
    const option = splitOption(value);
    if (!option || !option[0]) errors.push(`\n\t[line ${String(lineno).padStart(2)}]: ${pyRepr(line)}`);
    if (!option) return;
    optname = option[0];
    current.set(optname, [option[1]]);
  });
  if (errors.length) throw new ConfigValueError(`Source contains parsing errors: ${pyRepr(source)}${errors.join('')}`);
  for (const { index, values } of pending) {
    out.push(`[s${index}]`);
    // The '$' keeps ini from reading a key that ends in '[]' as an array.
    for (const [key, parts] of values) out.push(`${JSON.stringify(`${key}$`)} = ${JSON.stringify(pyRstrip(parts.join('\n')))}`);
  }
  return { names, ini: out.join('\n') };
}

function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && pyIsSpace(s[end - 1])) end--;
  return s.slice(0, end);
}
