// supervisord's set_rlimits_or_exit: raise RLIMIT_NOFILE / RLIMIT_NPROC to minfds /
// minprocs. Node has no setrlimit, so the raise goes through util-linux's prlimit(1) on our
// own pid, which the kernel allows within the hard limit (beyond it, as root).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

interface Limit { resource: 'nofile' | 'nproc'; row: string; name: string; min: number; msg: (hard: string) => string }

export function limitsFor(minfds: number, minprocs: number): Limit[] {
  return [
    {
      resource: 'nofile', row: 'Max open files', name: 'RLIMIT_NOFILE', min: minfds,
      msg: (hard) => `The minimum number of file descriptors required to run this process is ${minfds} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${hard} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.`,
    },
    {
      resource: 'nproc', row: 'Max processes', name: 'RLIMIT_NPROC', min: minprocs,
      msg: (hard) => `The minimum number of available processes required to run this program is ${minprocs} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${hard} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.`,
    },
  ];
}

/** [soft, hard] from /proc/self/limits; -1 for unlimited. */
export function current(row: string): [number, number] {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith(row)) ?? '';
  const [soft, hard] = line.slice(row.length).trim().split(/\s+/).map((v) => (v === 'unlimited' ? -1 : Number(v)));
  return [soft, hard];
}

/** Raise each limit below its minimum; returns the info lines, or throws the usage message. */
export function setRlimits(minfds: number, minprocs: number): string[] {
  const infos: string[] = [];
  for (const limit of limitsFor(minfds, minprocs)) {
    const [soft, hard] = current(limit.row);
    if (soft === -1 || soft >= limit.min) continue;
    const newHard = hard !== -1 && hard < limit.min ? limit.min : hard;
    const r = spawnSync('prlimit', ['--pid', String(process.pid), `--${limit.resource}=${limit.min}:${newHard === -1 ? 'unlimited' : newHard}`], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(limit.msg(String(newHard)));
    infos.push(`Increased ${limit.name} limit to ${limit.min}`);
  }
  return infos;
}
