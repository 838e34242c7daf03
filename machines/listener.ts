// One event listener's protocol state: supervisor 4.2.5's PEventListenerDispatcher
// (dispatchers.py) as an explicit table. One machine per spawn (supervisor makes a new
// dispatcher per spawn), starting in ACKNOWLEDGED. It takes the protocol's tokens, not
// bytes: listener-reader.ts cuts the listener's stdout into READY, RESULT and the
// violations, as handle_listener_state_change() does, so a read that completes no token
// costs no step, and the pool sends SENT when it has written an event to the listener's
// stdin (READY → BUSY, which supervisor sets without a log line).
//
// The usual acknowledgement is one write, `RESULT 2\nOK` and `READY\n`, and a pool with
// events waiting sends the next at once: a RESULT says what came with it (`ready`) and
// whether the pool writes its next event to this listener right away (`next`), and one
// transition makes all the steps, with every log line of each in supervisor's order.
import { emit, setup } from 'xstate';
import type { LogLine } from './emitted.ts';

export type ListenerStateName = 'ACKNOWLEDGED' | 'READY' | 'BUSY' | 'UNKNOWN';

/** What the result handler made of a RESULT body: returned, raised RejectEvent, raised anything else. */
export type ResultVerdict = 'processed' | 'rejected' | 'error';

/**
 * Why a result line is refused: not `RESULT <int>` (supervisor's only reason), or, beyond
 * supervisor, no newline within the limit, a length over the limit, a negative length
 * (supervisor recurses on one until Python's recursion limit).
 */
export type BadLineReason = 'not an int' | 'line too long' | 'result too long' | 'negative length';

export type ListenerEvent =
  /** `READY\n` while ACKNOWLEDGED. */
  | { type: 'READY' }
  /** Output that breaks the protocol: not `READY\n` while ACKNOWLEDGED, anything while READY. */
  | { type: 'UNEXPECTED' }
  /**
   * A whole result, judged by the pool's result handler. `ready`: the listener's `READY\n`
   * came with it. `next` (with ready, nothing read after it): the pool writes its next event
   * to this listener as the step ends (READY → BUSY, SENT's step, in the same transition).
   */
  | { type: 'RESULT'; verdict: ResultVerdict; ready: boolean; next?: boolean }
  /** A result line that is refused; `line` is the whole line, or its first `limit` bytes when too long. */
  | { type: 'BAD_RESULT'; line: Uint8Array; reason: BadLineReason; limit: number }
  /** The pool wrote an event to the listener's stdin. */
  | { type: 'SENT' };

/**
 * Log lines, and what became of the event in flight: handled, or to be sent again, or
 * (`next`) the pool's next event written now. `badResult` stands for supervisor's WARN
 * `<name>: bad result line: '<line>'`, whose text (a decoded line or a Python bytes repr)
 * the runtime renders.
 */
export type ListenerNote =
  | LogLine
  | { type: 'processed' }
  | { type: 'rejected' }
  | { type: 'next' }
  | { type: 'badResult'; line: Uint8Array; reason: BadLineReason; limit: number };

/**
 * All that one transition tells, in supervisor's order, as one emitted event: an emit costs
 * XState far more than the notes do, and a result step has five of them.
 */
export interface ListenerEmitted {
  type: 'step';
  notes: readonly ListenerNote[];
}

export interface ListenerInput {
  /** The process name, as the log lines give it. */
  name: string;
}

const line = (level: LogLine['level'], message: string): LogLine => ({ type: 'log', level, message });
/** _change_listener_state's DEBG line … */
const changed = (name: string, from: ListenerStateName, to: ListenerStateName) => line('DEBG', `${name}: ${from} -> ${to}`);
/** … and its WARN when the listener is lost. */
const lost = (name: string) => line('WARN', `${name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`);
const PROCESSED = { type: 'processed' } as const;
const REJECTED = { type: 'rejected' } as const;
const NEXT = { type: 'next' } as const;

type Tell = (a: { context: ListenerInput; event: ListenerEvent }) => readonly ListenerNote[];
/** A transition's one action: its notes, built when it is taken. */
const tell = (notes: Tell) => ({ type: 'tell', params: notes }) as const;

/** The state a handled result leaves the listener in: what came with it (see RESULT). */
type After = 'ACKNOWLEDGED' | 'READY' | 'BUSY';
const after = (e: { ready: boolean; next?: boolean }): After => (e.next ? 'BUSY' : e.ready ? 'READY' : 'ACKNOWLEDGED');

/** A guard per verdict and state after, named so that the inspector's chart tells the six apart. */
const GUARDS = {
  processed: { ACKNOWLEDGED: 'processed', READY: 'processedThenReady', BUSY: 'processedThenNext' },
  rejected: { ACKNOWLEDGED: 'rejected', READY: 'rejectedThenReady', BUSY: 'rejectedThenNext' },
} as const;
const result = (verdict: ResultVerdict, to: After) => ({ event }: { event: ListenerEvent }) => event.type === 'RESULT' && event.verdict === verdict && after(event) === to;

/**
 * A result the handler returned from: its log line at supervisor's level, BUSY ->
 * ACKNOWLEDGED and the verdict; then, as far as the same step goes, ACKNOWLEDGED -> READY
 * and the next event sent (no log line: the pool logs its write).
 */
const handled = (verdict: 'processed' | 'rejected', to: After) => ({
  guard: GUARDS[verdict][to],
  // BUSY again is a targetless transition: XState then computes no states to exit and enter.
  target: to === 'BUSY' ? undefined : to,
  actions: tell(({ context: { name } }) => {
    const notes: ListenerNote[] = [
      line(verdict === 'processed' ? 'DEBG' : 'WARN', `${name}: event was ${verdict}`),
      changed(name, 'BUSY', 'ACKNOWLEDGED'),
      verdict === 'processed' ? PROCESSED : REJECTED,
    ];
    if (to !== 'ACKNOWLEDGED') notes.push(changed(name, 'ACKNOWLEDGED', 'READY'));
    if (to === 'BUSY') notes.push(NEXT);
    return notes;
  }),
}) as const;

export const listenerMachine = setup({
  types: {
    input: {} as ListenerInput,
    context: {} as ListenerInput,
    events: {} as ListenerEvent,
    emitted: {} as ListenerEmitted,
  },
  guards: {
    processed: result('processed', 'ACKNOWLEDGED'),
    processedThenReady: result('processed', 'READY'),
    processedThenNext: result('processed', 'BUSY'),
    rejected: result('rejected', 'ACKNOWLEDGED'),
    rejectedThenReady: result('rejected', 'READY'),
    rejectedThenNext: result('rejected', 'BUSY'),
  },
  actions: {
    tell: emit((_, notes: readonly ListenerNote[]) => ({ type: 'step', notes }) as const),
  },
}).createMachine({
  id: 'listener',
  context: ({ input }) => ({ name: input.name }),
  initial: 'ACKNOWLEDGED',
  states: {
    ACKNOWLEDGED: {
      on: {
        READY: { target: 'READY', actions: tell(({ context }) => [changed(context.name, 'ACKNOWLEDGED', 'READY')]) },
        UNEXPECTED: { target: 'UNKNOWN', actions: tell(({ context }) => [changed(context.name, 'ACKNOWLEDGED', 'UNKNOWN'), lost(context.name)]) },
      },
    },
    READY: {
      on: {
        SENT: 'BUSY',
        // Anything but silence while READY is spurious: supervisor gives up on the listener.
        UNEXPECTED: { target: 'UNKNOWN', actions: tell(({ context }) => [changed(context.name, 'READY', 'UNKNOWN'), lost(context.name)]) },
      },
    },
    BUSY: {
      on: {
        // supervisor reads on after a result (READY\n in the same write) and dispatches in
        // the same loop iteration: when those came with it, one transition takes all the steps.
        RESULT: [
          handled('processed', 'BUSY'), handled('processed', 'READY'), handled('processed', 'ACKNOWLEDGED'),
          handled('rejected', 'BUSY'), handled('rejected', 'READY'), handled('rejected', 'ACKNOWLEDGED'),
          { target: 'UNKNOWN', actions: tell(({ context: { name } }) => [line('WARN', `${name}: event caused an error`), changed(name, 'BUSY', 'UNKNOWN'), lost(name), REJECTED]) },
        ],
        BAD_RESULT: {
          target: 'UNKNOWN',
          actions: tell(({ context: { name }, event }) => {
            if (event.type !== 'BAD_RESULT') throw new Error(`badResult on ${event.type}`);
            return [{ type: 'badResult', line: event.line, reason: event.reason, limit: event.limit }, changed(name, 'BUSY', 'UNKNOWN'), lost(name), REJECTED];
          }),
        },
      },
    },
    // Fatal until the process is restarted: whatever it writes is dropped (by the reader).
    UNKNOWN: {},
  },
});
