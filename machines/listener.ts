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
 * Log lines, and what became of the event in flight: handled, or to be sent again.
 * `badResult` stands for supervisor's WARN `<name>: bad result line: '<line>'`, whose text
 * (a decoded line or a Python bytes repr) the runtime renders.
 */
export type ListenerEmitted =
  | LogLine
  | { type: 'processed' }
  | { type: 'rejected' }
  /** RESULT with `next`: write the next event now (after the verdict's own, so a rejected one goes first). */
  | { type: 'next' }
  | { type: 'badResult'; line: Uint8Array; reason: BadLineReason; limit: number };

export interface ListenerInput {
  /** The process name, as the log lines give it. */
  name: string;
}

const line = (level: LogLine['level'], message: string): LogLine => ({ type: 'log', level, message });
const changed = (from: ListenerStateName, to: ListenerStateName) => ({ type: 'changed', params: { from, to } }) as const;
/** The state a handled result leaves the listener in: what came with it (see RESULT). */
type After = 'ACKNOWLEDGED' | 'READY' | 'BUSY';
const after = (e: { ready: boolean; next?: boolean }): After => (e.next ? 'BUSY' : e.ready ? 'READY' : 'ACKNOWLEDGED');

/**
 * A result the handler returned from: its log line at supervisor's level, BUSY ->
 * ACKNOWLEDGED and the verdict; then, as far as the same step goes, ACKNOWLEDGED -> READY
 * and the next event sent (no log line: the pool logs its write).
 */
const handled = (verdict: 'processed' | 'rejected', to: After) => ({
  guard: { type: 'result', params: { verdict, to } },
  target: to,
  actions: [
    { type: 'say', params: ({ context }: { context: ListenerInput }) => line(verdict === 'processed' ? 'DEBG' : 'WARN', `${context.name}: event was ${verdict}`) },
    changed('BUSY', 'ACKNOWLEDGED'),
    verdict,
    ...(to === 'ACKNOWLEDGED' ? [] : [changed('ACKNOWLEDGED', 'READY')]),
    ...(to === 'BUSY' ? ['next' as const] : []),
  ],
}) as const;

export const listenerMachine = setup({
  types: {
    input: {} as ListenerInput,
    context: {} as ListenerInput,
    events: {} as ListenerEvent,
    emitted: {} as ListenerEmitted,
  },
  guards: {
    result: ({ event }, p: { verdict: ResultVerdict; to: After }) => event.type === 'RESULT' && event.verdict === p.verdict && after(event) === p.to,
  },
  actions: {
    say: emit((_, l: LogLine) => l),
    /** _change_listener_state's DEBG line … */
    changed: emit(({ context }, p: { from: ListenerStateName; to: ListenerStateName }) => line('DEBG', `${context.name}: ${p.from} -> ${p.to}`)),
    /** … and its WARN when the listener is lost. */
    lost: emit(({ context }) => line('WARN', `${context.name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`)),
    badResult: emit(({ event }) => {
      if (event.type !== 'BAD_RESULT') throw new Error(`badResult on ${event.type}`);
      return { type: 'badResult', line: event.line, reason: event.reason, limit: event.limit } as const;
    }),
    processed: emit({ type: 'processed' } as const),
    rejected: emit({ type: 'rejected' } as const),
    next: emit({ type: 'next' } as const),
  },
}).createMachine({
  id: 'listener',
  context: ({ input }) => ({ name: input.name }),
  initial: 'ACKNOWLEDGED',
  states: {
    ACKNOWLEDGED: {
      on: {
        READY: { target: 'READY', actions: changed('ACKNOWLEDGED', 'READY') },
        UNEXPECTED: { target: 'UNKNOWN', actions: [changed('ACKNOWLEDGED', 'UNKNOWN'), 'lost'] },
      },
    },
    READY: {
      on: {
        SENT: 'BUSY',
        // Anything but silence while READY is spurious: supervisor gives up on the listener.
        UNEXPECTED: { target: 'UNKNOWN', actions: [changed('READY', 'UNKNOWN'), 'lost'] },
      },
    },
    BUSY: {
      on: {
        // supervisor reads on after a result (READY\n in the same write) and dispatches in
        // the same loop iteration: when those came with it, one transition takes all the steps.
        RESULT: [
          handled('processed', 'BUSY'), handled('processed', 'READY'), handled('processed', 'ACKNOWLEDGED'),
          handled('rejected', 'BUSY'), handled('rejected', 'READY'), handled('rejected', 'ACKNOWLEDGED'),
          { target: 'UNKNOWN', actions: [
            { type: 'say', params: ({ context }) => line('WARN', `${context.name}: event caused an error`) },
            changed('BUSY', 'UNKNOWN'), 'lost', 'rejected',
          ] },
        ],
        BAD_RESULT: { target: 'UNKNOWN', actions: ['badResult', changed('BUSY', 'UNKNOWN'), 'lost', 'rejected'] },
      },
    },
    // Fatal until the process is restarted: whatever it writes is dropped (by the reader).
    UNKNOWN: {},
  },
});
