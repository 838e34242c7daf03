// A pool's event buffer (EventListenerPool.event_buffer, process.py) with its overflow
// rule: when it holds buffer_size events or more, the oldest is discarded before one is
// added, at the tail or back at the head. supervisor's list pays O(n) for pop(0) and
// insert(0); a pool drained by a fast listener does both per event, so here the events
// sit in a ring that grows by doubling and takes and puts back at either end in O(1).
import type { BusEvent } from './event.ts';

export class EventBuffer {
  private ring: (BusEvent | undefined)[] = new Array<BusEvent | undefined>(16);
  private head = 0;
  private size = 0;

  constructor(
    private readonly capacity: number,
    /** Told of each event the overflow rule discards. */
    private readonly discarded: (event: BusEvent) => void,
  ) {}

  get length(): number {
    return this.size;
  }

  /** _acceptEvent's buffering: the overflow rule, then the event at the head or the tail. */
  add(event: BusEvent, head: boolean): void {
    if (this.size >= this.capacity && this.size > 0) this.discarded(this.shift()!);
    if (this.size === this.ring.length) this.grow();
    if (head) {
      this.head = (this.head - 1 + this.ring.length) % this.ring.length;
      this.ring[this.head] = event;
    } else this.ring[(this.head + this.size) % this.ring.length] = event;
    this.size++;
  }

  /** The oldest event, left in; undefined when empty. */
  peek(): BusEvent | undefined {
    return this.size === 0 ? undefined : this.ring[this.head];
  }

  /** The oldest event, taken out; undefined when empty. */
  shift(): BusEvent | undefined {
    if (this.size === 0) return undefined;
    const event = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return event;
  }

  private grow(): void {
    const ring = new Array<BusEvent | undefined>(this.ring.length * 2);
    for (let i = 0; i < this.size; i++) ring[i] = this.ring[(this.head + i) % this.ring.length];
    this.ring = ring;
    this.head = 0;
  }
}
