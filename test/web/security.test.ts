// Who may use the page: the section's Basic auth guards the page, its API and its event
// streams exactly as it guards /RPC2; the page's actions need the per-daemon token; and
// supervisor's action URLs refuse what a browser says comes from another site.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { cleanupAll, program, prog } from '../daemon/helpers.ts';
import { chromiumAvailable, launchChromium } from './browser.ts';
import { startWebDaemon } from './helpers.ts';

const AUTH = { username: 'admin', password: 's3cret' };
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const BODY = prog('sleeper', program('sleep-forever.sh'));

// Chromium launches twice in one test: generous on a loaded machine
const test = suite('web page: auth, token, cross-site requests', {}, 90_000);
test.after.each(cleanupAll);

test('every route of the page answers 401 without the credentials, as /RPC2 does', async () => {
  const { base } = await startWebDaemon(BODY, AUTH);
  const paths = ['/', '/index.html', '/index.html?processname=sleeper&action=stop', '/tail.html?processname=sleeper', '/ok.html', '/assets/app.js', '/api/state', '/api/events', '/api/actor-events?id=process:sleeper:sleeper', '/RPC2'];
  for (const path of paths) {
    for (const authorization of [undefined, basic('admin', 'wrong')]) {
      const res = await fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });
      assert.is(res.status, 401, `${path} with ${authorization ?? 'no credentials'}`);
      assert.is(res.headers.get('www-authenticate'), 'Basic realm="default"');
      await res.text();
    }
  }
  const ok = await fetch(`${base}/api/state`, { headers: { authorization: basic(AUTH.username, AUTH.password) } });
  assert.is(ok.status, 200);
  assert.equal((await ok.json() as { processes: { ns: string }[] }).processes.map((p) => p.ns), ['sleeper']);
});

test('an action needs the token of /api/state; supervisor\'s URLs refuse cross-site browsers', async () => {
  const { base, daemon } = await startWebDaemon(BODY);
  await daemon.waitForLine(/^success: sleeper entered RUNNING state/);
  const post = (headers: Record<string, string>) => fetch(`${base}/api/action`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ action: 'stop', name: 'sleeper' }) });
  for (const headers of [{}, { 'x-statevisor-token': 'guess' }] as Record<string, string>[]) {
    const res = await post(headers);
    assert.is(res.status, 403);
    await res.text();
  }
  assert.equal(daemon.matching(/^stopped: sleeper/), [], 'nothing was stopped');
  const get = await fetch(`${base}/api/action`);
  assert.is(get.status, 404, 'no action by GET');
  await get.text();

  const { token } = await (await fetch(`${base}/api/state`)).json() as { token: string };
  assert.match(token, /^[\w-]{20,}$/);
  const big = await fetch(`${base}/api/action`, { method: 'POST', headers: { 'x-statevisor-token': token }, body: 'x'.repeat(100_000) });
  assert.is(big.status, 413, 'an action body is small');
  await big.text().catch(() => '');
  const res = await post({ 'x-statevisor-token': token });
  assert.is(res.status, 200);
  assert.equal(await res.json(), { message: 'Process sleeper stopped', error: false });

  for (const site of ['cross-site', 'same-site']) {
    const refused = await fetch(`${base}/index.html?processname=sleeper&action=start`, { redirect: 'manual', headers: { 'sec-fetch-site': site } });
    assert.is(refused.status, 403, site);
    await refused.text();
  }
  assert.equal(daemon.matching(/^spawned: 'sleeper'/).length, 1, 'the refused requests started nothing');
  for (const site of ['same-origin', 'none']) {
    const allowed = await fetch(`${base}/index.html?action=refresh`, { redirect: 'manual', headers: { 'sec-fetch-site': site } });
    assert.is(allowed.status, 301, site);
    await allowed.text();
  }
});

if (chromiumAvailable) {
  test('Chromium gets 401 without credentials and the page with them', async () => {
    const { base } = await startWebDaemon(BODY, AUTH);
    const without = await launchChromium();
    try {
      const page = await without.context.newPage();
      // headless Chromium cannot ask for credentials: the 401 ends the navigation
      const outcome = await page.goto(base).then((r) => String(r?.status()), (e: Error) => e.message);
      assert.match(outcome, /^401$|ERR_INVALID_AUTH_CREDENTIALS/);
    } finally {
      await without.close();
    }
    const withAuth = await launchChromium(AUTH);
    try {
      const page = await withAuth.context.newPage();
      const res = await page.goto(base);
      assert.is(res?.status(), 200);
      await page.waitForSelector('.proc[data-ns="sleeper"][data-state="RUNNING"]');
    } finally {
      await withAuth.close();
    }
  });
}

test.run();
