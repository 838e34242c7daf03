// status and pid.
import { Faults, RpcFault } from '../../faults.ts';
import { STOPPED_STATES } from '../../states.ts';
import { Exit, StatusExit } from '../exit-codes.ts';
import type { ProcessInfo } from '../../client/wire.ts';
import { statusLines } from '../format.ts';
import { processesNamed, words, type Command } from './command.ts';

export const status: Command = {
  async run(ctl, arg) {
    // status answers 4 (unknown) whenever the server cannot be asked.
    if (!(await ctl.upcheck())) {
      ctl.exitstatus = StatusExit.UNKNOWN;
      return;
    }
    const all = await ctl.supervisor<ProcessInfo[]>('getAllProcessInfo');
    // statevisor's --json: the same processes as getAllProcessInfo's structs, errors on
    // stderr. `help status` stays supervisorctl's text; the README documents it.
    const json = words(arg).includes('--json');
    const names = words(arg).filter((w) => w !== '--json');
    let matching: ProcessInfo[] = all;
    if (names.length && !names.includes('all')) {
      matching = [];
      for (const name of names) {
        const found = processesNamed(name, all);
        if (typeof found !== 'string') {
          for (const f of found) matching.push(f);
          continue;
        }
        if (json) ctl.outputError(found);
        else ctl.output(found);
        ctl.exitstatus = StatusExit.UNKNOWN;
      }
    }
    if (json) ctl.output(JSON.stringify(matching, null, 2));
    else for (const line of statusLines(matching)) ctl.output(line);
    if (matching.some((i) => STOPPED_STATES.includes(i.state))) ctl.exitstatus = StatusExit.NOT_RUNNING;
  },
  help: 'status <name>\t\tGet status for a single process\nstatus <gname>:*\tGet status for all processes in a group\nstatus <name> <name>\tGet status for multiple named processes\nstatus\t\t\tGet all process status info',
};

export const pid: Command = {
  async run(ctl, arg) {
    if (!(await ctl.upcheck())) return;
    const names = words(arg);
    if (!names.length) {
      ctl.output(String(await ctl.supervisor<number>('getPID')));
      return;
    }
    if (names.includes('all')) {
      for (const info of await ctl.supervisor<ProcessInfo[]>('getAllProcessInfo')) ctl.output(String(info.pid));
      return;
    }
    for (const name of names) {
      let info: ProcessInfo;
      try {
        info = await ctl.supervisor<ProcessInfo>('getProcessInfo', name);
      } catch (e) {
        ctl.exitstatus = Exit.GENERIC;
        if (e instanceof RpcFault && e.faultCode === Faults.BAD_NAME) {
          ctl.output(`No such process ${name}`);
          continue;
        }
        throw e;
      }
      ctl.output(String(info.pid));
      if (info.pid === 0) ctl.exitstatus = Exit.NOT_RUNNING;
    }
  },
  help: 'pid\t\t\tGet the PID of supervisord.\npid <name>\t\tGet the PID of a single child process by name.\npid all\t\t\tGet the PID of every child process, one per line.',
};
