// quietNotes (machines/listener-step.ts) against the actor: for every token in every
// state, a step it answers must be one the actor takes without a change of snapshot, and
// its notes must be the ones the actor emits; every other step it leaves to the actor.
import * as assert from 'uvu/assert';
import { createActor } from 'xstate';
import { listenerMachine, type ListenerEmitted, type ListenerEvent, type ListenerStateName } from '../../machines/listener.ts';
import { quietNotes } from '../../machines/listener-step.ts';
import { suite } from '../harness.ts';

/** The tokens a machine takes, every RESULT variant among them. */
const TOKENS: ListenerEvent[] = [
  { type: 'READY' },
  { type: 'UNEXPECTED' },
  { type: 'SENT' },
  { type: 'BAD_RESULT', line: new TextEncoder().encode('RESULT x'), reason: 'not an int', limit: 1024 },
  ...(['processed', 'rejected', 'error'] as const).flatMap((verdict) => [
    { type: 'RESULT', verdict, ready: false },
    { type: 'RESULT', verdict, ready: true },
    { type: 'RESULT', verdict, ready: true, next: true },
  ] as ListenerEvent[]),
];

/** How each state is reached from the start. */
const PATHS: Record<ListenerStateName, ListenerEvent[]> = {
  ACKNOWLEDGED: [],
  READY: [{ type: 'READY' }],
  BUSY: [{ type: 'READY' }, { type: 'SENT' }],
  UNKNOWN: [{ type: 'UNEXPECTED' }],
};

function actorIn(state: ListenerStateName) {
  const actor = createActor(listenerMachine, { input: { name: 'lis' } });
  const emitted: ListenerEmitted[] = [];
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  for (const e of PATHS[state]) actor.send(e);
  assert.is(actor.getSnapshot().value, state);
  emitted.length = 0;
  return { actor, emitted };
}

const S = suite('listener quiet step');

S('every token in every state: a quiet step is the actor\'s step without a change, with the same notes', () => {
  const quiet: string[] = [];
  for (const state of Object.keys(PATHS) as ListenerStateName[]) {
    for (const token of TOKENS) {
      const { actor, emitted } = actorIn(state);
      const before = actor.getSnapshot();
      const notes = quietNotes(before, token);
      actor.send(token);
      const after = actor.getSnapshot();
      const what = `${state} + ${JSON.stringify({ ...token, line: undefined })}`;
      if (notes === null) continue;
      quiet.push(what);
      assert.is(after.value, before.value, `${what}: the state`);
      assert.is(after.context, before.context, `${what}: the context`);
      assert.equal(emitted.map((e) => e.notes), [notes], `${what}: the notes`);
    }
  }
  // The usual acknowledgement with the next event at once: the hot path must be quiet.
  assert.equal(quiet, [
    'BUSY + {"type":"RESULT","verdict":"processed","ready":true,"next":true}',
    'BUSY + {"type":"RESULT","verdict":"rejected","ready":true,"next":true}',
  ]);
});

S('a stopped machine takes no quiet step', () => {
  const { actor } = actorIn('BUSY');
  actor.stop();
  assert.is(quietNotes(actor.getSnapshot(), { type: 'RESULT', verdict: 'processed', ready: true, next: true }), null);
});

S.run();
