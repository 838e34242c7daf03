// tail and maintail: the last bytes of a log through readProcessStdoutLog/readLog, or
// `-f` streaming /logtail/<name>/<channel> and /mainlogtail until Ctrl-C.
import { pyInt } from '../../config/pyint.ts';
import { Faults, RpcFault } from '../../faults.ts';
import type { Controller } from '../controller.ts';
import { Exit } from '../exit-codes.ts';
import { tailStream } from '../http-tail.ts';
import { pyRepr } from '../../config/pyrepr.ts';
import { printHelp, words, type Command } from './command.ts';

/** Python's int() of a modifier, or null where it raises. */
function intOrNull(s: string): number | null {
  try {
    return pyInt(s);
  } catch {
    return null;
  }
}

/** _tailf: stream one path to stdout; Ctrl-C ends it with a blank line. */
export async function follow(ctl: Controller, path: string): Promise<void> {
  ctl.output('==> Press Ctrl-C to exit <==');
  const stream = tailStream(ctl.session, path, (chunk) => process.stdout.write(chunk));
  const release = ctl.terminal.onInterrupt(() => {
    stream.close();
    ctl.output('');
  });
  try {
    await stream.done;
  } finally {
    release();
  }
}

function fail(ctl: Controller, message: string, command?: Command): void {
  ctl.output(message);
  ctl.exitstatus = Exit.GENERIC;
  if (command) printHelp(ctl, command);
}

/** The `<name>: ERROR (...)` line for a fault reading a log, or the fault again. */
function readError(ctl: Controller, e: unknown, name: string, badName: boolean): void {
  if (!(e instanceof RpcFault)) throw e;
  ctl.exitstatus = Exit.GENERIC;
  if (e.faultCode === Faults.NO_FILE) ctl.output(`${name}: ERROR (no log file)`);
  else if (e.faultCode === Faults.FAILED) ctl.output(`${name}: ERROR (unknown error reading log)`);
  else if (badName && e.faultCode === Faults.BAD_NAME) ctl.output(`${name}: ERROR (no such process name)`);
  else throw e;
}

export const tail: Command = {
  async run(ctl, arg) {
    if (!(await ctl.upcheck())) return;
    const args = words(arg);
    if (args.length < 1) return fail(ctl, 'Error: too few arguments', tail);
    if (args.length > 3) return fail(ctl, 'Error: too many arguments', tail);
    const modifier = args[0]!.startsWith('-') ? args.shift()! : null;
    let name: string;
    let channel = 'stdout';
    if (args.length === 1) name = args[0]!;
    else if (args.length) {
      name = args[0]!;
      channel = args.at(-1)!.toLowerCase();
      if (channel !== 'stderr' && channel !== 'stdout') return fail(ctl, `Error: bad channel ${pyRepr(channel)}`);
    } else return fail(ctl, 'Error: tail requires process name');
    let bytes: number | null = 1600;
    if (modifier !== null) {
      const what = modifier.slice(1);
      bytes = what === 'f' ? null : intOrNull(what);
      if (what !== 'f' && bytes === null) return fail(ctl, `Error: bad argument ${modifier}`);
    }
    if (bytes === null) return follow(ctl, `/logtail/${name}/${channel}`);
    try {
      const method = channel === 'stdout' ? 'readProcessStdoutLog' : 'readProcessStderrLog';
      ctl.output(await ctl.supervisor<string>(method, name, -bytes, 0));
    } catch (e) {
      readError(ctl, e, name, true);
    }
  },
  help: 'tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr',
};

export const maintail: Command = {
  async run(ctl, arg) {
    if (!(await ctl.upcheck())) return;
    const args = words(arg);
    if (args.length > 1) return fail(ctl, 'Error: too many arguments', maintail);
    let bytes = 1600;
    if (args.length === 1) {
      const what = args[0]!.startsWith('-') ? args[0]!.slice(1) : null;
      if (what === 'f') return follow(ctl, '/mainlogtail');
      const n = what === null ? null : intOrNull(what);
      if (n === null) return fail(ctl, `Error: bad argument ${args[0]}`);
      bytes = n;
    }
    try {
      ctl.output(await ctl.supervisor<string>('readLog', -bytes, 0));
    } catch (e) {
      readError(ctl, e, 'supervisord', false);
    }
  },
  help: 'maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\nmaintail -100\tlast 100 *bytes* of supervisord main log file\nmaintail\tlast 1600 *bytes* of supervisor main log file\n',
};
