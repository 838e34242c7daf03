// avail, reread, update, add and remove: the configuration as the daemon has it, and the
// groups it adds, changes and drops.
import { Faults, RpcFault } from '../../faults.ts';
import { Exit } from '../exit-codes.ts';
import type { ConfigInfo, ProcessInfo, ProcessResult } from '../../client/wire.ts';
import { configInfoLine } from '../format.ts';
import { rejectArguments, words, type Command } from './command.ts';

/** reloadConfig's answer: [[added, changed, removed]]. */
type Changes = [[string[], string[], string[]]];

/** The fault's code when it is one, else rethrown. */
function faultCode(e: unknown): number {
  if (e instanceof RpcFault) return e.faultCode;
  throw e;
}

export const avail: Command = {
  async run(ctl, arg) {
    if (rejectArguments(ctl, 'avail', avail, arg)) return;
    let infos: ConfigInfo[];
    try {
      infos = await ctl.supervisor<ConfigInfo[]>('getAllConfigInfo');
    } catch (e) {
      ctl.exitstatus = Exit.GENERIC;
      if (faultCode(e) !== Faults.SHUTDOWN_STATE) throw e;
      ctl.output('ERROR: supervisor shutting down');
      return;
    }
    for (const info of infos) ctl.output(configInfoLine(info));
  },
  help: 'avail\t\t\tDisplay all configured processes',
};

export const reread: Command = {
  async run(ctl, arg) {
    if (rejectArguments(ctl, 'reread', reread, arg)) return;
    let result: Changes;
    try {
      result = await ctl.supervisor<Changes>('reloadConfig');
    } catch (e) {
      ctl.exitstatus = Exit.GENERIC;
      const code = faultCode(e);
      if (code === Faults.SHUTDOWN_STATE) ctl.output('ERROR: supervisor shutting down');
      else if (code === Faults.CANT_REREAD) ctl.output(`ERROR: ${(e as RpcFault).faultString}`);
      else throw e;
      return;
    }
    const [added, changed, removed] = result[0];
    const changes = new Map<string, string>();
    for (const [names, what] of [[added, 'available'], [changed, 'changed'], [removed, 'disappeared']] as const) {
      for (const n of names) changes.set(n, what);
    }
    if (!changes.size) ctl.output('No config updates to processes');
    // Python sorts by code point; so does a plain comparison of the strings' UTF-16 for BMP text.
    for (const name of [...changes.keys()].sort()) ctl.output(`${name}: ${changes.get(name)}`);
  },
  help: "reread \t\t\tReload the daemon's configuration files without add/remove",
};

export const add: Command = {
  async run(ctl, arg) {
    for (const name of words(arg)) {
      try {
        await ctl.supervisor('addProcessGroup', name);
        ctl.output(`${name}: added process group`);
      } catch (e) {
        const code = faultCode(e);
        if (code === Faults.SHUTDOWN_STATE) {
          ctl.output('ERROR: shutting down');
          ctl.exitstatus = Exit.GENERIC;
        } else if (code === Faults.ALREADY_ADDED) ctl.output('ERROR: process group already active');
        else if (code === Faults.BAD_NAME) {
          ctl.output(`ERROR: no such process/group: ${name}`);
          ctl.exitstatus = Exit.GENERIC;
        } else throw e;
      }
    }
  },
  help: 'add <name> [...]\tActivates any updates in config for process/group',
};

export const remove: Command = {
  async run(ctl, arg) {
    for (const name of words(arg)) {
      try {
        await ctl.supervisor('removeProcessGroup', name);
        ctl.output(`${name}: removed process group`);
      } catch (e) {
        const code = faultCode(e);
        ctl.exitstatus = Exit.GENERIC;
        if (code === Faults.STILL_RUNNING) ctl.output(`ERROR: process/group still running: ${name}`);
        else if (code === Faults.BAD_NAME) ctl.output(`ERROR: no such process/group: ${name}`);
        else throw e;
      }
    }
  },
  help: 'remove <name> [...]\tRemoves process/group from active config',
};

export const update: Command = {
  async run(ctl, arg) {
    const log = (name: string, message: string) => ctl.output(`${name}: ${message}`);
    let result: Changes;
    try {
      result = await ctl.supervisor<Changes>('reloadConfig');
    } catch (e) {
      ctl.exitstatus = Exit.GENERIC;
      if (faultCode(e) !== Faults.SHUTDOWN_STATE) throw e;
      ctl.output('ERROR: already shutting down');
      return;
    }
    const [added, changed, removed] = result[0];
    let wanted = new Set(words(arg));
    if (wanted.has('all')) wanted = new Set();
    if (wanted.size) {
      const groups = new Set((await ctl.supervisor<ProcessInfo[]>('getAllProcessInfo')).map((i) => i.group));
      for (const g of added) groups.add(g);
      // Python iterates a set: its order is its hash order, which for more than one
      // unknown name is not the order given; one name (the common case) is exact.
      for (const g of wanted) {
        if (!groups.has(g)) {
          ctl.output(`ERROR: no such group: ${g}`);
          ctl.exitstatus = Exit.GENERIC;
        }
      }
    }
    const skip = (g: string) => wanted.size > 0 && !wanted.has(g);
    for (const g of removed) {
      if (skip(g)) continue;
      const results = await ctl.supervisor<ProcessResult[]>('stopProcessGroup', g);
      log(g, 'stopped');
      if (results.some((r) => r.status === Faults.FAILED)) {
        ctl.output(`${g}: has problems; not removing`);
        ctl.exitstatus = Exit.GENERIC;
        continue;
      }
      await ctl.supervisor('removeProcessGroup', g);
      log(g, 'removed process group');
    }
    for (const g of changed) {
      if (skip(g)) continue;
      await ctl.supervisor('stopProcessGroup', g);
      log(g, 'stopped');
      await ctl.supervisor('removeProcessGroup', g);
      await ctl.supervisor('addProcessGroup', g);
      log(g, 'updated process group');
    }
    for (const g of added) {
      if (skip(g)) continue;
      await ctl.supervisor('addProcessGroup', g);
      log(g, 'added process group');
    }
  },
  help: 'update\t\t\tReload config and add/remove as necessary, and will restart affected programs\nupdate all\t\tReload config and add/remove as necessary, and will restart affected programs\nupdate <gname> [...]\tUpdate specific groups',
};
