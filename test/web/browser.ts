// Debian's headless Chromium driven by playwright-core, for the web page's tests and
// bench: no browser download (the machine has no internet), no background traffic
// (without those flags Chromium keeps dialling Google and hammers refused connections),
// a fresh profile per launch, removed on close.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

export interface Launched {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context in a fresh profile (playwright's way to pass --user-data-dir), with Basic credentials when given. */
export async function launchChromium(credentials?: { username: string; password: string }): Promise<Launched> {
  const profile = mkdtempSync(join(tmpdir(), 'statevisor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 860 },
    ...(credentials ? { httpCredentials: credentials } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
