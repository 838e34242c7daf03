// Every command statevisorctl knows, and help: the list (cmd.Cmd's print_topics) or one
// command's help text.
import type { Controller } from '../controller.ts';
import { columnize } from '../columnize.ts';
import type { Command } from './command.ts';
import { add, avail, remove, reread, update } from './config.ts';
import { exit, open, quit, reload, shutdown, version } from './daemon.ts';
import { fg } from './fg.ts';
import { maintail, tail } from './logs.ts';
import { clear, restart, signal, start, stop } from './processes.ts';
import { rollingRestart } from './rolling.ts';
import { pid, status } from './status.ts';

export const COMMANDS: Readonly<Record<string, Command>> = {
  add, avail, clear, exit, fg, maintail, open, pid, quit, reload, remove, reread,
  restart, shutdown, signal, start, status, stop, tail, update, version,
};

/**
 * statevisor's own commands. Apart from COMMANDS, so `help` and completion list
 * supervisorctl's vocabulary as supervisorctl does; `help <name>` describes each. Their
 * names may hold a `-`, which no supervisorctl command has.
 */
export const EXTENSION_COMMANDS: Readonly<Record<string, Command>> = { 'rolling-restart': rollingRestart };

/** A command by name, supervisorctl's or statevisor's. */
export const commandNamed = (name: string): Command | undefined =>
  Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : Object.hasOwn(EXTENSION_COMMANDS, name) ? EXTENSION_COMMANDS[name] : undefined;

/** The actions completion offers, as supervisorctl's vocabulary (help first). */
export const ACTIONS = ['help', ...Object.keys(COMMANDS)];

const HEADER = 'default commands (type help <topic>):';

/** do_help: `help help`, one command's text, or the list of commands. */
export function showHelp(ctl: Controller, arg: string): void {
  if (arg.trim() === 'help') {
    ctl.output('help\t\tPrint a list of available actions');
    ctl.output('help <action>\tPrint help for <action>');
    return;
  }
  if (arg) {
    const command = commandNamed(arg);
    ctl.output(command ? command.help : `*** No help on ${arg}`);
    return;
  }
  ctl.output('');
  ctl.output(HEADER);
  ctl.output('='.repeat(HEADER.length));
  for (const line of columnize(Object.keys(COMMANDS).sort(), 79)) ctl.output(line);
  ctl.output('');
}
