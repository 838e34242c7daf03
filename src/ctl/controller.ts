// supervisorctl's Controller: one command line in (onecmd), output lines and an exit
// status out. Catches what the commands do not: 401 (asks for credentials when
// interactive), any other failure as Python's `error: <class ...>` line.
import { RpcFault } from '../faults.ts';
import type { ProcessInfo, XmlRpcValue } from '../client/wire.ts';
import { commandNamed, EXTENSION_COMMANDS, showHelp } from './commands/index.ts';
import type { Endpoint } from './endpoint.ts';
import { Exit, exitForFault } from './exit-codes.ts';
import { faultException, PyException } from './pyerrors.ts';
import { call, ProtocolError } from './rpc-client.ts';
import type { Terminal } from './terminal.ts';

/** The API version supervisorctl 4.2.5 expects of getVersion(). */
const API_VERSION = '3.0';

export interface Session extends Endpoint {
  interactive: boolean;
}

const IDENTCHARS = /[A-Za-z0-9_]/;

/**
 * cmd.Cmd.parseline: the command word, its argument, the stripped line (null: no command
 * word). A statevisor command's name is a word of its own even where it holds a `-`.
 */
export function parseline(raw: string): [string | null, string, string] {
  let line = raw.trim();
  if (!line) return [null, '', line];
  const word = /^\S+/.exec(line)![0];
  if (Object.hasOwn(EXTENSION_COMMANDS, word)) return [word, line.slice(word.length).trim(), line];
  if (line[0] === '?') line = `help ${line.slice(1)}`;
  else if (line[0] === '!') return [null, '', line];
  let i = 0;
  while (i < line.length && IDENTCHARS.test(line[i]!)) i++;
  return [line.slice(0, i), line.slice(i).trim(), line];
}

export class Controller {
  exitstatus: number = Exit.SUCCESS;
  /** getAllProcessInfo for completion, fetched once per command line. */
  private completeInfo: Promise<ProcessInfo[]> | null = null;

  constructor(readonly session: Session, readonly terminal: Terminal) {}

  output(message: string): void {
    this.terminal.write(`${message}\n`);
  }

  /** A line for stderr, where output meant for a program (status --json) must stay parseable. */
  outputError(message: string): void {
    this.terminal.writeError(`${message}\n`);
  }

  /** A call on the server's `supervisor.` namespace; the caller names the result's type. */
  supervisor<T = XmlRpcValue>(method: string, ...params: XmlRpcValue[]): Promise<T> {
    return call(this.session, `supervisor.${method}`, params) as Promise<T>;
  }

  /** A call on statevisor's own namespace, which supervisord does not have. */
  statevisor<T = XmlRpcValue>(method: string, ...params: XmlRpcValue[]): Promise<T> {
    return call(this.session, `statevisor.${method}`, params) as Promise<T>;
  }

  setExitFromFault(code: number, ignored?: number): void {
    this.exitstatus = exitForFault(code, ignored) ?? this.exitstatus;
  }

  /** Is a supervisord with the supervisor API there? Says why not, and sets the status. */
  async upcheck(): Promise<boolean> {
    try {
      const api = await this.supervisor('getVersion');
      if (api !== API_VERSION) {
        this.output(`Sorry, this version of supervisorctl expects to talk to a server with API version ${API_VERSION}, but the remote version is ${String(api)}.`);
        this.exitstatus = Exit.NOT_INSTALLED;
        return false;
      }
    } catch (e) {
      if (e instanceof RpcFault && e.faultCode === 1) {
        this.output('Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).');
        this.exitstatus = Exit.UNIMPLEMENTED_FEATURE;
        return false;
      }
      if (e instanceof PyException && e.errno === 'ECONNREFUSED') {
        this.output(`${this.session.serverurl} refused connection`);
        this.exitstatus = Exit.INSUFFICIENT_PRIVILEGES;
        return false;
      }
      if (e instanceof PyException && e.errno === 'ENOENT') {
        this.output(`${this.session.serverurl} no such file`);
        this.exitstatus = Exit.NOT_RUNNING;
        return false;
      }
      this.exitstatus = Exit.GENERIC;
      throw e;
    }
    return true;
  }

  /** Runs one command line; true when the shell should stop. */
  async onecmd(input: string): Promise<boolean> {
    const [cmd, arg, line] = parseline(input);
    if (!line) return false;
    this.completeInfo = null;
    const run = cmd ? this.commandFor(cmd) : null;
    if (!run) {
      this.output(`*** Unknown syntax: ${line}`);
      this.exitstatus = Exit.GENERIC;
      return false;
    }
    try {
      try {
        return await run(arg);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        if (e.status !== 401) {
          this.exitstatus = Exit.GENERIC;
          throw e;
        }
        this.output('Server requires authentication');
        if (this.session.interactive) {
          const username = await this.terminal.readLine('Username:');
          const password = await this.terminal.readSecret('Password:');
          this.output('');
          this.session.username = username ?? '';
          this.session.password = password ?? '';
          return this.onecmd(line);
        }
        this.exitstatus = Exit.GENERIC;
      }
      // supervisorctl runs the command a second time after a 401 it cannot answer.
      await run(arg);
    } catch (e) {
      this.output(reportOf(e));
      this.exitstatus = Exit.GENERIC;
    }
    return false;
  }

  private commandFor(cmd: string): ((arg: string) => Promise<boolean>) | null {
    if (cmd === 'help') return async (arg) => (showHelp(this, arg), false);
    if (cmd === 'EOF') return async () => this.eof();
    const command = commandNamed(cmd);
    return command ? async (arg) => (await command.run(this, arg)) === true : null;
  }

  /** do_EOF: a blank line, and the shell stops. */
  eof(): true {
    this.output('');
    return true;
  }

  processInfoForCompletion(): Promise<ProcessInfo[]> {
    this.completeInfo ??= this.supervisor<ProcessInfo[]>('getAllProcessInfo');
    this.completeInfo.catch(() => (this.completeInfo = null));
    return this.completeInfo;
  }
}

/** onecmd's catch-all line for a failure. */
function reportOf(e: unknown): string {
  if (e instanceof RpcFault) return faultException(e.faultCode, e.faultString).report;
  if (e instanceof PyException) return e.report;
  const err = e instanceof Error ? e : new Error(String(e));
  return `error: <class 'Exception'>, ${err.message}: file: ${err.stack?.split('\n')[1]?.trim() ?? '?'} line: 0`;
}
