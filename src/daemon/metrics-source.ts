// The processes /metrics shows, read from the actor tree and kept while every process's
// snapshot is the same one (XState makes a new snapshot on each change): DaemonMetrics
// renders the state series again only when this hands it a new array.
import { factsOf, stateOf, type ActorTree } from './api-tree.ts';
import { Memo } from './api-util.ts';
import type { ProcessSample } from './metrics.ts';

export function processSamples(tree: ActorTree): () => readonly ProcessSample[] {
  const memo = new Memo<readonly ProcessSample[]>();
  return () => {
    const procs = tree.all(true);
    return memo.get([procs], () =>
      procs.map((p) => {
        const { pid, laststart } = factsOf(p.actor);
        return { labels: { group: p.group.name, name: p.config.name }, state: stateOf(p.actor), pid, laststart };
      }), procs, (p) => p.actor.getSnapshot());
  };
}
