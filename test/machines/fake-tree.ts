// The whole actor tree (supervisor → groups → processes) with fake children under a
// SimulatedClock, for tests that need the root; not started, so a test can arm its fakes first.
import { createActor, SimulatedClock } from 'xstate';
import type { SupervisorEmitted } from '../../machines/emitted.ts';
import { groupMachine } from '../../machines/group.ts';
import { processMachine } from '../../machines/process.ts';
import { supervisorMachine } from '../../machines/supervisor.ts';
import type { GroupConfig } from '../../src/config/types.ts';
import { FakeChildren, type KillOutcome } from './fake-child.ts';

/** The clock's zero as a wall-clock time (ms). */
export const BASE = 1_700_000_000_000;

export function fakeTree(groups: GroupConfig[], onKill: (name: string, sig: number) => KillOutcome = () => ({ dieAfter: 10 })) {
  const clock = new SimulatedClock();
  const fake = new FakeChildren({ now: () => BASE + clock.now(), onKill, schedule: (fn, ms) => clock.setTimeout(fn, ms) });
  const process = processMachine.provide({ actors: { child: fake.logic } });
  const machine = supervisorMachine.provide({ actors: { group: groupMachine.provide({ actors: { process } }) } });
  const emitted: SupervisorEmitted[] = [];
  const actor = createActor(machine, { clock, input: { groups, publish: (e) => emitted.push(e) } });
  return { clock, fake, actor, emitted };
}
