// fg: a process's stdout and stderr streamed to the terminal, each line typed sent to its
// stdin, until Ctrl-C or ^D, or until the process is no longer running.
import { Faults, RpcFault } from '../../faults.ts';
import { ProcessStates } from '../../states.ts';
import { Exit } from '../exit-codes.ts';
import type { ProcessInfo } from '../../client/wire.ts';
import { tailStream } from '../http-tail.ts';
import { faultException } from '../pyerrors.ts';
import { printHelp, words, type Command } from './command.ts';

/** str() of a Fault, as fg prints it after `ERROR: `. */
function faultText(e: unknown): string {
  if (e instanceof RpcFault) return faultException(e.faultCode, e.faultString).text;
  throw e;
}

export const fg: Command = {
  async run(ctl, arg) {
    if (!(await ctl.upcheck())) return;
    const names = words(arg);
    if (!names.length) {
      ctl.output('ERROR: no process name supplied');
      ctl.exitstatus = Exit.GENERIC;
      printHelp(ctl, fg);
      return;
    }
    if (names.length > 1) {
      ctl.output('ERROR: too many process names supplied');
      ctl.exitstatus = Exit.GENERIC;
      return;
    }
    const name = names[0]!;
    let info: ProcessInfo;
    try {
      info = await ctl.supervisor<ProcessInfo>('getProcessInfo', name);
    } catch (e) {
      if (e instanceof RpcFault && e.faultCode === Faults.BAD_NAME) {
        ctl.output('ERROR: bad process name supplied');
        ctl.exitstatus = Exit.GENERIC;
      } else ctl.output(`ERROR: ${faultText(e)}`);
      return;
    }
    if (info.state !== ProcessStates.RUNNING) {
      ctl.output('ERROR: process not running');
      ctl.exitstatus = Exit.GENERIC;
      return;
    }
    ctl.output('==> Press Ctrl-C to exit <==');
    const write = (chunk: Buffer) => process.stdout.write(chunk);
    const streams = ['stdout', 'stderr'].map((ch) => tailStream(ctl.session, `/logtail/${name}/${ch}`, write));
    let interrupted = false;
    const release = ctl.terminal.onInterrupt(() => {
      interrupted = true;
      ctl.terminal.cancelRead();
    });
    try {
      // Ctrl-C during a call ends the loop once the call is back; during a read, at once.
      while (!interrupted) {
        const line = await ctl.terminal.readLine('');
        if (line === null || interrupted) break;
        try {
          await ctl.supervisor('sendProcessStdin', name, `${line}\n`);
        } catch (e) {
          ctl.output(e instanceof RpcFault && e.faultCode === Faults.NOT_RUNNING ? 'Process got killed' : `ERROR: ${faultText(e)}`);
          break;
        }
        const now = await ctl.supervisor<ProcessInfo>('getProcessInfo', name);
        if (now.state !== ProcessStates.RUNNING) {
          ctl.output('Process got killed');
          break;
        }
      }
      ctl.output('Exiting foreground');
    } finally {
      release();
      for (const s of streams) s.close();
    }
  },
  help: 'fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit',
};
