// statevisorctl: supervisorctl's main(). With a command, run it and exit with its status;
// without one (or with -i and none), the interactive shell, which always exits 0.
import { Controller } from './controller.ts';
import { realize } from './options.ts';
import { cmdloop } from './shell.ts';
import { Terminal } from './terminal.ts';

/** Exits once stdout and stderr have taken everything written to them (pipes are async). */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

async function main(): Promise<number> {
  const realized = realize(process.argv.slice(2), process.argv[1] ?? 'statevisorctl');
  if (!('options' in realized)) {
    if (realized.stdout) process.stdout.write(realized.stdout);
    if (realized.stderr) process.stderr.write(realized.stderr);
    return realized.exit;
  }
  const { options } = realized;
  const terminal = new Terminal();
  const ctl = new Controller(
    { serverurl: options.serverurl, username: options.username, password: options.password, interactive: options.interactive },
    terminal,
  );
  try {
    if (options.args.length) {
      await ctl.onecmd(options.args.join(' '));
      return ctl.exitstatus;
    }
    await cmdloop(ctl, options.prompt, options.history_file);
    return 0;
  } finally {
    terminal.close();
  }
}

main().then(exitAfterFlush, (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  exitAfterFlush(1);
});
