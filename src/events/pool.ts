// One [eventlistener:x] pool: supervisor 4.2.5's EventListenerPool (process.py), as an
// RxJS pipeline: the bus's events filtered to the pool's `events=` types (acceptedBy) →
// the pool's buffer with supervisor's overflow rule (buffer.ts) → a wake-up, coalesced
// into one microtask (oncePerMicrotask) → dispatch, which hands the oldest
// event to the first listener that is RUNNING and READY. A rejected event (FAIL, a bad
// result, a listener that died while BUSY) goes back to the head of the buffer.
// Each listener's protocol state is a machines/listener.ts actor, one per spawn, fed the
// tokens listener-reader.ts cuts from its stdout.
//
// supervisord dispatches once per loop iteration, after the iteration's events are all
// in; here dispatch runs in a microtask after whatever made it possible, so the events
// of one step (a listener's own EXITED, then its rejected event back at the head) are
// all buffered first, in supervisor's order. The hot path is the exception: a listener
// that acknowledges with `RESULT…READY\n` in one write, while events wait, gets the next
// one from that read, as the dispatch of the same loop iteration would give it (attach).
import { Subject, Subscription, type Observable } from 'rxjs';
import { createActor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import type { LogLevel, ProcessStateChange } from '../../machines/emitted.ts';
import { listenerMachine, type BadLineReason, type ListenerEmitted, type ListenerEvent, type ListenerNote, type ResultVerdict } from '../../machines/listener.ts';
import { ListenerReader, type ListenerTarget } from '../../machines/listener-reader.ts';
import { quietNotes } from '../../machines/listener-step.ts';
import type { GroupConfig } from '../config/types.ts';
import type { ProcessStateName } from '../states.ts';
import { EventBuffer } from './buffer.ts';
import { SerialCounter } from './bus.ts';
import { envelope } from './envelope.ts';
import type { BusEvent } from './event.ts';
import type { ListenerChannel } from './listener-channel.ts';
import { acceptedBy, oncePerMicrotask } from './operators.ts';
import { isEventTypeName, type EventTypeName } from './types.ts';
import { stackOf } from '../util/stack.ts';

export type PoolLog = (level: LogLevel, message: string) => void;

export interface PoolOptions {
  config: GroupConfig;
  /** [supervisord] identifier: the envelope's `server`. */
  identifier: string;
  globalSerial: SerialCounter;
  log: PoolLog;
  /** A result line that is not `RESULT <int>`, rendered as supervisor renders it. */
  describeLine: (line: Uint8Array) => string;
  /** Sees each listener machine's inspection events from its start; its actor is `listener:<pool>:<name>`. */
  inspect?: Observer<InspectionEvent>;
  /** A listener machine was made (its own actor system, which an inspector may watch from now on). */
  started?: (actor: ListenerActor) => void;
  /** Whether an observer watches the listener machines for now (beside `inspect`): then every step goes through the actor. */
  watched?: () => boolean;
}

export type ListenerActor = Actor<typeof listenerMachine>;

/** One spawn of a listener: its protocol state, its stdin, the event it holds. */
interface Spawn {
  actor: ListenerActor;
  pid: number;
  stdin: ListenerChannel;
  event: BusEvent | null;
  /** An event written before the machine's step that sends it (see attach). */
  ahead: BusEvent | null;
  /** Its protocol failed unexpectedly: its output is no longer read, it gets no events. */
  closed: boolean;
}

/** The WARN for a refused result line: supervisor's text, and why when supervisor has no such limit. */
function badResultMessage(name: string, e: { line: Uint8Array; reason: BadLineReason; limit: number }, describe: (b: Uint8Array) => string): string {
  const quoted = `'${describe(e.line)}'`;
  switch (e.reason) {
    case 'not an int': return `${name}: bad result line: ${quoted}`;
    case 'negative length': return `${name}: bad result line: ${quoted} (a negative length)`;
    case 'result too long': return `${name}: bad result line: ${quoted} (a result of more than ${e.limit} bytes)`;
    case 'line too long': return `${name}: bad result line: no newline within ${e.limit} bytes, starting '${describe(e.line.subarray(0, 80))}'`;
  }
}

interface Member {
  state: ProcessStateName;
  spawn: Spawn | null;
}

/** Process states entered through Subprocess.finish(): the listener's child is gone. */
const FINISHED: ReadonlySet<ProcessStateName> = new Set(['STOPPED', 'EXITED', 'BACKOFF']);

export class EventListenerPool {
  readonly name: string;
  private readonly buffer: EventBuffer;
  private readonly serial: SerialCounter;
  private readonly types: EventTypeName[];
  /** Process name → member, in the group's process order (dispatch tries them in it). */
  private readonly members = new Map<string, Member>();
  /** Something that may let an event go out happened: an event came in, a listener became READY. */
  private readonly wake$ = new Subject<void>();
  private readonly subscription = new Subscription();
  private closed = false;

  constructor(private readonly o: PoolOptions) {
    this.name = o.config.name;
    this.serial = new SerialCounter();
    this.types = (o.config.events ?? []).filter(isEventTypeName);
    this.buffer = new EventBuffer(o.config.buffer_size ?? 10, (e) => o.log('ERRO', `pool ${this.name} event buffer overflowed, discarding event ${e.serial}`));
    for (const p of o.config.processes) this.members.set(p.name, { state: 'STOPPED', spawn: null });
    this.subscription.add(this.wake$.pipe(oncePerMicrotask()).subscribe(() => {
      // From a microtask, an exception would end the daemon.
      try {
        if (!this.closed && this.firstReady()) this.dispatch();
      } catch (err) {
        o.log('CRIT', `uncaptured exception dispatching the events of pool ${this.name}: ${stackOf(err)}`);
      }
    }));
  }

  /** Subscribe to the bus (make_group() subscribes a pool before its group's ADDED is told). */
  connect(events$: Observable<BusEvent>): void {
    this.subscription.add(events$.pipe(acceptedBy(this.types)).subscribe((e) => {
      this.accept(e, false);
      this.wake$.next();
    }));
  }

  /** _acceptEvent. */
  private accept(event: BusEvent, head: boolean): void {
    event.serial ??= this.o.globalSerial.next();
    if (!event.poolSerials.has(this.name)) event.poolSerials.set(this.name, this.serial.next());
    else this.o.log('DEBG', `rebuffering event ${event.serial} for pool ${this.name} (buf size=${this.buffer.length}, max=${this.o.config.buffer_size ?? 10})`);
    this.buffer.add(event, head);
  }

  /** Events waiting for a READY listener (a metric). */
  get buffered(): number {
    return this.buffer.length;
  }

  /** A listener's process changed state (after the PROCESS_STATE event went through the bus). */
  processState(e: ProcessStateChange): void {
    const m = this.members.get(e.name);
    if (!m) return;
    m.state = e.to;
    // The tree tells of a change after the step that made it: an autorestart's new spawn
    // may already be attached when the EXITED of the old one arrives.
    if (FINISHED.has(e.to) && m.spawn && (e.to === 'BACKOFF' || m.spawn.pid === e.pid)) this.retire(m);
    this.wake$.next();
  }

  /**
   * A listener was spawned: a new protocol state in ACKNOWLEDGED, as a new dispatcher.
   * Returns where its stdout goes (the bytes as read).
   */
  attach(name: string, pid: number, stdin: ListenerChannel): (chunk: Uint8Array) => void {
    const m = this.members.get(name);
    if (!m) return () => {};
    this.retire(m);
    const actor = createActor(listenerMachine, { input: { name }, systemId: `listener:${this.name}:${name}`, inspect: this.o.inspect });
    const spawn: Spawn = { actor, pid, stdin, event: null, ahead: null, closed: false };
    actor.on('*', (e: ListenerEmitted) => this.onListener(spawn, name, e));
    // An error here is this listener's alone (XState would rethrow it from a timer and end the daemon).
    actor.subscribe({ error: (err) => this.closeChannel(spawn, name, err) });
    actor.start();
    this.o.started?.(actor);
    m.spawn = spawn;
    const reader = new ListenerReader();
    // A result that came with READY\n and nothing after it goes on to the next event at
    // once when dispatch would give it to this listener: the machine takes one step for all.
    // The event is written first, so that the listener works on it while the machine takes
    // its step; the step's `next` note then takes it from the buffer and logs it (onNote).
    const target: ListenerTarget = {
      getSnapshot: () => actor.getSnapshot(),
      send: (e) => {
        const next = e.type === 'RESULT' && e.ready && reader.buffer.length === 0 ? this.nextFor(m, e.verdict) : null;
        if (!next || e.type !== 'RESULT') return this.step(spawn, name, e);
        this.writeEnvelope(spawn, next);
        spawn.ahead = next;
        this.step(spawn, name, { type: 'RESULT', verdict: e.verdict, ready: true, next: true });
        spawn.stdin.expectAnswer();
      },
    };
    return (chunk) => {
      if (m.spawn !== spawn || spawn.closed) return;
      spawn.stdin.answered();
      try {
        reader.feed(target, chunk);
        if (actor.getSnapshot().value === 'READY') this.wake$.next();
      } catch (err) {
        this.closeChannel(spawn, name, err);
      }
    };
  }

  /**
   * The event dispatch would send this member once its result is handled and it is READY:
   * the rejected one back at the head, or the oldest waiting, if the member is RUNNING with
   * an open stdin and no member before it in the group's order is READY; else null.
   */
  private nextFor(member: Member, verdict: ResultVerdict): BusEvent | null {
    const spawn = member.spawn;
    if (this.closed || member.state !== 'RUNNING' || !spawn || spawn.closed || !spawn.stdin.writable) return null;
    const next = verdict === 'rejected' && spawn.event ? spawn.event : this.buffer.peek();
    if (!next) return null;
    for (const m of this.members.values()) {
      if (m === member) return next;
      if (EventListenerPool.ready(m)) return null;
    }
    return null;
  }

  /**
   * PDispatcher.handle_error: an unexpected exception reading a listener is logged at CRIT
   * and its channel closed; the listener keeps the state it was in and any event it holds
   * until its process ends (then the event goes back to the buffer, as for any listener).
   */
  private closeChannel(spawn: Spawn, name: string, err: unknown): void {
    if (spawn.closed) return;
    spawn.closed = true;
    this.o.log('CRIT', `uncaptured exception, closing the protocol channel of listener ${name} (pid ${spawn.pid}): ${stackOf(err)}`);
  }

  /** Subprocess.finish(): an event the dead listener held is sent again (EventRejectedEvent). */
  private retire(m: Member): void {
    const spawn = m.spawn;
    if (!spawn) return;
    spawn.actor.stop();
    m.spawn = null;
    if (spawn.event) {
      this.accept(spawn.event, true);
      this.wake$.next();
    }
  }

  /**
   * One token to the listener's machine. A step that leaves its snapshot as it is (the
   * usual acknowledgement with the next event at once) is not taken by the actor while
   * nothing inspects it: its notes are what the machine's transition tells
   * (listener-step.ts), handled as the actor's emit would hand them over.
   */
  private step(spawn: Spawn, name: string, e: ListenerEvent): void {
    const notes = this.o.inspect || this.o.watched?.() ? null : quietNotes(spawn.actor.getSnapshot(), e);
    if (notes) this.onListener(spawn, name, { type: 'step', notes });
    else spawn.actor.send(e);
  }

  private onListener(spawn: Spawn, name: string, e: ListenerEmitted): void {
    // XState rethrows what an emit handler throws from a timer, which would end the daemon.
    try {
      for (const note of e.notes) this.onNote(spawn, name, note);
    } catch (err) {
      this.closeChannel(spawn, name, err);
    }
  }

  private onNote(spawn: Spawn, name: string, e: ListenerNote): void {
    if (e.type === 'log') return this.o.log(e.level, e.message);
    if (e.type === 'badResult') return this.o.log('WARN', badResultMessage(name, e, this.o.describeLine));
    if (e.type === 'next') return this.tookAhead(spawn, name);
    const event = spawn.event;
    spawn.event = null;
    if (e.type === 'rejected' && event) {
      this.accept(event, true);
      this.wake$.next();
    }
  }

  /** The pool is removed or the run ends: no more events in or out. */
  close(): void {
    this.closed = true;
    this.subscription.unsubscribe();
    for (const m of this.members.values()) m.spawn?.actor.stop();
  }

  /** The live listener machines (an inspector that starts watching needs them). */
  *actors(): Generator<ListenerActor> {
    for (const m of this.members.values()) if (m.spawn) yield m.spawn.actor;
  }

  /** Whether an event can go to the listener now. */
  private static ready(m: Member): m is Member & { spawn: Spawn } {
    return m.state === 'RUNNING' && m.spawn !== null && !m.spawn.closed && m.spawn.actor.getSnapshot().value === 'READY';
  }

  private firstReady(): boolean {
    for (const m of this.members.values()) if (EventListenerPool.ready(m)) return true;
    return false;
  }

  /** dispatch(): the oldest first, until no listener is READY. */
  private dispatch(): void {
    for (let event = this.buffer.shift(); event; event = this.buffer.shift()) {
      if (!this.send(event)) {
        this.accept(event, true);
        break;
      }
    }
  }

  /** _dispatchEvent. */
  private send(event: BusEvent): boolean {
    for (const [name, m] of this.members) {
      if (!EventListenerPool.ready(m)) continue;
      // supervisor's write() raises EPIPE for a closed stdin: the next listener is tried.
      if (!m.spawn.stdin.writable) {
        this.o.log('DEBG', `epipe occurred while sending event ${event.serial} to listener ${name}, listener state unchanged`);
        continue;
      }
      this.writeEnvelope(m.spawn, event);
      this.holds(m.spawn, name, event);
      m.spawn.actor.send({ type: 'SENT' });
      return true;
    }
    return false;
  }

  private writeEnvelope(spawn: Spawn, event: BusEvent): void {
    spawn.stdin.write(envelope(event, this.o.identifier, this.name, event.poolSerials.get(this.name)!));
  }

  /** The listener holds the event written to it: until its verdict, or its end sends it again. */
  private holds(spawn: Spawn, name: string, event: BusEvent): void {
    spawn.event = event;
    this.o.log('DEBG', `event ${event.serial} sent to listener ${name}`);
  }

  /**
   * A step's `next` note: the event written ahead of the step is dispatched now, taken from
   * the head of the buffer, where the verdict's own note put a rejected one back.
   */
  private tookAhead(spawn: Spawn, name: string): void {
    const event = this.buffer.shift();
    if (!event || event !== spawn.ahead) throw new Error(`the event written ahead to listener ${name} is not the head of pool ${this.name}'s buffer`);
    spawn.ahead = null;
    this.holds(spawn, name, event);
  }
}
