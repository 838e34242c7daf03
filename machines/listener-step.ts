// A listener machine's step without XState's macrostep, where the step changes nothing
// but what it tells. A listener that acknowledges each event at once, while events wait,
// takes the same step per event: BUSY, a RESULT that came with READY and the next event,
// BUSY again (listener.ts, a targetless transition whose one action is `tell`). XState
// pays for such a step as for any other: the transitions selected, a microstep with its
// sets and arrays, the eventless transitions looked for, the actions resolved and
// executed, the observers told; some 7 µs and 5 KB a step (bench/README.md, events).
//
// quietNotes() asks the machine which transitions the event enables in the snapshot
// (StateMachine.getTransitionData, the machine's own guards) and, when that is one
// targetless transition whose only action is `tell`, returns what the step tells: the
// notes its `tell` builds from the context and the event. The snapshot it would leave
// is the one it starts from (no state entered or exited, no context assigned), so the
// actor need not take it. Any other step, and every step while an inspector watches the
// machine, goes through the actor (the pool decides that, see pool.ts step()).
// test/machines/listener-step.test.ts holds each token in each state to what the actor does.
import type { SnapshotFrom } from 'xstate';
import { listenerMachine, type ListenerEvent, type ListenerInput, type ListenerNote } from './listener.ts';

type Snapshot = SnapshotFrom<typeof listenerMachine>;

/** The object form `tell(...)` gives a transition's action (listener.ts). */
interface TellAction {
  type: 'tell';
  params: (a: { context: ListenerInput; event: ListenerEvent }) => readonly ListenerNote[];
}

const isTell = (a: unknown): a is TellAction =>
  typeof a === 'object' && a !== null && (a as { type?: unknown }).type === 'tell' && typeof (a as { params?: unknown }).params === 'function';

/** The notes of the step `event` takes from `snapshot` when that step leaves the snapshot as it is; else null. */
export function quietNotes(snapshot: Snapshot, event: ListenerEvent): readonly ListenerNote[] | null {
  if (snapshot.status !== 'active') return null;
  const transitions = snapshot.machine.getTransitionData(snapshot, event);
  if (transitions.length !== 1) return null;
  const [t] = transitions;
  if (t.target !== undefined || t.reenter || t.actions.length !== 1 || !isTell(t.actions[0])) return null;
  return t.actions[0].params({ context: snapshot.context, event });
}
