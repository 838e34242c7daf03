// The daemon itself: shutdown, reload, version, open; and leaving the shell.
import { Faults, RpcFault } from '../../faults.ts';
import type { Controller } from '../controller.ts';
import { Exit } from '../exit-codes.ts';
import { PyException } from '../pyerrors.ts';
import { rejectArguments, type Command } from './command.ts';
import { status } from './status.ts';

/** raw_input's y/N question, asked only in the interactive shell. */
async function confirmed(ctl: Controller, question: string, line: number): Promise<boolean> {
  if (!ctl.session.interactive) return true;
  const answer = await ctl.terminal.readLine(question);
  if (answer === null) throw new PyException('EOFError', 'EOF when reading a line', `file: /usr/lib/python3/dist-packages/supervisor/supervisorctl.py line: ${line}`);
  return answer.toLowerCase().startsWith('y');
}

export const shutdown: Command = {
  async run(ctl, arg) {
    if (rejectArguments(ctl, 'shutdown', shutdown, arg)) return;
    if (!(await confirmed(ctl, 'Really shut the remote supervisord process down y/N? ', 987))) return;
    try {
      await ctl.supervisor('shutdown');
    } catch (e) {
      if (e instanceof RpcFault && e.faultCode === Faults.SHUTDOWN_STATE) {
        ctl.output('ERROR: already shutting down');
        return;
      }
      ctl.exitstatus = Exit.GENERIC;
      const errno = e instanceof PyException ? e.errno : null;
      if (errno === 'ECONNREFUSED') ctl.output(`ERROR: ${ctl.session.serverurl} refused connection (already shut down?)`);
      else if (errno === 'ENOENT') ctl.output(`ERROR: ${ctl.session.serverurl} no such file (already shut down?)`);
      else throw e;
      return;
    }
    ctl.output('Shut down');
  },
  help: 'shutdown \tShut the remote supervisord down.',
};

export const reload: Command = {
  async run(ctl, arg) {
    if (rejectArguments(ctl, 'reload', reload, arg)) return;
    if (!(await confirmed(ctl, 'Really restart the remote supervisord process y/N? ', 1027))) return;
    try {
      await ctl.supervisor('restart');
    } catch (e) {
      ctl.exitstatus = Exit.GENERIC;
      if (!(e instanceof RpcFault) || e.faultCode !== Faults.SHUTDOWN_STATE) throw e;
      ctl.output('ERROR: already shutting down');
      return;
    }
    ctl.output('Restarted supervisord');
  },
  help: 'reload \t\tRestart the remote supervisord.',
};

export const version: Command = {
  async run(ctl, arg) {
    if (rejectArguments(ctl, 'version', version, arg)) return;
    if (!(await ctl.upcheck())) return;
    ctl.output(String(await ctl.supervisor('getSupervisorVersion')));
  },
  help: 'version\t\t\tShow the version of the remote supervisord process',
};

export const open: Command = {
  async run(ctl, arg) {
    const url = arg.trim();
    // urlparse's scheme: what precedes the first ':' when it is a valid scheme name.
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (scheme !== 'unix' && scheme !== 'http') {
      ctl.output('ERROR: url must be http:// or unix://');
      ctl.exitstatus = Exit.GENERIC;
      return;
    }
    ctl.session.serverurl = url;
    const kept = ctl.exitstatus;
    await status.run(ctl, '');
    ctl.exitstatus = kept;
  },
  help: 'open <url>\tConnect to a remote supervisord process.\n\t\t(for UNIX domain socket, use unix:///socket/path)',
};

export const quit: Command = {
  async run(ctl) {
    return ctl.eof();
  },
  help: 'quit\tExit the supervisor shell.',
};

export const exit: Command = {
  run: quit.run,
  help: 'exit\tExit the supervisor shell.',
};
