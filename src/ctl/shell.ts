// The interactive shell (supervisorctl's exec_cmdloop and cmd.Cmd.cmdloop): runs `status`
// first, then one command per line at `<prompt>> ` until ^D, quit or exit; history kept
// in history_file across runs. Ctrl-C clears a typed line, and on an empty one (or during
// a command) leaves the shell as supervisorctl does.
import { readFileSync, writeFileSync } from 'node:fs';
import { complete } from './completion.ts';
import type { Controller } from './controller.ts';

function readHistory(file: string | null): string[] {
  if (!file) return [];
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function writeHistory(file: string | null, lines: string[]): void {
  if (!file) return;
  try {
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  } catch {
    // supervisorctl ignores an unwritable history file too.
  }
}

/** Runs the shell until it is left; resolves once the history is saved. */
export async function cmdloop(ctl: Controller, prompt: string, historyFile: string | null): Promise<void> {
  const terminal = ctl.terminal;
  terminal.history = readHistory(historyFile);
  terminal.completer = (line) => complete(line, () => ctl.processInfoForCompletion());
  let leave: () => void = () => {};
  const left = new Promise<null>((resolve) => (leave = () => resolve(null)));
  // Ctrl-C while a command runs: KeyboardInterrupt leaves supervisorctl's shell.
  const release = terminal.onInterrupt(() => leave());
  try {
    const queue = ['status'];
    for (;;) {
      let line = queue.shift() ?? null;
      if (line === null) {
        let interrupted = false;
        const releasePrompt = terminal.onInterrupt(() => {
          if (terminal.pending) terminal.clearPending();
          else {
            interrupted = true;
            terminal.cancelRead();
          }
        });
        line = await terminal.readLine(`${prompt}> `);
        releasePrompt();
        if (interrupted) break;
        line ??= 'EOF';
      }
      const stop = await Promise.race([ctl.onecmd(line), left]);
      if (stop !== false) {
        if (stop === null) ctl.output('');
        return;
      }
    }
    ctl.output('');
  } finally {
    release();
    writeHistory(historyFile, terminal.history);
  }
}
