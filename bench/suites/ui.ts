// Explorer UI on the standard store (1,000,000 writes over 100,000 keys): `jrn serve` and the
// built renderer in Debian's Chromium. Drags the scrubber across 100 positions and measures,
// for each, the time from the input event to the state table repainted with the new T's rows
// (target p95 <= 50 ms), then the renderer's JS heap. Needs Chromium and `npm run build`;
// skipped with a message otherwise.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startServer } from '../../src/main/server';
import { CHROMIUM_ARGS, chromiumStatus } from '../../test/support/browser';
import { standardStore } from '../standardStore';
import { result, type Result } from '../types';

const OUT = resolve(__dirname, '../../out');
const POSITIONS = 100;
const WARMUP = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Instruments the page: remembers the time stamp of the last pointer input, and waits (with a
 * MutationObserver, no polling) until the table shows the cursor's T, complete and not stale,
 * then until the frame after it is painted. Plain JavaScript source: functions compiled by tsx
 * carry helpers that do not exist in the page.
 */
const INSTRUMENT = `(() => {
  const bench = { input: 0 };
  window.__uiBench = bench;
  const onInput = (e) => { bench.input = e.timeStamp; };
  document.addEventListener('pointerdown', onInput, true);
  document.addEventListener('pointermove', onInput, true);
  const ready = () => {
    const table = document.querySelector('[data-testid=state-table]');
    const at = document.querySelector('[data-testid=cursor-us]')?.textContent;
    return !!table && table.dataset.at === at && table.dataset.loading === 'false' && table.dataset.stale === 'false'
      && !!document.querySelector('[data-testid=state-row], [data-testid=state-empty]');
  };
  bench.repainted = () => new Promise((done, fail) => {
    let observer = null;
    const timer = setTimeout(() => { observer?.disconnect(); fail(new Error('the table did not show the new T within 10 s')); }, 10000);
    const finish = () => {
      observer?.disconnect();
      clearTimeout(timer);
      // rAF runs before the next paint; the task after it runs once that frame is painted.
      requestAnimationFrame(() => setTimeout(() => done(performance.now() - bench.input), 0));
    };
    observer = new MutationObserver(() => { if (ready()) finish(); });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
})()`;

async function instrument(page: Page): Promise<void> {
  await page.evaluate(INSTRUMENT);
}

export async function run(): Promise<Result[]> {
  const status = chromiumStatus();
  if (!status.available) {
    console.error(`ui: skipped: ${status.message}`);
    return [];
  }
  if (!existsSync(resolve(OUT, 'renderer/index.html')) || !existsSync(resolve(OUT, 'main/indexWorker.js'))) {
    console.error("ui: skipped: the built app is missing; run 'npm run build' first");
    return [];
  }

  const dir = await standardStore();
  const openStart = performance.now();
  const server = await startServer({
    dir,
    store: 'standard',
    workerPath: resolve(OUT, 'main/indexWorker.js'),
    rendererDir: resolve(OUT, 'renderer'),
    follow: { enabled: false },
  });
  const openMs = performance.now() - openStart;
  const browser = await chromium.launch({ executablePath: status.path, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageStart = performance.now();
    await page.goto(server.url);
    await page.locator('[data-testid=state-table][data-loading="false"] [data-testid=state-row]').first().waitFor({ timeout: 60_000 });
    const firstPaintMs = performance.now() - pageStart;
    await page.getByTestId('timeline').locator('svg.recharts-surface').first().waitFor({ timeout: 60_000 });
    await instrument(page);

    const box = (await page.getByTestId('scrubber').boundingBox())!;
    const y = box.y + box.height / 2;
    const xAt = (i: number) => box.x + 1 + ((box.width - 2) * (i + 0.5)) / (POSITIONS + WARMUP);

    const times: number[] = [];
    await page.mouse.move(xAt(0), y);
    for (let i = 0; i < POSITIONS + WARMUP; i++) {
      // Start waiting before the input, so no answer can slip by unobserved.
      await page.evaluate('void (window.__uiRepainted = window.__uiBench.repainted())');
      const repainted = async () => (await page.evaluate('window.__uiRepainted')) as number;
      if (i === 0) await page.mouse.down();
      else await page.mouse.move(xAt(i), y);
      const ms = await repainted().catch(async (err: unknown) => {
        const shown = await page.getByTestId('state-table').evaluate('(e) => JSON.stringify(e.dataset)').catch(() => '?');
        throw new Error(`position ${i}: ${String(err)}; cursor ${await page.getByTestId('cursor-us').textContent()}, table ${String(shown)}`);
      });
      if (i >= WARMUP) times.push(ms);
    }
    await page.mouse.up();

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? 0;

    const sorted = [...times].sort((a, b) => a - b);
    return [
      result('ui: open the standard store (jrn serve start, index built)', round(openMs / 1000, 2), 's'),
      result('ui: page load to first state table', Math.round(firstPaintMs), 'ms'),
      result(`ui: scrub input to table repainted, p50 of ${POSITIONS}`, round(percentile(sorted, 50)), 'ms'),
      result(`ui: scrub input to table repainted, p95 of ${POSITIONS}`, round(percentile(sorted, 95)), 'ms', { op: '<=', value: 50 }),
      result(`ui: scrub input to table repainted, max of ${POSITIONS}`, round(sorted[sorted.length - 1]), 'ms'),
      result('ui: renderer JS heap after scrubbing (after GC)', round(heap / 1024 / 1024), 'MiB'),
      result('ui: renderer DOM nodes after scrubbing', nodes, 'nodes'),
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
