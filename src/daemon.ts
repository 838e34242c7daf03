// statevisord: the composition root.
import { ConfigValueError } from './config/errors.ts';
import { nodeHost } from './config/host.ts';
import { loadConfig } from './config/load.ts';
import { printConfig } from './config/print.ts';
import { parseArgs, searchPaths } from './daemon/options.ts';

function main(argv: string[]): number {
  const host = nodeHost();
  const parsed = parseArgs(argv, host);
  if ('exit' in parsed) {
    if (parsed.stdout) process.stdout.write(parsed.stdout);
    if (parsed.stderr) process.stderr.write(parsed.stderr);
    return parsed.exit;
  }
  const paths = searchPaths(process.argv[1] ?? '');
  const configfile = parsed.run.configfile ?? paths.find((p) => host.exists(p));
  if (!configfile) {
    process.stderr.write(`Error: No config file found at default paths (${paths.join(', ')}); use the -c option to specify a config file at a different path\nFor help, use statevisord -h\n`);
    return 2;
  }
  if (parsed.run.printConfig) {
    process.stdout.write(`${printConfig(configfile)}\n`);
    return 0;
  }
  try {
    loadConfig(configfile, host);
  } catch (e) {
    if (!(e instanceof ConfigValueError)) throw e;
    process.stderr.write(`Error: ${e.message}\nFor help, use statevisord -h\n`);
    return 2;
  }
  process.stderr.write('statevisord: the configuration is valid; supervising programs is not implemented yet (use --print-config)\n');
  return 1;
}

process.exitCode = main(process.argv.slice(2));
