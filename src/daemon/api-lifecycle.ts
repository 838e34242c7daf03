// What the lifecycle extensions add to supervisor.* (api.ts): a description that says
// why a process waits and how healthy it is, `start` pulling in the dependencies it
// needs, `stop` taking down the processes that depend on it first.
import { waitFor } from 'xstate';
import { dependentsOf, withDependencies } from '../../machines/dependencies.ts';
import type { LifecycleContext } from '../../machines/process-types.ts';
import { isRunning, isStopped, type ProcessStateName } from '../states.ts';
import { stateOf, type Proc, type ProcCommand } from './api-tree.ts';

/** getProcessInfo's description with the lifecycle's part: supervisor's own text when none applies. */
export function describe(state: ProcessStateName, base: string, p: Proc): string {
  const c = p.actor.getSnapshot().context as LifecycleContext;
  const s = p.config.statevisor;
  if (c.wantStart && c.waiting && isStopped(state)) return c.waiting;
  if (state === 'STARTING' && s.ready_check && !c.ready) {
    return `waiting for ready check ${s.ready_check.spec}${c.readyReason ? `: ${c.readyReason}` : ''}`;
  }
  if (state === 'RUNNING' && s.health_check) return `${base}, ${c.health ?? 'health check pending'}`;
  return base;
}

/** How the API hands a command to a process (the same way its own start and stop do). */
export type Send = (p: Proc, command: ProcCommand) => void;

/** program → the programs it depends on (ActorTree.dependencies); null when none has any. */
type Graph = ReadonlyMap<string, readonly string[]> | null;

const programsOf = (procs: readonly Proc[], programs: readonly string[]) => procs.filter((q) => programs.includes(q.config.statevisor.program));

/** `start x`: x's dependencies that are STOPPED start too, transitively (each waits for its own). */
export function startDependencies(p: Proc, graph: Graph, all: readonly Proc[], send: Send): void {
  if (!graph) return;
  const programs = withDependencies(graph, p.config.statevisor.program).filter((n) => n !== p.config.statevisor.program);
  for (const q of programsOf(all, programs)) if (stateOf(q.actor) === 'STOPPED') send(q, { type: 'START' });
}

/**
 * `stop x`: what depends on x stops first, transitively; resolves once all of it is
 * stopped. null when nothing depends on x.
 */
export function stopDependents(p: Proc, graph: Graph, all: readonly Proc[], send: Send): Promise<void> | null {
  if (!graph) return null;
  const programs = dependentsOf(graph, p.config.statevisor.program);
  if (!programs.length) return null;
  const procs = programsOf(all, programs);
  for (const q of procs) if (isRunning(stateOf(q.actor))) send(q, { type: 'STOP' });
  return Promise.all(procs.map((q) => waitFor(q.actor, (s) => isStopped(s.value as ProcessStateName), { timeout: Infinity }))).then(() => undefined);
}

/** stopAllProcesses' order: dependents before what they depend on, else supervisor's. */
export function dependentsFirst(all: readonly Proc[], graph: Graph): readonly Proc[] {
  if (!graph) return all;
  const depth = new Map<string, number>();
  const height = (program: string): number => {
    if (!depth.has(program)) depth.set(program, Math.max(0, ...dependentsOf(graph, program).map((d) => 1 + height(d))));
    return depth.get(program)!;
  };
  return all.map((q, i) => ({ q, i, h: height(q.config.statevisor.program) })).sort((a, b) => a.h - b.h || a.i - b.i).map((x) => x.q);
}
