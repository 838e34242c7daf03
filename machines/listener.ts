// One event listener's protocol state: supervisor 4.2.5's PEventListenerDispatcher
// (dispatchers.py) as an explicit table. One machine per spawn (supervisor makes a new
// dispatcher per spawn), starting in ACKNOWLEDGED. The listener's stdout arrives as
// OUTPUT chunks; the pool sends SENT when it has written an event to the listener's
// stdin (READY → BUSY, which supervisor sets without a log line).
//
// handle_listener_state_change() consumes its buffer by recursing while bytes are left;
// here each recursion is one eventless transition, every one guarded on a non-empty
// buffer as the function returns at once on an empty one. That keeps its quirks: a
// `RESULT 0\n` is only handled when more bytes arrive, and bytes after a complete result
// (`READY\n` in the same write) are parsed in the same step.
import { assign, emit, setup } from 'xstate';
import type { LogLine } from './emitted.ts';

export type ListenerStateName = 'ACKNOWLEDGED' | 'READY' | 'BUSY' | 'UNKNOWN';

/** What the result handler made of a RESULT body: returned, raised RejectEvent, raised anything else. */
export type ResultVerdict = 'processed' | 'rejected' | 'error';

export type ResultHandler = (body: Uint8Array) => ResultVerdict;

/** supervisor.dispatchers:default_handler: `OK` accepts, anything else rejects. */
export const defaultHandler: ResultHandler = (body) =>
  body.length === 2 && body[0] === 0x4f && body[1] === 0x4b ? 'processed' : 'rejected';

export interface ListenerInput {
  /** The process name, as the log lines give it. */
  name: string;
  resultHandler?: ResultHandler;
}

export type ListenerEvent =
  | { type: 'OUTPUT'; data: Uint8Array }
  /** The pool wrote an event to the listener's stdin. */
  | { type: 'SENT' };

/**
 * Log lines, and what became of the event in flight: handled, or to be sent again.
 * `badResult` stands for supervisor's WARN `<name>: bad result line: '<line>'`, whose text
 * (a decoded line or a Python bytes repr) the runtime renders.
 */
export type ListenerEmitted = LogLine | { type: 'processed' } | { type: 'rejected' } | { type: 'badResult'; line: Uint8Array };

export interface ListenerContext {
  name: string;
  handler: ResultHandler;
  /** state_buffer: stdout bytes not parsed yet. */
  buffer: Uint8Array;
  /** resultlen: the length announced by `RESULT n`, null until a result line is read. */
  resultLength: number | null;
  result: Uint8Array;
  /** A result line whose length is not an integer. */
  badLine: Uint8Array | null;
  verdict: ResultVerdict | null;
}

const EMPTY = new Uint8Array(0);
const READY_TOKEN = [0x52, 0x45, 0x41, 0x44, 0x59, 0x0a]; // READY\n
const RESULT_TOKEN_LEN = 'RESULT '.length;

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

/** Python's int() of bytes: optional surrounding whitespace, sign, digits and single underscores between them. */
export function pyIntOfBytes(b: Uint8Array): number | null {
  const m = /^[ \t\n\r\v\f]*([+-]?)(\d(?:_?\d)*)[ \t\n\r\v\f]*$/.exec(latin1(b));
  return m ? Number(m[1] + m[2].replaceAll('_', '')) : null;
}

const line = (level: LogLine['level'], message: string): LogLine => ({ type: 'log', level, message });

/**
 * One pass of BUSY's parsing: the result line if none is read yet (only what follows its
 * first 7 bytes is read, as int(line[7:])), then, if bytes are left, as many result bytes
 * as are still needed; a complete result goes to the result handler. supervisor takes
 * these as two recursions of handle_listener_state_change, the second only when bytes
 * are left, which is what this does in one step.
 */
function readResult(c: ListenerContext): Partial<ListenerContext> {
  let { buffer, resultLength } = c;
  if (resultLength === null) {
    const at = buffer.indexOf(0x0a);
    const text = buffer.subarray(0, at);
    resultLength = pyIntOfBytes(text.subarray(RESULT_TOKEN_LEN));
    buffer = buffer.subarray(at + 1);
    if (resultLength === null) return { buffer, badLine: text };
    if (!buffer.length) return { buffer, resultLength };
  }
  const needed = resultLength - c.result.length;
  const result = concat(c.result, buffer.subarray(0, needed));
  buffer = buffer.subarray(needed);
  return result.length === resultLength
    ? { buffer, result: EMPTY, resultLength: null, verdict: c.handler(result) }
    : { buffer, result, resultLength };
}
const has = ({ context }: { context: ListenerContext }) => context.buffer.length > 0;
const startsWithReady = (b: Uint8Array) => READY_TOKEN.every((c, i) => b[i] === c);

export const listenerMachine = setup({
  types: {
    input: {} as ListenerInput,
    context: {} as ListenerContext,
    events: {} as ListenerEvent,
    emitted: {} as ListenerEmitted,
  },
  guards: {
    hasData: has,
    readyToken: ({ context }) => context.buffer.length >= READY_TOKEN.length && startsWithReady(context.buffer),
    notReadyToken: ({ context }) => context.buffer.length >= READY_TOKEN.length && !startsWithReady(context.buffer),
    /** A result line to read (a whole one), or result bytes to take. */
    resultData: ({ context }) => (context.resultLength === null ? context.buffer.includes(0x0a) : has({ context })),
    badResultLine: ({ context }) => context.badLine !== null,
    processed: ({ context }) => context.verdict === 'processed',
    rejected: ({ context }) => context.verdict === 'rejected',
    error: ({ context }) => context.verdict === 'error',
  },
  actions: {
    append: assign({ buffer: ({ context, event }) => (event.type === 'OUTPUT' ? concat(context.buffer, event.data) : context.buffer) }),
    consumeReady: assign({ buffer: ({ context }) => context.buffer.subarray(READY_TOKEN.length) }),
    clear: assign({ buffer: EMPTY }),
    readResult: assign(({ context }) => readResult(context)),
    resetResult: assign({ resultLength: null, result: EMPTY, badLine: null, verdict: null }),
    say: emit((_, l: LogLine) => l),
    /** _change_listener_state's DEBG line … */
    changed: emit(({ context }, p: { from: ListenerStateName; to: ListenerStateName }) => line('DEBG', `${context.name}: ${p.from} -> ${p.to}`)),
    /** … and its WARN when the listener is lost. */
    lost: emit(({ context }) => line('WARN', `${context.name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`)),
    badResult: emit((_, bytes: Uint8Array) => ({ type: 'badResult', line: bytes }) as const),
    processed: emit({ type: 'processed' } as const),
    rejected: emit({ type: 'rejected' } as const),
  },
}).createMachine({
  id: 'listener',
  context: ({ input }) => ({
    name: input.name, handler: input.resultHandler ?? defaultHandler,
    buffer: EMPTY, resultLength: null, result: EMPTY, badLine: null, verdict: null,
  }),
  initial: 'ACKNOWLEDGED',
  on: { OUTPUT: { actions: 'append' } },
  states: {
    ACKNOWLEDGED: {
      always: [
        { guard: 'readyToken', target: 'READY', actions: [{ type: 'changed', params: { from: 'ACKNOWLEDGED', to: 'READY' } }, 'consumeReady'] },
        { guard: 'notReadyToken', target: 'UNKNOWN', actions: [{ type: 'changed', params: { from: 'ACKNOWLEDGED', to: 'UNKNOWN' } }, 'lost', 'clear'] },
      ],
    },
    READY: {
      // Anything but silence while READY is spurious: supervisor gives up on the listener.
      always: { guard: 'hasData', target: 'UNKNOWN', actions: [{ type: 'changed', params: { from: 'READY', to: 'UNKNOWN' } }, 'lost', 'clear'] },
      on: { SENT: 'BUSY' },
    },
    BUSY: {
      entry: 'resetResult',
      always: [
        { guard: 'badResultLine', target: 'UNKNOWN', actions: [
          { type: 'badResult', params: ({ context }) => context.badLine! },
          { type: 'changed', params: { from: 'BUSY', to: 'UNKNOWN' } }, 'lost', 'clear', 'rejected',
        ] },
        { guard: 'processed', target: 'ACKNOWLEDGED', actions: [
          { type: 'say', params: ({ context }) => line('DEBG', `${context.name}: event was processed`) },
          { type: 'changed', params: { from: 'BUSY', to: 'ACKNOWLEDGED' } }, 'processed',
        ] },
        { guard: 'rejected', target: 'ACKNOWLEDGED', actions: [
          { type: 'say', params: ({ context }) => line('WARN', `${context.name}: event was rejected`) },
          { type: 'changed', params: { from: 'BUSY', to: 'ACKNOWLEDGED' } }, 'rejected',
        ] },
        { guard: 'error', target: 'UNKNOWN', actions: [
          { type: 'say', params: ({ context }) => line('WARN', `${context.name}: event caused an error`) },
          { type: 'changed', params: { from: 'BUSY', to: 'UNKNOWN' } }, 'lost', 'rejected',
        ] },
        { guard: 'resultData', actions: 'readResult' },
      ],
    },
    // Fatal until the process is restarted: whatever it writes is dropped.
    UNKNOWN: {
      always: { guard: 'hasData', actions: 'clear' },
    },
  },
});
