// Tab completion in the shell, as supervisorctl's Controller.complete: actions for the
// first word, then group or process names fetched once per command line from the daemon.
// Beyond supervisorctl: `all` where a command takes it, signal names after `signal`, the
// channel after `tail <name>`, and `help` completes actions only when the word is `help`.
import { ACTIONS } from './commands/index.ts';
import type { ProcessInfo } from '../client/wire.ts';

/** readline's default word delimiters less ':', '*' and '-' (supervisorctl removes them). */
const DELIMS = ' \t\n"\\\'`@$><=;|&{(';

const GROUP_ACTIONS = ['add', 'remove', 'update'];
const PROCESS_ACTIONS = ['clear', 'fg', 'pid', 'restart', 'signal', 'start', 'status', 'stop', 'tail'];
const TAKES_ALL = ['clear', 'pid', 'restart', 'signal', 'start', 'status', 'stop', 'update'];
const SIGNALS = ['HUP', 'INT', 'QUIT', 'KILL', 'USR1', 'USR2', 'TERM', 'STOP', 'CONT'];

/** The word being completed: what follows the last delimiter. */
export function currentWord(line: string): string {
  let i = line.length;
  while (i > 0 && !DELIMS.includes(line[i - 1]!)) i--;
  return line.slice(i);
}

const withSpace = (names: Iterable<string>, text: string) => [...new Set(names)].filter((n) => n.startsWith(text)).map((n) => `${n} `);

function groups(infos: readonly ProcessInfo[]): string[] {
  return [...new Set(infos.map((i) => i.group))];
}

/** _complete_processes: `g:p` and `g:*` for grouped processes, the bare name otherwise. */
function processes(infos: readonly ProcessInfo[], text: string): string[] {
  const out: string[] = [];
  for (const i of infos) {
    if (text.includes(':') || i.name !== i.group) out.push(`${i.group}:${i.name}`, `${i.group}:*`);
    else out.push(i.name);
  }
  return out;
}

/** The completions of `line` (the text before the cursor) and the word they replace. */
export async function complete(line: string, fetch: () => Promise<ProcessInfo[]>): Promise<[string[], string]> {
  const text = currentWord(line);
  const words = line.split(/\s+/).filter(Boolean);
  if (!words.length || (words.length === 1 && !/\s$/.test(line))) return [withSpace(ACTIONS, text), text];
  const action = words[0]!;
  // The argument being typed: its position among the words after the action.
  const argIndex = words.length - (/\s$/.test(line) ? 1 : 2);
  if (action === 'help') return [withSpace(ACTIONS, text), text];
  if (action === 'signal' && argIndex === 0) return [withSpace(SIGNALS, text.toUpperCase()), text];
  if (action === 'tail' && argIndex >= 1 && argIndex === (words[1]!.startsWith('-') ? 2 : 1)) return [withSpace(['stdout', 'stderr'], text), text];
  const extra = TAKES_ALL.includes(action) ? ['all'] : [];
  if (GROUP_ACTIONS.includes(action)) return [withSpace([...groups(await fetch()), ...extra], text), text];
  if (PROCESS_ACTIONS.includes(action)) return [withSpace([...processes(await fetch(), text), ...extra], text), text];
  return [[], text];
}
