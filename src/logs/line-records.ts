// The records of log_format's stage (line-format.ts), written into one Buffer per push:
// timestamped copies the line's bytes after a cached time prefix, json decodes and quotes
// them. Lines come as offsets into the chunk read, so no Buffer is made per line.

export const NEWLINE = 0x0a;

export interface RecordWriter {
  /** The line buf[start, end), without its newline. */
  add(time: string, buf: Buffer, start: number, end: number, ends: boolean): void;
  /**
   * Whole lines buf[start, end) separated by newlines, each shorter than maxLine, at once;
   * false (nothing added) when the writer has no such path or a line may be longer.
   */
  addLines?(time: string, buf: Buffer, start: number, end: number, maxLine: number): boolean;
  /** The records added since the last take, as one Buffer, or undefined for none. */
  take(): Buffer | undefined;
}

/** timestamped: the line's bytes after the time; a partial record ends with a newline too. */
export class TimestampedRecords implements RecordWriter {
  private out = Buffer.allocUnsafe(64 * 1024);
  private size = 0;
  private time = '';
  private prefix = Buffer.alloc(0);

  add(time: string, buf: Buffer, start: number, end: number): void {
    if (time !== this.time) {
      this.time = time;
      this.prefix = Buffer.from(`${time} `, 'latin1');
    }
    const need = this.size + this.prefix.length + (end - start) + 1;
    if (need > this.out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, 2 * this.out.length));
      this.out.copy(bigger, 0, 0, this.size);
      this.out = bigger;
    }
    this.size += this.prefix.copy(this.out, this.size);
    this.size += buf.copy(this.out, this.size, start, end);
    this.out[this.size++] = NEWLINE;
  }

  take(): Buffer | undefined {
    if (this.size === 0) return undefined;
    // A few records are copied out (from Node's pool); a full buffer goes downstream as it
    // is and the next records get a fresh one.
    const filled = this.out.subarray(0, this.size);
    const records = this.size < this.out.length >> 2 ? Buffer.from(filled) : filled;
    if (records === filled) this.out = Buffer.allocUnsafe(this.out.length);
    this.size = 0;
    return records;
  }
}

/** json: the records as one string, encoded once per push. */
export class JsonRecords implements RecordWriter {
  private readonly middle: string;
  private text = '';

  constructor(name: string, stream: string) {
    this.middle = `","name":${JSON.stringify(name)},"stream":${JSON.stringify(stream)},"message":`;
  }

  add(time: string, buf: Buffer, start: number, end: number, ends: boolean): void {
    const message = JSON.stringify(buf.toString('utf8', start, end));
    this.text += `{"time":"${time}${this.middle}${message}${ends ? '}\n' : ',"partial":true}\n'}`;
  }

  /**
   * One decode for all the lines (about 1.5 times faster than one per line). A newline is
   * never part of a UTF-8 sequence, valid or not, so splitting the text is splitting the
   * bytes. A line has at most 3 bytes per UTF-16 unit (a U+FFFD stands for 1 to 3 bytes),
   * so one of maxLine / 3 units or fewer is within the cap; a longer one takes the byte path.
   */
  addLines(time: string, buf: Buffer, start: number, end: number, maxLine: number): boolean {
    const lines = buf.toString('utf8', start, end).split('\n');
    if (lines.some((l) => l.length * 3 > maxLine)) return false;
    const head = `{"time":"${time}${this.middle}`;
    for (const l of lines) this.text += `${head}${JSON.stringify(l)}}\n`;
    return true;
  }

  take(): Buffer | undefined {
    if (this.text === '') return undefined;
    const records = Buffer.from(this.text);
    this.text = '';
    return records;
  }
}
