// Becoming a daemon. supervisord forks only after it has dropped privileges, set its
// rlimits and opened its HTTP servers, so "Another program is already listening" and the
// like reach the terminal with exit status 2. Node cannot fork: the foreground process
// starts a detached copy of itself (a new session) and waits on a pipe (the copy's fd 3)
// for one report, READY or the usage error, before it exits.
import { spawn } from 'node:child_process';
import { closeSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';

const DETACHED = 'STATEVISOR_DAEMONIZED';
const REPORT_FD = 3;
const READY = 'READY\n';

/** In the detached copy: true, and the variable is gone from the environment children get. */
export function isDetachedCopy(): boolean {
  const copy = process.env[DETACHED] === '1';
  delete process.env[DETACHED];
  if (copy) open = true;
  return copy;
}

let open = false;

function send(text: string): void {
  if (!open) return;
  open = false;
  try {
    writeSync(REPORT_FD, text);
    closeSync(REPORT_FD);
  } catch { /* the foreground process is gone */ }
}

/** The copy is up (servers listening): the foreground process may exit 0. */
export const reportReady = (): void => send(READY);

/** The copy fails as supervisord's usage() would: the foreground process prints it. */
export const reportFailure = (text: string): void => send(text);

/** In the foreground: start the copy, wait for its report; the exit status for this process. */
export function detach(): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, [DETACHED]: '1' },
  });
  const pipe = child.stdio[REPORT_FD] as Readable;
  let report = '';
  pipe.setEncoding('utf8').on('data', (d: string) => (report += d));
  return new Promise((resolve) => {
    const settle = (status: number) => {
      child.unref();
      pipe.destroy();
      resolve(status);
    };
    pipe.once('close', () => {
      if (report === READY) return settle(0);
      if (report) {
        process.stderr.write(report);
        return settle(2);
      }
      // Closed without a word: the copy died before it was ready.
      child.once('exit', (code, signal) => {
        process.stderr.write(`Error: the daemon exited before it was ready (${signal ?? `exit status ${code}`})\n`);
        settle(1);
      });
      if (child.exitCode !== null || child.signalCode !== null) child.emit('exit', child.exitCode, child.signalCode);
    });
  });
}
