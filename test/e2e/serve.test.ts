// `jrn serve` end to end: the server (with the built index worker and the built renderer) on
// every fixture store and on the demo store, opened in Debian's Chromium; the page loads
// under its CSP and the API answers through the real HTTP transport with the page's token.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type ServeHandle } from '../../src/main/server';
import { allFixtureStores } from '../support/fixtures';
import { launchChromium } from '../support/browser';
import { requireBuilt, SCREENSHOT_DIR } from '../support/paths';
import { tempDir } from '../main/helpers';

let browser: Browser | undefined;
const dataDir = tempDir('je-serve-e2e-');

beforeAll(() => {
  requireBuilt('renderer/index.html');
});

afterAll(async () => {
  await browser?.close();
  dataDir.cleanup();
});

async function getBrowser(ctx: { skip(note?: string): never }): Promise<Browser> {
  browser ??= await launchChromium(ctx);
  return browser;
}

function serve(options: Parameters<typeof startServer>[0]): Promise<ServeHandle> {
  return startServer({
    workerPath: requireBuilt('main/indexWorker.js'),
    rendererDir: dirname(requireBuilt('renderer/index.html')),
    dataDir: dataDir.path,
    ...options,
  });
}

// Answers are checked with toMatchObject; their shapes are the contract's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** Calls the API from inside the page, as the renderer's HTTP transport does. */
function api(page: Page, method: string, args: unknown): Promise<{ status: number; body: { ok: boolean; result?: Loose; error?: { code: string } } }> {
  return page.evaluate(
    async ([m, a]) => {
      // Runs in the page: its globals (this project's Node typings have no DOM types).
      const token = new URLSearchParams((globalThis as Loose).location.search).get('token') ?? '';
      const res = await fetch(`/api/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-journal-token': token }, body: JSON.stringify(a) });
      return { status: res.status, body: (await res.json()) as Loose };
    },
    [method, args] as const,
  );
}

async function openPage(b: Browser, server: ServeHandle): Promise<{ page: Page; errors: string[] }> {
  const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const response = await page.goto(server.url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
  await page.waitForFunction(() => ((globalThis as Loose).document.getElementById('root')?.childElementCount ?? 0) > 0, undefined, { timeout: 15_000 });
  expect(await page.title()).toBe('Journal Explorer');
  return { page, errors };
}

describe('jrn serve in Chromium', () => {
  test.for(allFixtureStores().map((f) => [`${f.layout}/${f.scenario}`, f.dir] as const))('%s', async ([, dir], ctx) => {
    const b = await getBrowser(ctx);
    const server = await serve({ dir, follow: { enabled: false } });
    try {
      const { page, errors } = await openPage(b, server);
      const startup = await api(page, 'startup', {});
      expect(startup).toMatchObject({ status: 200, body: { ok: true, result: { transport: 'http', open: { storeId: server.store.storeId, dir } } } });
      const summary = startup.body.result.open;
      const at = summary.lastTimestamp ?? 0;
      const state = await api(page, 'stateAt', { storeId: summary.storeId, at, limit: 1000 });
      expect(state.body.ok).toBe(true);
      expect(state.body.result.total).toBe(state.body.result.rows.length);
      const generations = await api(page, 'generations', { storeId: summary.storeId });
      expect(generations.body.result).toHaveLength(summary.generations.length);

      // Without the token the API refuses, from the page too.
      const refused = await page.evaluate(async () => (await fetch('/api/startup', { method: 'POST', body: '{}' })).status);
      expect(refused).toBe(401);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  });

  test('the demo store, live: events arrive in the page over server-sent events', async (ctx) => {
    const b = await getBrowser(ctx);
    const server = await serve({ demo: true, follow: { debounceMs: 100, pollMs: 500 } });
    try {
      expect(server.store).toMatchObject({ isDemo: true, store: 'fleet' });
      expect(server.store.generations.length).toBeGreaterThan(5);
      const { page, errors } = await openPage(b, server);
      const startup = await api(page, 'startup', {});
      expect(startup.body.result).toMatchObject({ demoAvailable: true, open: { isDemo: true } });
      const storeId = startup.body.result.open.storeId as string;
      const hist = await api(page, 'histogram', { storeId, from: server.store.firstTimestamp, to: server.store.lastTimestamp, bins: 120 });
      expect(hist.body.result).toHaveLength(120);

      const event = await page.evaluate(
        () =>
          new Promise<unknown>((resolve, reject) => {
            const page = globalThis as Loose;
            const token = new URLSearchParams(page.location.search).get('token') ?? '';
            const source = new page.EventSource(`/api/events?token=${encodeURIComponent(token)}`);
            const timer = setTimeout(() => reject(new Error('no storeChanged event within 15 s')), 15_000);
            source.addEventListener('storeChanged', (e: { data: string }) => {
              clearTimeout(timer);
              source.close();
              resolve(JSON.parse(e.data));
            });
          }),
      );
      expect(event).toMatchObject({ storeId, summary: { isDemo: true } });
      expect((event as { added: number }).added).toBeGreaterThan(0);

      // The pause switch, through the page.
      expect(await api(page, 'setDemoWriter', { storeId, running: false })).toMatchObject({ body: { ok: true, result: { running: false } } });

      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'serve-demo.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  }, 60_000);
});
