// /readyz: the daemon is ready when every process that should run does. A process with
// autostart counts once it is RUNNING; a one-shot (autorestart=false) also once it has
// EXITED with one of its exitcodes: it did its job. Processes without autostart do not
// count. A daemon that is shutting down or reloading is not ready.
import { ActorTree, factsOf, namespecOf, stateOf, type Proc } from './api-tree.ts';

function done(p: Proc): boolean {
  const state = stateOf(p.actor);
  if (state === 'RUNNING') return true;
  const status = factsOf(p.actor).exitstatus;
  return state === 'EXITED' && p.config.autorestart === 'false' && status !== null && p.config.exitcodes.includes(status);
}

/** `namespec STATE` for each process that keeps the daemon from being ready. */
export function notReady(tree: ActorTree): string[] {
  const mood = tree.ctx.mood;
  if (mood !== 'RUNNING') return [`statevisord ${mood}`];
  return tree.all(true).filter((p) => p.config.autostart && !done(p)).map((p) => `${namespecOf(p)} ${stateOf(p.actor)}`);
}
