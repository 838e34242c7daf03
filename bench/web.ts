// The web page with 1,000 programs, in Debian's headless Chromium: time to the first
// render of the whole table, then Restart all and how the page keeps up (row updates
// applied per second, frames drawn, the longest frame) until every row is RUNNING again.
import { withDaemon } from './lib/daemon.ts';
import { limitsFor, sleepers } from './lib/configs.ts';
import { freePort } from '../test/daemon/helpers.ts';
import { launchChromium } from '../test/web/browser.ts';
import { fmt, table } from './lib/stats.ts';

export interface WebResult {
  n: number;
  /** Navigation start → the table drawn (performance mark), and → first contentful paint. */
  renderMs: number;
  fcpMs: number;
  rows: number;
  /** Restart all: click → every row RUNNING again. */
  restartMs: number;
  applied: number;
  updatesPerSecond: number;
  /** Time the page spent applying them, and so how many it could apply per second of its own time. */
  busyMs: number;
  fps: number;
  longestFrameMs: number;
  /** Time the page's main thread spent in tasks over 50 ms during the restart. */
  longTasksMs: number;
}

const SUCCESS = /^success: /;

interface PageProbe { frames: number; longest: number; long: number; applied: number; busy: number }

export async function webPage(n: number): Promise<WebResult> {
  const port = await freePort();
  return withDaemon({ kind: 'statevisord', programs: `[inet_http_server]\nport = 127.0.0.1:${port}\n\n${sleepers(n)}`, ...limitsFor(n) }, async (d) => {
  const browser = await launchChromium();
  try {
    await d.waitFor(SUCCESS, n, 60000 + n * 150);
    const page = await browser.context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
    const first = await page.evaluate(`(() => ({
      render: performance.getEntriesByName('statevisor:rendered')[0].startTime,
      fcp: (performance.getEntriesByName('first-contentful-paint')[0] || { startTime: NaN }).startTime,
      rows: document.querySelectorAll('.proc').length,
    }))()`) as { render: number; fcp: number; rows: number };
    // frames, the longest gap between two, long tasks and rows applied, from the click on
    await page.evaluate(`(() => {
      const p = window.probe = { frames: 0, longest: 0, long: 0, applied: window.statevisor.table.applied, busy: window.statevisor.table.busyMs, last: performance.now() };
      const tick = (t) => { p.frames++; p.longest = Math.max(p.longest, t - p.last); p.last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      new PerformanceObserver((l) => { for (const e of l.getEntries()) p.long += e.duration; }).observe({ type: 'longtask' });
    })()`);
    const t0 = performance.now();
    await page.click('[data-global="restartall"]');
    await page.waitForSelector('#message:has-text("All restarted at")', { timeout: 120000 + n * 200 });
    await page.waitForFunction(`document.querySelectorAll('.proc[data-state="RUNNING"]').length === ${n}`, undefined, { timeout: 60000 });
    const restartMs = performance.now() - t0;
    const p = await page.evaluate(`(() => ({ ...window.probe, applied: window.statevisor.table.applied - window.probe.applied, busy: window.statevisor.table.busyMs - window.probe.busy }))()`) as PageProbe;
    return {
      n, renderMs: first.render, fcpMs: first.fcp, rows: first.rows, restartMs, applied: p.applied,
      updatesPerSecond: p.applied / (restartMs / 1000), busyMs: p.busy, fps: p.frames / (restartMs / 1000), longestFrameMs: p.longest, longTasksMs: p.long,
    };
  } finally {
    await browser.close();
  }
  });
}

export function webTable(r: WebResult): string {
  const rows = [
    ['table drawn (navigation start → all rows in the DOM)', fmt(r.renderMs, 0, 'ms')],
    ['first contentful paint', fmt(r.fcpMs, 0, 'ms')],
    ['rows', String(r.rows)],
    ['Restart all: click → every row RUNNING again', fmt(r.restartMs / 1000, 1, 's')],
    ['  row updates applied', String(r.applied)],
    ['  row updates per second', fmt(r.updatesPerSecond, 0)],
    ['  time the page spent applying them', fmt(r.busyMs, 0, 'ms')],
    ['  so row updates per second of the page\'s time', fmt(r.applied / (r.busyMs / 1000), 0)],
    ['  frames per second meanwhile', fmt(r.fps, 0)],
    ['  longest frame', fmt(r.longestFrameMs, 0, 'ms')],
    ['  main thread in long tasks (> 50 ms)', fmt(r.longTasksMs, 0, 'ms')],
  ];
  return `${r.n} programs (each its own group: ${r.n} group rows and ${r.n} process rows), the page in Debian's headless Chromium on this machine, the daemon beside it.\n\n${table(['measure', 'statevisord'], rows)}`;
}
