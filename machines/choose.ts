// An action that stands for the actions its function picks, or for none: enqueueActions
// without its cost. XState's enqueueActions builds an `enqueue` function with nine helper
// closures on every call (actions/enqueueActions.ts, resolveEnqueueActions), ~1 KB, even
// when it enqueues nothing, and a process step runs several whose options are unset (no
// ready check, no health check, no restart delay). `choose` returns the actions as
// XState's own built-ins do, through the `resolve` hook enqueueActions uses: the actions
// are resolved in order right after it, as enqueued ones are. test/machines/choose.test.ts
// holds XState to that.
import type { AnyActorRef, EventObject, MachineContext } from 'xstate';

export interface ChooseArgs<TContext extends MachineContext, TEvent extends EventObject> {
  context: TContext;
  event: TEvent;
  self: AnyActorRef;
}

/** A built-in action (raise, assign, emit, …), a named one, or the object form with params. */
type Picked = unknown;

/**
 * `pick` returns the actions to run now (built-in action creators' results or names of
 * the machine's actions), or undefined for none, which costs one small array.
 */
export function choose<TContext extends MachineContext, TEvent extends EventObject, TParams = undefined>(
  pick: (args: ChooseArgs<TContext, TEvent>, params: TParams) => readonly Picked[] | undefined,
): (args: ChooseArgs<TContext, TEvent>, params: TParams) => void {
  function choose(_args: ChooseArgs<TContext, TEvent>, _params: TParams): void {}
  // The shape of enqueueActions' action object: resolve returns [snapshot, params, actions], and no execute.
  choose.type = 'statevisor.choose';
  choose.resolve = (_scope: unknown, snapshot: unknown, args: ChooseArgs<TContext, TEvent>, params: TParams) => [snapshot, undefined, pick(args, params)];
  return choose;
}
