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
// (`READY\n` in the same write) are parsed in the same step. Where supervisor keeps any
// amount (a result line that never ends, `RESULT 99999999`) or loops (a negative length),
// the line is refused as a bad result line, so a listener's bytes are bounded and every
// step consumes some.
import { assign, emit, setup } from 'xstate';
import { ByteQueue } from './byte-queue.ts';
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
  /** The longest result line, and the longest result, taken (default MAX_PROTOCOL_BYTES). */
  maxBytes?: number;
}

/**
 * supervisor keeps any amount a listener writes, so one that never ends its result line
 * would grow the daemon without bound. A line or a result longer than this is a protocol
 * violation here; 1 MiB is far above any real result (`RESULT 2\nOK`).
 */
export const MAX_PROTOCOL_BYTES = 1024 * 1024;

export type ListenerEvent =
  | { type: 'OUTPUT'; data: Uint8Array }
  /** The pool wrote an event to the listener's stdin. */
  | { type: 'SENT' };

/**
 * Why a result line is refused: not `RESULT <int>` (supervisor's only reason), or, beyond
 * supervisor, no newline within the limit, a length over the limit, a negative length
 * (supervisor recurses on one until Python's recursion limit).
 */
export type BadLineReason = 'not an int' | 'line too long' | 'result too long' | 'negative length';

/**
 * Log lines, and what became of the event in flight: handled, or to be sent again.
 * `badResult` stands for supervisor's WARN `<name>: bad result line: '<line>'`, whose text
 * (a decoded line or a Python bytes repr) the runtime renders; `line` is the whole line,
 * or its first `limit` bytes when it is too long.
 */
export type ListenerEmitted =
  | LogLine
  | { type: 'processed' }
  | { type: 'rejected' }
  | { type: 'badResult'; line: Uint8Array; reason: BadLineReason; limit: number };

export interface ListenerContext {
  name: string;
  handler: ResultHandler;
  maxBytes: number;
  /** state_buffer: stdout bytes not parsed yet, and the bytes of a result not complete yet. */
  buffer: ByteQueue;
  /** resultlen: the length announced by `RESULT n`, null until a result line is read. */
  resultLength: number | null;
  /** A result line that is refused, and why. */
  badLine: { line: Uint8Array; reason: BadLineReason } | null;
  verdict: ResultVerdict | null;
}

const READY_TOKEN = [0x52, 0x45, 0x41, 0x44, 0x59, 0x0a]; // READY\n
const RESULT_TOKEN_LEN = 'RESULT '.length;
/** Python's int() refuses decimal strings of more digits (sys.int_info.default_max_str_digits, 3.11+). */
const PY_MAX_STR_DIGITS = 4300;

/** Bytes as code points 0-255; in slices, as a spread of a whole line would overflow the stack. */
function latin1(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 4096) out += String.fromCharCode(...b.subarray(i, i + 4096));
  return out;
}

/** Python's int() of bytes: optional surrounding whitespace, sign, digits and single underscores between them. */
export function pyIntOfBytes(b: Uint8Array): number | null {
  const m = /^[ \t\n\r\v\f]*([+-]?)(\d(?:_?\d)*)[ \t\n\r\v\f]*$/.exec(latin1(b));
  if (!m) return null;
  const digits = m[2].replaceAll('_', '');
  return digits.length > PY_MAX_STR_DIGITS ? null : Number(m[1] + digits);
}

const line = (level: LogLine['level'], message: string): LogLine => ({ type: 'log', level, message });

/**
 * BUSY's result line (only what follows its first 7 bytes is read, as int(line[7:])), or
 * the refusal of one: a line without a newline within the limit, a length out of range.
 */
function readLine(c: ListenerContext): Partial<ListenerContext> {
  const at = c.buffer.lineEnd();
  if (at === -1 || at > c.maxBytes) return { badLine: { line: c.buffer.take(c.maxBytes), reason: 'line too long' } };
  const text = c.buffer.take(at);
  c.buffer.drop(1);
  const resultLength = pyIntOfBytes(text.subarray(RESULT_TOKEN_LEN));
  if (resultLength === null) return { badLine: { line: text, reason: 'not an int' } };
  if (resultLength < 0) return { badLine: { line: text, reason: 'negative length' } };
  if (resultLength > c.maxBytes) return { badLine: { line: text, reason: 'result too long' } };
  return { resultLength };
}

const has = ({ context }: { context: ListenerContext }) => context.buffer.length > 0;

export const listenerMachine = setup({
  types: {
    input: {} as ListenerInput,
    context: {} as ListenerContext,
    events: {} as ListenerEvent,
    emitted: {} as ListenerEmitted,
  },
  guards: {
    hasData: has,
    readyToken: ({ context }) => context.buffer.startsWith(READY_TOKEN),
    notReadyToken: ({ context }) => context.buffer.length >= READY_TOKEN.length && !context.buffer.startsWith(READY_TOKEN),
    /** A whole result line to read, or more bytes than a line may have. */
    lineData: ({ context }) => context.resultLength === null && (context.buffer.lineEnd() !== -1 || context.buffer.length > context.maxBytes),
    /**
     * The whole result. supervisor moves result bytes out of its buffer as they come and
     * takes the result when none is needed any more, but only while bytes are left: so
     * `RESULT 0\n` waits for the next bytes, as here.
     */
    resultData: ({ context }) => context.resultLength !== null && has({ context }) && context.buffer.length >= context.resultLength,
    badResultLine: ({ context }) => context.badLine !== null,
    processed: ({ context }) => context.verdict === 'processed',
    rejected: ({ context }) => context.verdict === 'rejected',
    error: ({ context }) => context.verdict === 'error',
  },
  actions: {
    // The queue is changed in place (see byte-queue.ts): a copy per read would be O(n²).
    append: assign({ buffer: ({ context, event }) => (event.type === 'OUTPUT' ? context.buffer.append(event.data) : context.buffer) }),
    consumeReady: assign({ buffer: ({ context }) => context.buffer.drop(READY_TOKEN.length) }),
    clear: assign({ buffer: ({ context }) => context.buffer.clear() }),
    readLine: assign(({ context }) => readLine(context)),
    takeResult: assign(({ context }) => ({ resultLength: null, verdict: context.handler(context.buffer.take(context.resultLength!)) })),
    resetResult: assign({ resultLength: null, badLine: null, verdict: null }),
    say: emit((_, l: LogLine) => l),
    /** _change_listener_state's DEBG line … */
    changed: emit(({ context }, p: { from: ListenerStateName; to: ListenerStateName }) => line('DEBG', `${context.name}: ${p.from} -> ${p.to}`)),
    /** … and its WARN when the listener is lost. */
    lost: emit(({ context }) => line('WARN', `${context.name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`)),
    badResult: emit(({ context }) => ({ type: 'badResult', ...context.badLine!, limit: context.maxBytes }) as const),
    processed: emit({ type: 'processed' } as const),
    rejected: emit({ type: 'rejected' } as const),
  },
}).createMachine({
  id: 'listener',
  context: ({ input }) => ({
    name: input.name, handler: input.resultHandler ?? defaultHandler, maxBytes: input.maxBytes ?? MAX_PROTOCOL_BYTES,
    buffer: new ByteQueue(), resultLength: null, badLine: null, verdict: null,
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
          'badResult',
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
        { guard: 'lineData', actions: 'readLine' },
        { guard: 'resultData', actions: 'takeResult' },
      ],
    },
    // Fatal until the process is restarted: whatever it writes is dropped.
    UNKNOWN: {
      always: { guard: 'hasData', actions: 'clear' },
    },
  },
});
