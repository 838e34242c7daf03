// The unparsed bytes of a listener's stdout. A listener may write a line of any length in
// reads of any size, so appending must not copy what is already held (copying on each
// read costs O(n²) for a line read in n small pieces), and looking for the line's end
// must not rescan what was scanned before. Storage grows by doubling and is compacted
// when its free head passes half of it, so every byte is copied O(1) times.
const LF = 0x0a;
/** Storage kept after the queue empties; more is given back. */
const KEEP = 64 * 1024;

export class ByteQueue {
  private store = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** Bytes from `start` known to hold no LF. */
  private scanned = 0;

  get length(): number {
    return this.end - this.start;
  }

  /** The bytes held, valid until the next change. */
  view(): Uint8Array {
    return this.store.subarray(this.start, this.end);
  }

  /** Whether the bytes held begin with `token`. */
  startsWith(token: readonly number[]): boolean {
    if (this.length < token.length) return false;
    for (let i = 0; i < token.length; i++) if (this.store[this.start + i] !== token[i]) return false;
    return true;
  }

  append(data: Uint8Array): this {
    if (this.end + data.length > this.store.length) {
      const length = this.length;
      const needed = length + data.length;
      // Compacting moves at most half the storage, paid for by the half already dropped.
      if (needed <= this.store.length && this.start >= this.store.length / 2) {
        this.store.copyWithin(0, this.start, this.end);
      } else {
        const grown = new Uint8Array(Math.max(needed, this.store.length * 2, 256));
        grown.set(this.view());
        this.store = grown;
      }
      this.start = 0;
      this.end = length;
    }
    this.store.set(data, this.end);
    this.end += data.length;
    return this;
  }

  /** Drops the first `n` bytes (all of them when n passes the end). */
  drop(n: number): this {
    this.start = Math.min(this.end, this.start + n);
    this.scanned = Math.max(0, this.scanned - n);
    if (this.start === this.end) this.clear();
    return this;
  }

  /** Removes and returns (a copy of) the first `n` bytes. */
  take(n: number): Uint8Array {
    const out = this.store.slice(this.start, this.start + n);
    this.drop(n);
    return out;
  }

  clear(): this {
    this.start = this.end = this.scanned = 0;
    if (this.store.length > KEEP) this.store = new Uint8Array(0);
    return this;
  }

  /** The offset of the first LF, or -1; bytes already scanned are not scanned again. */
  lineEnd(): number {
    const at = this.store.subarray(this.start + this.scanned, this.end).indexOf(LF);
    if (at === -1) {
      this.scanned = this.length;
      return -1;
    }
    return this.scanned + at;
  }

  /** What inspection (--inspect, the web page) shows of it: its size, not its bytes. */
  toJSON(): { bytes: number } {
    return { bytes: this.length };
  }
}
