// The event-listener SDK: what supervisor's childutils gives Python listeners, for
// TypeScript. A listener is a loop over typed events read from stdin; it answers each
// with ok() or fail() (reference/supervisor.md §3.4–3.5). It works the same under
// supervisord and statevisord: it speaks only the protocol and XML-RPC.
//
//   const listener = listen();
//   for await (const event of listener) {
//     if (event.eventname === 'PROCESS_STATE_EXITED' && !event.expected) log(`${event.processname} crashed`);
//     listener.ok();
//   }
//
// listeners/README.md documents it; listeners/example.ts is a complete listener.
import type { Readable, Writable } from 'node:stream';
import { FrameReader } from './framing.ts';
import { parseEnvelope, parseEvent, ProtocolError, type ListenerEvent } from './payloads.ts';

export * from './payloads.ts';
export { rpcFromEnv, RpcClient, type ProcessControl, type ProcessInfo, type RpcOptions } from './rpc.ts';

const READY = 'READY\n';

export interface ListenerOptions {
  /** Where envelopes come from; process.stdin by default. */
  input?: Readable;
  /** Where READY and RESULT go; process.stdout by default. Nothing else may be written there. */
  output?: Writable;
}

/**
 * One listener's side of the protocol. Iterating writes READY, then yields the next
 * event; the event must be answered (ok, fail or send) before the next one is read, as
 * supervisor keeps the listener BUSY until then. Iteration ends when stdin does.
 */
export class EventListener implements AsyncIterable<ListenerEvent> {
  private readonly input: Readable;
  private readonly output: Writable;
  private answered = true;

  constructor(options: ListenerOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ListenerEvent> {
    const reader = new FrameReader(this.input[Symbol.asyncIterator]());
    try {
      for (;;) {
        if (!this.answered) throw new ProtocolError('the last event was not answered: call ok(), fail() or send() before reading the next');
        this.output.write(READY);
        const line = await reader.line();
        if (line === null) return;
        const headers = parseEnvelope(line);
        const payload = await reader.chars(headers.len);
        this.answered = false;
        yield parseEvent(headers, payload);
      }
    } finally {
      await reader.close();
    }
  }

  /** `RESULT 2\nOK`: the event was handled. */
  ok(): void {
    this.send('OK');
  }

  /** `RESULT 4\nFAIL`: supervisor puts the event back in its buffer and sends it again later. */
  fail(): void {
    this.send('FAIL');
  }

  /** `RESULT <bytes>\n<result>`; supervisor accepts the event only when the result is `OK`. */
  send(result: string): void {
    if (this.answered) throw new ProtocolError('no event to answer: the last one was answered already, or none was read');
    this.answered = true;
    this.output.write(`RESULT ${Buffer.byteLength(result)}\n${result}`);
  }
}

/**
 * A listener on stdin/stdout. With stdout taken by the protocol, console.log, info and
 * debug are sent to stderr: one stray line on stdout would put the listener in
 * supervisor's UNKNOWN state, where it gets no event until it is restarted.
 */
export function listen(options: ListenerOptions = {}): EventListener {
  if ((options.output ?? process.stdout) === process.stdout) {
    console.log = console.info = console.debug = console.error;
  }
  return new EventListener(options);
}

/** A line on stderr, the listener's own log (stdout is the protocol's). */
export function log(message: string): void {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
}
