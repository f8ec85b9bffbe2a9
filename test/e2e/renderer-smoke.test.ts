// Smoke test: the built renderer loads in Chromium under its CSP and shows the welcome screen.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { requireBuilt, SCREENSHOT_DIR } from '../support/paths';
import { serveStatic, type StaticServer } from '../support/staticServer';

let browser: Browser | undefined;
let server: StaticServer | undefined;

afterEach(async () => {
  await browser?.close();
  await server?.close();
  browser = undefined;
  server = undefined;
});

test('built renderer shows the welcome screen in Chromium', async (ctx) => {
  const indexHtml = requireBuilt('renderer/index.html');
  browser = await launchChromium(ctx);
  server = await serveStatic(dirname(indexHtml));

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });

  await page.goto(server.url);
  const heading = page.getByRole('heading', { level: 1, name: 'Journal Explorer' });
  await heading.waitFor({ state: 'visible', timeout: 10_000 });
  expect(await heading.isVisible()).toBe(true);
  expect(await page.getByText('Running in the browser').isVisible()).toBe(true);

  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");

  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'renderer-welcome.png'), fullPage: true });

  // CSP violations and script errors show up as console errors.
  expect(problems).toEqual([]);
});
