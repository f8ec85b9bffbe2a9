// Helpers for the Explorer UI end-to-end tests: `jrn serve` (startServer) on a fixture store,
// the built renderer in Debian's Chromium, and reading what the UI shows.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type ServeHandle } from '../../src/main/server';
import { launchChromium } from '../support/browser';
import type { Manifest, ManifestRow } from '../support/fixtures';
import { requireBuilt, SCREENSHOT_DIR } from '../support/paths';

// Callbacks evaluated in the page see DOM types this project's Node typings do not have.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

const dataDir = mkdtempSync(join(tmpdir(), 'je-ui-e2e-'));

export function cleanupData(): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * One Chromium for a test file: launched on first use (a test without Chromium is skipped, or
 * fails under CI), closed after the file's tests along with the servers' data folder.
 */
export function useBrowser(): (ctx: { skip(note?: string): never }) => Promise<Browser> {
  let browser: Browser | undefined;
  beforeAll(() => {
    requireBuilt('renderer/index.html');
  });
  afterAll(async () => {
    await browser?.close();
    cleanupData();
  });
  return async (ctx) => (browser ??= await launchChromium(ctx));
}

export function serve(dir: string | null, store?: string, options: Partial<Parameters<typeof startServer>[0]> = {}): Promise<ServeHandle> {
  return startServer({
    ...(dir === null ? {} : { dir, store }),
    workerPath: requireBuilt('main/indexWorker.js'),
    rendererDir: dirname(requireBuilt('renderer/index.html')),
    dataDir,
    follow: { enabled: false },
    ...options,
  });
}

export interface OpenPage {
  page: Page;
  /** Script errors and console errors seen so far. */
  problems: string[];
}

/** Opens the served UI and waits for the state table of the store it opened. */
export async function openUi(browser: Browser, server: ServeHandle, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme, acceptDownloads: true });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  await page.goto(server.url);
  await page.getByTestId('state-table').waitFor({ timeout: 20_000 });
  return { page, problems };
}

export interface UiTarget {
  /** The store folder to serve (null: none, with options such as the demo). */
  dir: string | null;
  store?: string;
  options?: Partial<Parameters<typeof startServer>[0]>;
  colorScheme?: 'light' | 'dark';
}

/**
 * Serves a store, opens the UI on it, runs `body`, and closes the server. By the end the page
 * must have shown no script or console error (`label` names the case when it did).
 */
export async function withUi(browser: Browser, target: UiTarget, body: (page: Page) => Promise<void>, label?: string): Promise<void> {
  const server = await serve(target.dir, target.store, target.options);
  try {
    const { page, problems } = await openUi(browser, server, target.colorScheme);
    await body(page);
    expect(problems, label).toEqual([]);
    await page.close();
  } finally {
    await server.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Waits until the table shows the complete, current answer for T. */
export async function waitForTable(page: Page, at: number): Promise<void> {
  try {
    await page.locator(`[data-testid=state-table][data-at="${at}"][data-loading="false"][data-stale="false"]`).waitFor({ timeout: 10_000 });
  } catch (err) {
    // Say what the page showed instead, so that a failure in CI can be understood from its log.
    const shown = await page.evaluate(() => {
      const doc = (globalThis as Loose).document;
      const table = doc.querySelector('[data-testid=state-table]');
      return {
        table: table ? { at: table.dataset.at, loading: table.dataset.loading, stale: table.dataset.stale } : null,
        cursor: doc.querySelector('[data-testid=cursor-us]')?.textContent,
        input: doc.querySelector('[data-testid=time-input]')?.value,
        errors: [...doc.querySelectorAll('[role=alert]')].map((e: Loose) => e.textContent),
      };
    });
    throw new Error(`the state table never showed T=${at}; the page showed ${JSON.stringify(shown)}`, { cause: err });
  }
}

/** Waits until the table shows the cursor's T, whatever it is (for a store that keeps growing). */
export async function waitForTableAtCursor(page: Page): Promise<number> {
  await expect
    .poll(
      async () => {
        const table = page.getByTestId('state-table');
        const [at, loading, stale] = await Promise.all([table.getAttribute('data-at'), table.getAttribute('data-loading'), table.getAttribute('data-stale')]);
        return loading === 'false' && stale === 'false' && at === String(await cursor(page));
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return cursor(page);
}

/** Types T into the time field. */
export async function goTo(page: Page, at: number | string): Promise<void> {
  const input = page.getByTestId('time-input');
  await input.fill(String(at));
  await input.press('Enter');
}

export async function cursor(page: Page): Promise<number> {
  return Number(await page.getByTestId('cursor-us').textContent());
}

export interface ShownRow {
  scope: number;
  key: string;
  value: string;
  ts: number;
}

/** Every row the table shows (fixture states are small enough to be on screen at once). */
export async function tableRows(page: Page): Promise<ShownRow[]> {
  return page.$$eval('[data-testid=state-row]', (els: Loose[]) =>
    els
      .map((e: Loose) => ({
        index: Number(e.dataset.index),
        scope: Number(e.dataset.scope),
        key: e.dataset.key as string,
        value: e.querySelector('[data-testid=cell-value]').textContent as string,
        ts: Number(e.querySelector('[data-testid=cell-since]').dataset.us),
      }))
      .sort((a: Loose, b: Loose) => a.index - b.index)
      .map(({ scope, key, value, ts }: Loose) => ({ scope, key, value, ts })),
  );
}

/** The preview the table shows for a manifest value (the fixtures hold scalars only). */
export function preview(value: unknown): string {
  const v = value as Record<string, unknown>;
  if ('string' in v) return JSON.stringify(v.string);
  if ('int' in v) return String(v.int);
  if ('double' in v) return String(v.double);
  if ('bool' in v) return String(v.bool);
  throw new Error(`unexpected fixture value ${JSON.stringify(value)}`);
}

export function expectedRows(rows: ManifestRow[]): ShownRow[] {
  return rows.map((r) => ({ scope: r.scope, key: r.key, value: preview(r.value), ts: r.ts }));
}

/** The state the manifest says holds at T: the last point_in_time at or before T. */
export function manifestStateAt(manifest: Manifest, t: number): ManifestRow[] {
  let rows: ManifestRow[] = [];
  for (const p of manifest.point_in_time) if (p.at_ts <= t) rows = p.recovered;
  return rows;
}

/** The distinct write timestamps of a manifest with the state at each (the last entry wins). */
export function distinctPoints(manifest: Manifest): { at: number; rows: ManifestRow[] }[] {
  const byTs = new Map<number, ManifestRow[]>();
  for (const p of manifest.point_in_time) byTs.set(p.at_ts, p.recovered);
  return [...byTs].sort((a, b) => a[0] - b[0]).map(([at, rows]) => ({ at, rows }));
}

export async function expectTableAt(page: Page, at: number, rows: ManifestRow[]): Promise<void> {
  await waitForTable(page, at);
  expect(await tableRows(page), `state at ${at}`).toEqual(expectedRows(rows));
  expect(await page.getByTestId('state-table').getAttribute('data-total')).toBe(String(rows.length));
}
