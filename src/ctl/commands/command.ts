// A supervisorctl command: do_<name> and help_<name> of its DefaultControllerPlugin.
import { splitNamespec } from '../../client/namespec.ts';
import type { ProcessInfo } from '../../client/wire.ts';
import type { Controller } from '../controller.ts';

export interface Command {
  /** true stops the shell (quit, exit). */
  run(ctl: Controller, arg: string): Promise<boolean | void>;
  /** help_<name>'s text, printed as one output() call. */
  help: string;
}

/** Prints a command's help text. */
export const printHelp = (ctl: Controller, command: Command): void => ctl.output(command.help);

/** `Error: <cmd> accepts no arguments` and the help, for commands that take none. */
export function rejectArguments(ctl: Controller, name: string, command: Command, arg: string): boolean {
  if (!arg) return false;
  ctl.output(`Error: ${name} accepts no arguments`);
  ctl.exitstatus = 1;
  printHelp(ctl, command);
  return true;
}

/** do_status's match of one name (`g:*`, `g:n`, `n`) against getAllProcessInfo: the processes, or the error line. */
export function processesNamed(name: string, infos: readonly ProcessInfo[]): ProcessInfo[] | string {
  const [group, process] = splitNamespec(name);
  const found = infos.filter((i) => i.group === group && (process === null || i.name === process));
  if (found.length) return found;
  return process === null ? `${group}: ERROR (no such group)` : `${name}: ERROR (no such process)`;
}

/** Python's str.split(): the words of an argument. */
export const words = (arg: string): string[] => arg.split(/\s+/).filter(Boolean);

/**
 * upcheck, then the process names of `arg`; with none, `Error: <cmd> requires a process
 * name`, the status and the help. null: the command has nothing more to do.
 */
export async function requireNames(ctl: Controller, name: string, command: Command, arg: string, status = 1): Promise<string[] | null> {
  if (!(await ctl.upcheck())) return null;
  const names = words(arg);
  if (names.length) return names;
  ctl.output(`Error: ${name} requires a process name`);
  ctl.exitstatus = status;
  printHelp(ctl, command);
  return null;
}
