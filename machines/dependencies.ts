// depends_on as data and pure functions (no XState): whether a dependency holds, what a
// process waits for, which programs a start pulls in and a stop takes down, and the
// order groups stop in. The root (supervisor.ts) evaluates them on each state change
// and tells each waiting process with a DEPS event; the process's guards decide.
//
// Conditions after process-compose's depends_on (process_started, process_healthy,
// process_completed_successfully) and s6-rc: `running` is every process of the program
// RUNNING (which, with a ready_check, means ready); `started` is spawned; `completed` is
// exited with one of its exitcodes.
import type { Dependency, DependencyCondition } from '../src/config/ext-lifecycle.ts';
import type { GroupConfig, ProcessConfig } from '../src/config/types.ts';
import { isStopped, type ProcessStateName } from '../src/states.ts';
import type { GroupEmitted } from './emitted.ts';

/** What the root knows of one process of a dependency. */
export interface MemberFacts {
  state: ProcessStateName;
  pid: number;
  /** The last exit status is one of its exitcodes. */
  exitOk: boolean;
}

/** What a dependent process is told: what it still waits for, or the dependency that failed. */
export interface DependencyStatus {
  waiting: string | null;
  failed: string | null;
}

export function holds(condition: DependencyCondition, f: MemberFacts): boolean {
  switch (condition) {
    case 'running': return f.state === 'RUNNING';
    case 'started': return f.state === 'RUNNING' || f.state === 'EXITED' || f.state === 'STOPPING' || (f.state === 'STARTING' && f.pid !== 0);
    case 'completed': return f.state === 'EXITED' && f.exitOk;
  }
}

/** A dependency that can no longer come true without a user's start. */
function failure(d: Dependency, f: MemberFacts): string | null {
  if (f.state === 'FATAL') return `dependency ${d.program} is FATAL`;
  if (d.condition === 'completed' && f.state === 'EXITED' && !f.exitOk) return `dependency ${d.program} exited with an unexpected status`;
  return null;
}

export const waitingText = (deps: readonly Dependency[]): string | null =>
  deps.length ? `waiting for ${deps.map((d) => `${d.program} (${d.condition})`).join(', ')}` : null;

/** A dependent's status; `facts(program)` gives every process of that program. */
export function dependencyStatus(deps: readonly Dependency[], facts: (program: string) => MemberFacts[]): DependencyStatus {
  const unmet: Dependency[] = [];
  for (const d of deps) {
    const members = facts(d.program);
    for (const f of members) {
      const failed = failure(d, f);
      if (failed) return { waiting: null, failed };
    }
    if (!members.every((f) => holds(d.condition, f))) unmet.push(d);
  }
  return { waiting: waitingText(unmet), failed: null };
}

/** Where the root finds what it evaluates, made once per set of groups. */
export interface DependencyIndex {
  /** The processes that have depends_on. */
  dependents: { group: string; name: string; deps: readonly Dependency[] }[];
  /** program → its processes. */
  members: Map<string, { group: string; name: string }[]>;
  /** process name → the programs of the processes so named (names may repeat across groups). */
  programsNamed: Map<string, string[]>;
}

export function dependencyIndex(groups: readonly GroupConfig[]): DependencyIndex {
  const index: DependencyIndex = { dependents: [], members: new Map(), programsNamed: new Map() };
  for (const g of groups) {
    for (const p of g.processes) {
      const program = p.statevisor.program;
      if (p.statevisor.depends_on.length) index.dependents.push({ group: g.name, name: p.name, deps: p.statevisor.depends_on });
      index.members.set(program, [...(index.members.get(program) ?? []), { group: g.name, name: p.name }]);
      index.programsNamed.set(p.name, [...(index.programsNamed.get(p.name) ?? []), program]);
    }
  }
  return index;
}

/**
 * The programs whose processes these events concern: a state change, or a spawn (the
 * `spawned:` line, which is when `started` comes true).
 */
export function touchedPrograms(index: DependencyIndex, events: readonly GroupEmitted[]): Set<string> {
  const touched = new Set<string>();
  for (const e of events) {
    const name = e.type === 'state' ? e.name : /^spawned: '(.*)' with pid \d+$/.exec(e.message)?.[1];
    for (const program of (name === undefined ? [] : index.programsNamed.get(name) ?? [])) touched.add(program);
  }
  return touched;
}

/** program → the programs it depends on, from every process's config. */
export function dependencyGraph(groups: readonly GroupConfig[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const g of groups) for (const p of g.processes) graph.set(p.statevisor.program, p.statevisor.depends_on.map((d) => d.program));
  return graph;
}

/** `program` and everything it depends on, transitively, dependencies first (a start order). */
export function withDependencies(graph: ReadonlyMap<string, readonly string[]>, program: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    for (const d of graph.get(p) ?? []) visit(d);
    out.push(p);
  };
  visit(program);
  return out;
}

/** The programs that depend on `program`, transitively, dependents first (a stop order), without it. */
export function dependentsOf(graph: ReadonlyMap<string, readonly string[]>, program: string): string[] {
  const out: string[] = [];
  const seen = new Set([program]);
  // Post-order over "is depended on by": a program is listed after all that depend on it.
  const visit = (p: string) => {
    for (const [q, deps] of graph) {
      if (!deps.includes(p) || seen.has(q)) continue;
      seen.add(q);
      visit(q);
      out.push(q);
    }
  };
  visit(program);
  return out;
}

/**
 * Members of one group that must not stop yet: a member of the group that depends on
 * them is still up. A group's stop-all sweeps again as each member stops.
 */
export function heldByDependents(members: readonly ProcessConfig[], states: Readonly<Record<string, ProcessStateName>>): Set<string> {
  const held = new Set<string>();
  for (const q of members) {
    if (isStopped(states[q.name] ?? 'STOPPED')) continue;
    for (const d of q.statevisor.depends_on) {
      for (const p of members) if (p !== q && p.statevisor.program === d.program) held.add(p.name);
    }
  }
  return held;
}

/**
 * The order groups stop in at shutdown and reload: supervisor's (descending priority,
 * `sequence`), except that a group waits until every group depending on it has stopped.
 * A group that depends on itself through [group:x] members stops in its turn.
 */
export function groupStopSequence(sequence: readonly string[], groups: Readonly<Record<string, GroupConfig>>): string[] {
  // Without depends_on it is supervisor's sequence: no pass over every pair of groups (1,000 groups: 1,000,000 looks).
  if (!sequence.some((g) => groups[g].processes.some((p) => p.statevisor.depends_on.length))) return [...sequence];
  const programsOf = (g: string) => new Set(groups[g].processes.map((p) => p.statevisor.program));
  const needs = (g: string, h: string) => groups[g].processes.some((p) => p.statevisor.depends_on.some((d) => programsOf(h).has(d.program)));
  const left = [...sequence];
  const out: string[] = [];
  while (left.length) {
    const free = left.find((h) => !left.some((g) => g !== h && needs(g, h))) ?? left[0];
    out.push(free);
    left.splice(left.indexOf(free), 1);
  }
  return out;
}
