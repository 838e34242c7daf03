// statevisord: the composition root. supervisord's main(): read the configuration, become
// a daemon, then run the actor tree until it shuts down, re-reading the configuration on
// each restart.
import { unlinkSync, writeFileSync } from 'node:fs';
import { ConfigValueError } from './config/errors.ts';
import { nodeHost, type ConfigHost } from './config/host.ts';
import { printConfig } from './config/print.ts';
import { clearAutoChildLogDir } from './logs/autoname.ts';
import { makeMainLog, replayParseMessages } from './logs/main-log.ts';
import { detach, isDetachedCopy, reportFailure, reportReady } from './daemon/detach.ts';
import { LastResort } from './daemon/last-resort.ts';
import { setRlimits } from './daemon/limits.ts';
import { holdOptimizer } from './daemon/start-up-tiering.ts';
import { parseArgs, searchPaths, type DaemonArgs } from './daemon/options.ts';
import { dropPrivileges, ROOT_WARNING } from './daemon/privileges.ts';
import { DaemonMetrics } from './daemon/metrics.ts';
import { realize, type Realized } from './daemon/realize.ts';
import { SignalQueue } from './daemon/signals.ts';
import { supervise } from './daemon/supervise.ts';
import { EventBus } from './events/bus.ts';
import { HttpServerError } from './http/server-error.ts';
import { startReaper, trackNodeChildren } from './runtime/reaper.ts';
import type { InspectBridge } from './web/inspect-bridge.ts';

const usage = (msg: string): number => {
  const text = `Error: ${msg}\nFor help, use statevisord -h\n`;
  process.stderr.write(text);
  reportFailure(text);
  return 2;
};

async function run(first: Realized, args: DaemonArgs, host: ConfigHost, daemonized: boolean): Promise<number> {
  let inspect: InspectBridge | null = null;
  if (args.inspect !== null) {
    try {
      // loaded only for --inspect: it brings ws, some 3 MB of a daemon's RSS (bench/README.md)
      const { startInspectBridge } = await import('./web/inspect-bridge.ts');
      inspect = await startInspectBridge(args.inspect);
    } catch (e) {
      return usage(`cannot serve --inspect on 127.0.0.1:${args.inspect}: ${(e as Error).message}`);
    }
  }
  // before the first spawn: an orphan reaper must know every pid libuv will reap itself
  trackNodeChildren();
  const signals = new SignalQueue();
  const bus = new EventBus();
  const metrics = new DaemonMetrics(bus);
  try {
    return await runRounds(first, args, host, daemonized, { signals, bus, metrics }, inspect);
  } finally {
    metrics.close();
    signals.close();
    await inspect?.close();
  }
}

/** Uncaught errors go to the current round's main log at CRIT; the daemon lives on. */
const lastResort = new LastResort();

/** What outlives a reload. */
interface Lasting {
  signals: SignalQueue;
  bus: EventBus;
  metrics: DaemonMetrics;
}

async function runRounds(first: Realized, args: DaemonArgs, host: ConfigHost, daemonized: boolean, lasting: Lasting, inspect: InspectBridge | null): Promise<number> {
  let current: Realized = first;
  for (let round = 0; ; round++) {
    const { config, uid, serverurl } = current;
    const sd = config.supervisord;
    const criticals: string[] = [];
    const infos: string[] = [];
    if (uid === null) {
      if (host.uid === 0) criticals.push(ROOT_WARNING);
    } else {
      const failure = dropPrivileges(String(uid), host);
      if (failure) return usage(failure);
      infos.push(`Set uid to user ${uid} succeeded`);
    }
    if (round === 0) {
      if (inspect) infos.push(`inspector: XState inspection events on ws://127.0.0.1:${inspect.port}, Stately's inspector at http://127.0.0.1:${inspect.port}/`);
      try {
        infos.push(...setRlimits(sd.minfds, sd.minprocs));
      } catch (e) {
        return usage((e as Error).message);
      }
    }
    const mainLog = makeMainLog(sd);
    lastResort.use(mainLog);
    replayParseMessages(mainLog, { criticals, warnings: config.messages.warnings, infos: [...infos, ...config.messages.infos] });
    if (!sd.nocleanup) await clearAutoChildLogDir(sd.childlogdir, sd.identifier, (m) => mainLog.warn(m));
    if (daemonized && round === 0) {
      mainLog.info('daemonizing the supervisord process');
      if (sd.directory) {
        try {
          process.chdir(sd.directory);
          mainLog.info(`set current directory: '${sd.directory}'`);
        } catch (e) {
          mainLog.critical(`can't chdir into '${sd.directory}': ${(e as Error).message}`);
        }
      }
      process.umask(sd.umask);
    }
    let pidfileWritten = false;
    const writePidfile = () => {
      try {
        writeFileSync(sd.pidfile, `${process.pid}\n`);
        pidfileWritten = true;
        mainLog.info(`supervisord started with pid ${process.pid}`);
      } catch {
        mainLog.critical(`could not write pidfile ${sd.pidfile}`);
      }
    };
    const reload = () => {
      try {
        return realize(args.configfile!, args.overrides, nodeHost());
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
    };
    // as PID 1 orphans come to us anyway; elsewhere subreaper = true asks the kernel for them
    const reaper = process.pid === 1 || sd.statevisor.subreaper
      ? startReaper({ subreaper: sd.statevisor.subreaper, info: (m) => mainLog.info(m), warn: (m) => mainLog.warn(m) })
      : null;
    let outcome;
    try {
      // A detached copy reports ready once its pidfile exists, so the foreground exits after it.
      const beforeStart = () => {
        writePidfile();
        reportReady();
      };
      outcome = await supervise({ config, mainLog, ...lasting, daemon: { env: { ...process.env }, serverurl }, beforeStart, reread: reload, inspect: inspect?.observer });
    } catch (e) {
      // openhttpservers() failing is supervisord's usage error
      if (e instanceof HttpServerError) return usage(e.message);
      throw e;
    } finally {
      reaper?.stop();
      if (pidfileWritten) try { unlinkSync(sd.pidfile); } catch { /* gone already */ }
      lastResort.use(null);
      await mainLog.close();
    }
    if (!outcome.restart || !outcome.next) return outcome.exitStatus;
    current = outcome.next;
  }
}

async function main(argv: string[]): Promise<number> {
  holdOptimizer();
  const host = nodeHost();
  const daemonized = isDetachedCopy();
  const parsed = parseArgs(argv, host);
  if ('exit' in parsed) {
    if (parsed.stdout) process.stdout.write(parsed.stdout);
    if (parsed.stderr) process.stderr.write(parsed.stderr);
    return parsed.exit;
  }
  const args = parsed.run;
  const paths = searchPaths(process.argv[1] ?? '');
  args.configfile ??= paths.find((p) => host.exists(p)) ?? null;
  if (!args.configfile) {
    return usage(`No config file found at default paths (${paths.join(', ')}); use the -c option to specify a config file at a different path`);
  }
  if (args.printConfig) {
    process.stdout.write(`${printConfig(args.configfile)}\n`);
    return 0;
  }
  let realized: Realized;
  try {
    realized = realize(args.configfile, args.overrides, host);
  } catch (e) {
    if (e instanceof ConfigValueError) return usage(e.message);
    throw e;
  }
  if (!realized.config.supervisord.nodaemon && !daemonized) return detach();
  return run(realized, args, host, daemonized);
}

process.exitCode = await main(process.argv.slice(2));
