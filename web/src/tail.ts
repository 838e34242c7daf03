// A live tail of one process's log: the daemon's own /logtail stream (the one
// `supervisorctl tail -f` reads), its body read as it arrives.

/** Characters kept on screen; older output scrolls away. */
const KEEP = 64 * 1024;

export class TailPanel {
  private abort: AbortController | null = null;

  constructor(private readonly panel: HTMLElement, private readonly title: HTMLElement, private readonly body: HTMLElement) {}

  async open(ns: string, channel: 'stdout' | 'stderr' = 'stdout'): Promise<void> {
    this.close();
    const abort = (this.abort = new AbortController());
    this.panel.hidden = false;
    this.title.textContent = `tail -f ${ns} (${channel})`;
    this.body.textContent = '';
    this.panel.dataset.ns = ns;
    let res: Response;
    try {
      res = await fetch(`logtail/${encodeURIComponent(ns)}${channel === 'stderr' ? '/stderr' : ''}`, { signal: abort.signal });
    } catch {
      return;
    }
    if (!res.ok || !res.body) {
      this.body.textContent = res.status === 404 ? `No log file for ${ns}` : `ERROR: ${res.status}`;
      return;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.append(value);
      }
    } catch {
      // aborted: another tail was opened or the panel closed
    }
  }

  private append(text: string): void {
    const stick = this.body.scrollTop + this.body.clientHeight >= this.body.scrollHeight - 4;
    let all = (this.body.textContent ?? '') + text;
    if (all.length > KEEP) all = all.slice(all.length - KEEP);
    this.body.textContent = all;
    if (stick) this.body.scrollTop = this.body.scrollHeight;
  }

  close(): void {
    this.abort?.abort();
    this.abort = null;
    this.panel.hidden = true;
    delete this.panel.dataset.ns;
  }
}
