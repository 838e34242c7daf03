// start, stop, restart, signal and clear: one RPC per name (`g:*` per group, `all` once),
// one line per process, and the exit status from each result's fault code.
import { Faults, RpcFault } from '../../faults.ts';
import type { Controller } from '../controller.ts';
import { Exit } from '../exit-codes.ts';
import { makeNamespec, splitNamespec } from '../../client/namespec.ts';
import type { ProcessResult } from '../../client/wire.ts';
import { unknownResult } from '../pyerrors.ts';
import { printHelp, requireNames, words, type Command } from './command.ts';

const error = (name: string, why: string) => `${name}: ERROR (${why})`;

function startResult(r: ProcessResult): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case Faults.BAD_NAME: return error(name, 'no such process');
    case Faults.NO_FILE: return error(name, 'no such file');
    case Faults.NOT_EXECUTABLE: return error(name, 'file is not executable');
    case Faults.ALREADY_STARTED: return error(name, 'already started');
    case Faults.SPAWN_ERROR: return error(name, 'spawn error');
    case Faults.ABNORMAL_TERMINATION: return error(name, 'abnormal termination');
    case Faults.SUCCESS: return `${name}: started`;
  }
  throw unknownResult(r.status, name, 761);
}

function signalResult(r: ProcessResult, success = 'signalled'): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case Faults.BAD_NAME: return error(name, 'no such process');
    case Faults.BAD_SIGNAL: return error(name, 'bad signal name');
    case Faults.NOT_RUNNING: return error(name, 'not running');
    case Faults.SUCCESS: return `${name}: ${success}`;
    case Faults.FAILED: return r.description;
  }
  throw unknownResult(r.status, name, 835);
}

const stopResult = (r: ProcessResult) => signalResult(r, 'stopped');

function clearResult(r: ProcessResult): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case Faults.BAD_NAME: return error(name, 'no such process');
    case Faults.FAILED: return error(name, 'failed');
    case Faults.SUCCESS: return `${name}: cleared`;
  }
  throw unknownResult(r.status, name, 1260);
}

/** What one name's call failed with, as a result struct. */
function faultResult(e: unknown, name: string): ProcessResult {
  if (!(e instanceof RpcFault)) throw e;
  const [group, process] = splitNamespec(name);
  // Python formats a missing process name (`g:*`) as None.
  return { status: e.faultCode, name: process ?? 'None', group, description: e.faultString };
}

interface Action {
  /** Method for `all`, for a group, for one process. */
  all: string;
  group: string;
  one: string;
  format(r: ProcessResult): string;
  success: string;
  /** The fault that does not change the exit status (already started, not running). */
  ignored?: number;
  /** Exit status for an unknown group. */
  badGroup: number;
}

const START: Action = { all: 'startAllProcesses', group: 'startProcessGroup', one: 'startProcess', format: startResult, success: 'started', ignored: Faults.ALREADY_STARTED, badGroup: Exit.INVALID_ARGS };
const STOP: Action = { all: 'stopAllProcesses', group: 'stopProcessGroup', one: 'stopProcess', format: stopResult, success: 'stopped', ignored: Faults.NOT_RUNNING, badGroup: Exit.GENERIC };
const SIGNAL: Action = { all: 'signalAllProcesses', group: 'signalProcessGroup', one: 'signalProcess', format: (r) => signalResult(r), success: 'signalled', badGroup: Exit.GENERIC };

/** The shared body of do_start, do_stop and do_signal; `sig` is signal's extra argument. */
async function act(ctl: Controller, action: Action, names: string[], sig?: string): Promise<void> {
  const extra = sig === undefined ? [] : [sig];
  const report = (results: ProcessResult[]) => {
    for (const r of results) {
      ctl.output(action.format(r));
      ctl.setExitFromFault(r.status, action.ignored);
    }
  };
  if (names.includes('all')) {
    report(await ctl.supervisor<ProcessResult[]>(action.all, ...extra));
    return;
  }
  for (const name of names) {
    const [group, process] = splitNamespec(name);
    if (process === null) {
      try {
        report(await ctl.supervisor<ProcessResult[]>(action.group, group, ...extra));
      } catch (e) {
        if (!(e instanceof RpcFault) || e.faultCode !== Faults.BAD_NAME) throw e;
        ctl.output(`${group}: ERROR (no such group)`);
        ctl.exitstatus = action.badGroup;
      }
      continue;
    }
    try {
      await ctl.supervisor(action.one, name, ...extra);
      ctl.output(`${makeNamespec(group, process)}: ${action.success}`);
    } catch (e) {
      const r = faultResult(e, name);
      ctl.output(action.format(r));
      ctl.setExitFromFault(r.status, action.ignored);
    }
  }
}

export const start: Command = {
  async run(ctl, arg) {
    const names = await requireNames(ctl, 'start', start, arg, Exit.INVALID_ARGS);
    if (names) await act(ctl, START, names);
  },
  help: 'start <name>\t\tStart a process\nstart <gname>:*\t\tStart all processes in a group\nstart <name> <name>\tStart multiple processes or groups\nstart all\t\tStart all processes',
};

export const stop: Command = {
  async run(ctl, arg) {
    const names = await requireNames(ctl, 'stop', stop, arg);
    if (names) await act(ctl, STOP, names);
  },
  help: 'stop <name>\t\tStop a process\nstop <gname>:*\t\tStop all processes in a group\nstop <name> <name>\tStop multiple processes or groups\nstop all\t\tStop all processes',
};

export const restart: Command = {
  async run(ctl, arg) {
    if (!(await requireNames(ctl, 'restart', restart, arg))) return;
    await stop.run(ctl, arg);
    await start.run(ctl, arg);
  },
  help: 'restart <name>\t\tRestart a process\nrestart <gname>:*\tRestart all processes in a group\nrestart <name> <name>\tRestart multiple processes or groups\nrestart all\t\tRestart all processes\nNote: restart does not reread config files. For that, see reread and update.',
};

export const signal: Command = {
  async run(ctl, arg) {
    if (!(await ctl.upcheck())) return;
    const args = words(arg);
    if (args.length < 2) {
      ctl.output('Error: signal requires a signal name and a process name');
      printHelp(ctl, signal);
      ctl.exitstatus = Exit.GENERIC;
      return;
    }
    await act(ctl, SIGNAL, args.slice(1), args[0]);
  },
  help: 'signal <signal name> <name>\t\tSignal a process\nsignal <signal name> <gname>:*\t\tSignal all processes in a group\nsignal <signal name> <name> <name>\tSignal multiple processes or groups\nsignal <signal name> all\t\tSignal all processes',
};

export const clear: Command = {
  async run(ctl, arg) {
    const names = await requireNames(ctl, 'clear', clear, arg);
    if (!names) return;
    if (names.includes('all')) {
      for (const r of await ctl.supervisor<ProcessResult[]>('clearAllProcessLogs')) {
        ctl.output(clearResult(r));
        ctl.setExitFromFault(r.status);
      }
      return;
    }
    for (const name of names) {
      const [group, process] = splitNamespec(name);
      try {
        await ctl.supervisor('clearProcessLogs', name);
        ctl.output(`${makeNamespec(group, process ?? 'None')}: cleared`);
      } catch (e) {
        const r = faultResult(e, name);
        ctl.output(clearResult(r));
        ctl.setExitFromFault(r.status);
      }
    }
  },
  help: "clear <name>\t\tClear a process' log files.\nclear <name> <name>\tClear multiple process' log files\nclear all\t\tClear all process' log files",
};
