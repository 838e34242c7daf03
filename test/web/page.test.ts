// The web page in Debian's headless Chromium against a real statevisord: it lists every
// process, its buttons stop and start one while its row and its state-machine view follow
// live, its tail shows output printed after it opened, and it needs the section's
// credentials when the server has them. Screenshots land in test/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { suite } from '../harness.ts';
import { cleanupAll, program, prog, ROOT } from '../daemon/helpers.ts';
import { chromiumAvailable, launchChromium, type Launched } from './browser.ts';
import { eventually, rpc, startWebDaemon, type WebDaemon } from './helpers.ts';

const SHOTS = join(ROOT, 'test/screenshots');

/** What the page-side callbacks use (they run in Chromium; this file is checked against Node's lib, without the DOM's). */
interface PageGlobals {
  seen: (string | null)[];
  marker?: number;
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  MutationObserver: new (cb: (records: { oldValue: string | null }[]) => void) => { observe(target: unknown, options: object): void };
}


const BODY = [
  prog('sleeper', program('sleep-forever.sh'), { startsecs: 1 }),
  prog('cat', program('echo-stdin.sh')),
  prog('web', program('sleep-forever.sh'), { numprocs: 3, process_name: '%(program_name)s_%(process_num)02d' }),
  prog('idle', program('sleep-forever.sh'), { autostart: false }),
  prog('crash', program('exit-after.sh', 0, 3), { startretries: 1, startsecs: 1 }),
  '[group:pair]\nprograms=left,right\nstrategy=one_for_all\nmax_restarts=3\nrestart_window=60\n',
  prog('left', program('sleep-forever.sh')),
  prog('right', program('sleep-forever.sh')),
  // the bench's listener: acknowledges every event at once
  `[eventlistener:watcher]\ncommand=/usr/bin/python3 ${join(ROOT, 'bench/lib/ack-listener.py')} /dev/null\nevents=PROCESS_STATE\nstartsecs=0\n`,
].join('\n');

/** The namespecs of BODY as getAllProcessInfo orders them (group, then name). */
const EXPECTED = ['cat', 'crash', 'idle', 'pair:left', 'pair:right', 'sleeper', 'watcher', 'web:web_00', 'web:web_01', 'web:web_02'];

interface State { web?: WebDaemon; browser?: Launched }
const test = suite<State>('web page in Chromium', {}, 90_000);

async function open(ctx: State, path = '/'): Promise<Page> {
  const page = await ctx.browser!.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${ctx.web!.base}${path}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 10_000 }).catch((e: Error) => {
    throw new Error(`${e.message}; page errors: ${errors.join('; ')}`);
  });
  return page;
}

/** Every value an attribute takes from now on, in order (oldValue reconstructs the ones a later change hid). */
async function recordAttribute(page: Page, selector: string, attribute: string): Promise<() => Promise<string[]>> {
  await page.evaluate(([sel, attr]) => {
    const w = globalThis as unknown as PageGlobals;
    w.seen = [];
    new w.MutationObserver((records) => { for (const r of records) w.seen.push(r.oldValue); })
      .observe(w.document.querySelector(sel), { attributes: true, attributeFilter: [attr], attributeOldValue: true });
  }, [selector, attribute] as const);
  return async () => {
    const [olds, now] = await page.evaluate(([sel, attr]) => {
      const w = globalThis as unknown as PageGlobals;
      return [w.seen, w.document.querySelector(sel)!.getAttribute(attr)] as const;
    }, [selector, attribute] as const);
    return [...olds, now].filter((v, i, all): v is string => v !== null && v !== all[i - 1]);
  };
}

/** Clicks a view's button, waits for `current` to be lit; the chart's states, sorted. */
async function openView(page: Page, button: string, current: string): Promise<(string | null)[]> {
  await page.click(button);
  await page.waitForSelector(`#chart .node.current[data-id="${current}"]`);
  return page.$$eval('#chart .node', (ns) => ns.map((n) => n.getAttribute('data-id')).sort());
}

const rowState = (page: Page, ns: string) => page.getAttribute(`.proc[data-ns="${ns}"]`, 'data-state');

test.before(async (ctx) => {
  if (!chromiumAvailable) return;
  ctx.web = await startWebDaemon(BODY);
  await ctx.web.daemon.waitForLine(/^success: sleeper entered RUNNING state/);
  ctx.browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await cleanupAll();
});

if (!chromiumAvailable) {
  console.warn('\n*** SKIPPED test/web/page.test.ts: /usr/bin/chromium is missing (apt-get install chromium) ***\n');
  test.skip('the page in Chromium', () => {});
} else {
  test('lists every process of the configuration with its state and description', async (ctx) => {
    const page = await open(ctx);
    const rows = await page.$$eval('.proc', (trs) => trs.map((tr) => tr.getAttribute('data-ns')));
    assert.equal(rows, EXPECTED);
    await eventually('web:web_02 RUNNING on the page', async () => (await rowState(page, 'web:web_02')) === 'RUNNING');
    assert.match(await page.textContent('.proc[data-ns="sleeper"] .desc') ?? '', /^pid \d+, uptime 0:00:\d\d$/);
    assert.is(await page.textContent('.proc[data-ns="idle"] .desc'), 'Not started');
    assert.is(await page.textContent('.proc[data-ns="idle"] .badge'), 'stopped');
    await eventually('crash FATAL on the page', async () => (await rowState(page, 'crash')) === 'FATAL', 30_000);
    assert.is(await page.textContent('.proc[data-ns="crash"] .desc'), 'Exited too quickly (process log may have details)');
    await page.screenshot({ path: join(SHOTS, 'main.png') });
    await page.close();
  });

  test('stop and start from the page: the row and the state-machine view follow live, in order', async (ctx) => {
    const page = await open(ctx);
    const viewer = await open(ctx, '/#machine=process%3Asleeper%3Asleeper');
    await viewer.waitForSelector('#chart .node.current[data-id="RUNNING"]');
    const lit = await recordAttribute(viewer, '#chart', 'data-state');
    const rowStates = await recordAttribute(page, '.proc[data-ns="sleeper"]', 'data-state');
    await page.evaluate(() => { (globalThis as unknown as PageGlobals).marker = 42; });

    await page.click('.proc[data-ns="sleeper"] .act-stop');
    await page.waitForSelector('.proc[data-ns="sleeper"][data-state="STOPPED"]');
    assert.is(await page.textContent('.proc[data-ns="sleeper"] .badge'), 'stopped');
    await page.waitForSelector('#message:has-text("Process sleeper stopped")');
    await page.click('.proc[data-ns="sleeper"] .act-start');
    await page.waitForSelector('.proc[data-ns="sleeper"][data-state="RUNNING"]', { timeout: 10_000 });
    await viewer.waitForSelector('#chart[data-state="RUNNING"] .node.current[data-id="RUNNING"]');
    await viewer.waitForSelector('#history li:nth-last-child(4)');

    assert.is(await page.evaluate(() => (globalThis as unknown as PageGlobals).marker), 42, 'the page was not reloaded');
    // rows are batched (the last state of a batch wins), the view is not: the row's states are the view's, in order, possibly fewer
    const rowSeen = await rowStates();
    const all = ['RUNNING', 'STOPPING', 'STOPPED', 'STARTING', 'RUNNING'];
    let at = 0;
    for (const s of rowSeen) at = all.indexOf(s, at) + 1 || Infinity;
    assert.ok(at === all.length && rowSeen.includes('STOPPED'), `the row's states ${rowSeen.join(' ')} follow ${all.join(' ')}`);
    assert.equal(await lit(), ['RUNNING', 'STOPPING', 'STOPPED', 'STARTING', 'RUNNING'], 'the chart lit each state in order');
    const history = await viewer.$$eval('#history li', (lis) => lis.map((li) => `${li.getAttribute('data-from')}>${li.getAttribute('data-to')}`));
    assert.equal(history.slice(-4), ['RUNNING>STOPPING', 'STOPPING>STOPPED', 'STOPPED>STARTING', 'STARTING>RUNNING']);
    const times = await viewer.$$eval('#history li time', (ts) => ts.map((t) => t.textContent ?? ''));
    assert.ok(times.every((t) => /^\d\d:\d\d:\d\d\.\d{3}$/.test(t)), `times shown: ${times.join(', ')}`);
    assert.match(await viewer.textContent('#chart .edge.last title') ?? '', /STARTSECS/, 'the last edge taken is lit');
    await viewer.screenshot({ path: join(SHOTS, 'machine-process.png') });
    await page.close();
    await viewer.close();
  });

  test('a group view shows its strategy, its intensity window and its restarts live', async (ctx) => {
    const page = await open(ctx);
    assert.equal(await openView(page, '.group:has-text("pair") .act-machine', 'running'), ['*', 'givingUp', 'markingFatal', 'restarting', 'running', 'starting', 'stopped', 'stoppingAll']);
    const facts = async () => (await page.textContent('#facts')) ?? '';
    assert.match(await facts(), /strategy\s*one_for_all/);
    assert.match(await facts(), /max_restarts\s*3/);
    assert.match(await facts(), /restart_window\s*60/);
    assert.match(await facts(), /restarts\s*—/);
    // left dies: one_for_all restarts both, and the restart is counted in the window
    assert.match(await rpc(ctx.web!.base, 'supervisor.signalProcess', 'pair:left', 'KILL'), /<boolean>1<\/boolean>/);
    await page.waitForSelector('#history li[data-from="running"][data-to="restarting"]');
    await page.waitForSelector('#history li[data-to="running"]');
    await page.waitForSelector('#facts dd >> text=/^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$/');
    assert.match(await facts(), /restarts\s*\d\d:\d\d:\d\d\.\d{3}/, 'the restart time is in the window');
    await page.screenshot({ path: join(SHOTS, 'machine-group.png') });
    await page.close();
  });

  test('an event listener\'s protocol machine: READY, then BUSY while it holds an event', async (ctx) => {
    const page = await open(ctx);
    assert.equal(await openView(page, '.proc[data-ns="watcher"] .act-protocol', 'READY'), ['ACKNOWLEDGED', 'BUSY', 'READY', 'UNKNOWN']);
    assert.match(await page.textContent('#machine-title') ?? '', /^listener:watcher:watcher — listener machine$/);
    // a state change of another process is an event for it: it goes BUSY and back to READY
    assert.match(await rpc(ctx.web!.base, 'supervisor.stopProcess', 'web:web_00'), /<boolean>1<\/boolean>/);
    await page.waitForSelector('#history li[data-from="READY"][data-to="BUSY"]');
    await page.waitForSelector('#history li[data-from="BUSY"]');
    await page.screenshot({ path: join(SHOTS, 'machine-listener.png') });
    await page.close();
  });

  test('the tail shows a line the program printed after the page opened', async (ctx) => {
    const page = await open(ctx);
    await page.click('.proc[data-ns="cat"] .act-tail');
    await page.waitForSelector('#tail[data-ns="cat"]');
    const line = `printed after the page opened ${Date.now()}`;
    assert.match(await rpc(ctx.web!.base, 'supervisor.sendProcessStdin', 'cat', `${line}\n`), /<boolean>1<\/boolean>/);
    await page.waitForSelector(`#tail-body:has-text("${line}")`, { timeout: 10_000 });
    // this one is written while the stream is certainly open: it must come through it
    assert.match(await rpc(ctx.web!.base, 'supervisor.sendProcessStdin', 'cat', `second ${line}\n`), /<boolean>1<\/boolean>/);
    await page.waitForSelector(`#tail-body:has-text("second ${line}")`, { timeout: 10_000 });
    await page.close();
  });

  test('start all, stop all and restart all', async (ctx) => {
    const page = await open(ctx);
    await page.click('[data-global="stopall"]');
    await page.waitForSelector('#message:has-text("All stopped at")', { timeout: 20_000 });
    // the rows follow the reply within a batch or two
    const states = () => page.$$eval('.proc', (trs) => trs.map((tr) => tr.getAttribute('data-state')));
    await eventually('every row stopped', async () => (await states()).every((s) => s === 'STOPPED' || s === 'FATAL' || s === 'EXITED'));
    await page.click('[data-global="startall"]');
    await page.waitForSelector('#message:has-text("All started at")', { timeout: 20_000 });
    await page.waitForSelector('.proc[data-ns="idle"][data-state="RUNNING"]');
    await page.click('[data-global="restartall"]');
    await page.waitForSelector('#message:has-text("All restarted at")', { timeout: 20_000 });
    await page.waitForSelector('.proc[data-ns="sleeper"][data-state="RUNNING"]');
    await page.close();
  });
}

test.run();
