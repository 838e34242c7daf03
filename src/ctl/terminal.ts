// The terminal as supervisorctl uses it: lines read as raw_input reads them (through
// readline when stdin and stdout are ttys: editing, history, completion), a password read
// without echo, and Ctrl-C delivered to whatever is running (a `tail -f`, `fg`, the prompt).
import { createInterface, type Completer, type Interface } from 'node:readline';

export type CompleterFn = (line: string) => Promise<[string[], string]>;

export class Terminal {
  private rl: Interface | null = null;
  private lines: string[] = [];
  private eof = false;
  private waiting: ((line: string | null) => void) | null = null;
  private interrupts: (() => void)[] = [];
  /** Oldest first, as history files hold them. */
  history: string[] = [];
  completer: CompleterFn | null = null;
  readonly tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);

  constructor() {
    process.on('SIGINT', () => this.interrupt());
  }

  write(text: string): void {
    process.stdout.write(text);
  }

  writeError(text: string): void {
    process.stderr.write(text);
  }

  /** Runs `handler` on Ctrl-C until the returned function is called; the newest wins. */
  onInterrupt(handler: () => void): () => void {
    this.interrupts.push(handler);
    return () => {
      const at = this.interrupts.lastIndexOf(handler);
      if (at >= 0) this.interrupts.splice(at, 1);
    };
  }

  private interrupt(): void {
    const handler = this.interrupts.at(-1);
    // Nobody listens: Python would die of KeyboardInterrupt.
    if (handler) handler();
    else process.exit(130);
  }

  /** The text typed so far at the prompt (readline's line buffer). */
  get pending(): string {
    return this.rl?.line ?? '';
  }

  clearPending(): void {
    // Only a terminal has a line being edited (readline's ^U: kill to the line's start).
    if (this.tty) this.rl?.write(null, { ctrl: true, name: 'u' });
  }

  private open(): Interface {
    if (this.rl) return this.rl;
    const completer: Completer | undefined = this.completer
      ? ((line: string, cb: (err: null, result: [string[], string]) => void) => {
          this.completer!(line).then((r) => cb(null, r), () => cb(null, [[], line]));
        }) as unknown as Completer
      : undefined;
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: this.tty,
      completer,
      history: [...this.history].reverse(),
      historySize: 100_000,
      removeHistoryDuplicates: false,
    });
    rl.on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.lines.push(line);
    });
    rl.on('history', (h: string[]) => (this.history = [...h].reverse()));
    rl.on('SIGINT', () => this.interrupt());
    rl.on('close', () => {
      this.rl = null;
      // A tty can be read again after ^D; a pipe or file has ended for good.
      if (!this.tty) this.eof = true;
      const w = this.waiting;
      this.waiting = null;
      w?.(null);
    });
    this.rl = rl;
    return rl;
  }

  /** raw_input(prompt): the next line, or null at end of input (^D). */
  readLine(prompt: string, prompted?: () => void): Promise<string | null> {
    const queued = this.lines.shift();
    if (queued !== undefined) {
      if (!this.tty) this.write(prompt);
      return Promise.resolve(queued);
    }
    if (this.eof) {
      if (!this.tty) this.write(prompt);
      return Promise.resolve(null);
    }
    const rl = this.open();
    rl.setPrompt(prompt);
    rl.prompt();
    prompted?.();
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Gives up the pending readLine (it resolves null), dropping what was typed. */
  cancelRead(): void {
    this.clearPending();
    const w = this.waiting;
    this.waiting = null;
    w?.(null);
  }

  /** getpass(prompt): a line read without echo, kept out of the history. */
  async readSecret(prompt: string): Promise<string | null> {
    const rl = this.open();
    const sink = rl as unknown as { _writeToOutput(s: string): void };
    const original = sink._writeToOutput;
    try {
      // What is typed is not echoed; the prompt is.
      const line = await this.readLine(prompt, () => (sink._writeToOutput = () => {}));
      if (line && this.history.at(-1) === line) this.history.pop();
      if (this.rl) (this.rl as unknown as { history: string[] }).history = [...this.history].reverse();
      return line;
    } finally {
      if (this.rl === rl) sink._writeToOutput = original;
      this.write('\n');
    }
  }

  close(): void {
    this.rl?.close();
    process.stdin.unref?.();
  }
}
