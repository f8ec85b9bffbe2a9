// Explorer UI end to end, the other screens: a key's history, a diff between two points, an
// export downloaded and read back, generations, and a corrupt store's problems — through
// `jrn serve` on the fixture stores, in Chromium. Each screen is saved to
// test-results/screenshots/.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, fixtureDir, readManifest, type Manifest, type ManifestRow } from '../support/fixtures';
import { cursor, distinctPoints, expectTableAt, goTo, manifestStateAt, preview, screenshot, serve, tableRows, waitForTable, type Loose, useBrowser, withUi } from './uiHarness';

const getBrowser = useBrowser();

const SMALL = fixtureDir('reference-4255c9b1', 'small');
const ROTATED = fixtureDir('reference-4255c9b1', 'rotated');
const CORRUPT = resolve(FIXTURES, 'reference-4255c9b1/corrupt');

interface Version {
  scope: number;
  key: string;
  validFrom: number;
  value: unknown;
}

/** Every version (tombstones: value null) from a reference manifest's ops; the last write of a timestamp wins. */
function versionsFromOps(manifest: Manifest): Version[] {
  const byId = new Map<string, Version>();
  for (const op of manifest.ops ?? []) {
    if ((op.op !== 'insert' && op.op !== 'remove') || op.ts === null || op.ts === undefined) continue;
    const v = { scope: op.scope!, key: op.key!, validFrom: op.ts, value: op.op === 'remove' ? null : (op.value ?? null) };
    byId.set(`${v.scope}/${v.key}/${v.validFrom}`, v);
  }
  // A delete of a key that is not live writes nothing.
  const out: Version[] = [];
  const live = new Set<string>();
  for (const v of [...byId.values()].sort((a, b) => a.validFrom - b.validFrom)) {
    const id = `${v.scope}/${v.key}`;
    if (v.value === null && !live.has(id)) continue;
    if (v.value === null) live.delete(id);
    else live.add(id);
    out.push(v);
  }
  return out;
}

describe('Explorer UI: screens', () => {
  test("a key's history: every version with tombstones; clicking one moves the cursor", async (ctx) => {
    const manifest = readManifest(SMALL);
    const flagB = versionsFromOps(manifest).filter((v) => v.scope === 1 && v.key === 'flag_b');
    expect(flagB.map((v) => v.value === null)).toEqual([false, true]); // written, then deleted
    await withUi(await getBrowser(ctx), { dir: SMALL }, async (page) => {
      await goTo(page, flagB[0].validFrom);
      await expectTableAt(page, flagB[0].validFrom, manifestStateAt(manifest, flagB[0].validFrom));
      await page.locator('[data-testid=state-row][data-key="flag_b"]').click();
      const detail = page.getByTestId('key-detail');
      await detail.getByTestId('version-item').first().waitFor();
      expect(await detail.getByTestId('key-title').textContent()).toBe('flag_b');
      const items = await detail.getByTestId('version-item').evaluateAll((els: Loose[]) =>
        els.map((e: Loose) => [Number(e.dataset.from), e.dataset.tombstone === 'true']),
      );
      expect(items).toEqual(flagB.map((v) => [v.validFrom, v.value === null]));
      expect(await detail.getByTestId('value-full').textContent()).toBe('true');
      expect(await detail.getByTestId('gantt-bar').count()).toBe(1);
      expect(await detail.getByTestId('gantt-tombstone').count()).toBe(1);
      await screenshot(page, 'ui-key-detail');

      // Click the tombstone: the cursor moves to the delete; the key is gone from the table.
      await detail.getByTestId('version-item').nth(1).click();
      await expectTableAt(page, flagB[1].validFrom, manifestStateAt(manifest, flagB[1].validFrom));
      expect(await cursor(page)).toBe(flagB[1].validFrom);
      await detail.getByTestId('key-deleted').waitFor();
      expect((await tableRows(page)).some((r) => r.key === 'flag_b')).toBe(false);

      // A key with an overwrite and several writes at one timestamp: one version per timestamp.
      await page.locator('[data-testid=state-row][data-key="flag_a"]').click();
      const flagA = versionsFromOps(manifest).filter((v) => v.scope === 1 && v.key === 'flag_a');
      await expect.poll(() => detail.getByTestId('version-item').count()).toBe(flagA.length);
      expect(await detail.getByTestId('value-full').textContent()).toBe('same_ts');
    });
  });

  test('diff between two points: added, removed and changed keys with old and new values', async (ctx) => {
    const manifest = readManifest(SMALL);
    const points = distinctPoints(manifest);
    const a = points[2];
    const b = points[points.length - 1];
    const key = (r: ManifestRow) => `${r.scope}/${r.key}`;
    const before = new Map(a.rows.map((r) => [key(r), r]));
    const after = new Map(b.rows.map((r) => [key(r), r]));
    const expected: [string, string, string][] = [];
    for (const [k, r] of after) if (!before.has(k)) expected.push(['added', k, `—|${preview(r.value)}`]);
    for (const [k, r] of before) if (!after.has(k)) expected.push(['removed', k, `${preview(r.value)}|—`]);
    for (const [k, r] of after) {
      const o = before.get(k);
      if (o && o.ts !== r.ts && JSON.stringify(o.value) !== JSON.stringify(r.value)) expected.push(['changed', k, `${preview(o.value)}|${preview(r.value)}`]);
    }
    expect(expected.map((e) => e[0])).toEqual(expect.arrayContaining(['added', 'removed', 'changed']));

    await withUi(await getBrowser(ctx), { dir: SMALL }, async (page) => {
      // Mark A and B on the timeline, at the cursor.
      await goTo(page, a.at);
      await waitForTable(page, a.at);
      await page.getByTestId('mark-a').click();
      await goTo(page, b.at);
      await waitForTable(page, b.at);
      await page.getByTestId('mark-b').click();
      expect(await page.getByTestId('marker-a').getAttribute('data-t')).toBe(String(a.at));
      await page.getByTestId('tab-diff').click();
      await page.getByTestId('diff-table').waitFor();
      const rows = await page.getByTestId('diff-row').evaluateAll((els: Loose[]) =>
        els.map((e: Loose) => [
          e.dataset.kind,
          `${e.dataset.scope}/${e.dataset.key}`,
          `${e.querySelector('[data-testid=diff-before] .mono')?.textContent ?? '—'}|${e.querySelector('[data-testid=diff-after] .mono')?.textContent ?? '—'}`,
        ]),
      );
      const sort = (x: string[][]) => [...x].sort((p, q) => (p.join() < q.join() ? -1 : 1));
      expect(sort(rows)).toEqual(sort(expected));
      await screenshot(page, 'ui-diff');

      // Typing B instead: the diff follows.
      await page.getByTestId('diff-b-input').fill(String(points[3].at));
      await page.getByTestId('diff-b-input').press('Enter');
      await expect.poll(() => page.getByTestId('diff-row').count()).toBe(1);
      expect(await page.getByTestId('diff-row').getAttribute('data-kind')).toBe('added');
    });
  });

  test('export: state at T as JSON and history as NDJSON, downloaded and read back', async (ctx) => {
    const manifest = readManifest(ROTATED);
    const points = distinctPoints(manifest);
    const mid = points[Math.floor(points.length / 2)];
    await withUi(await getBrowser(ctx), { dir: ROTATED }, async (page) => {
      await goTo(page, mid.at);
      await waitForTable(page, mid.at);
      await page.getByTestId('tab-export').click();
      await page.getByTestId('export-format').selectOption('json');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-start').click()]);
      const file = await download.path();
      const json = JSON.parse(readFileSync(file, 'utf8')) as { at: number; rows: { scope: number; key: string; value: unknown; validFrom: number }[] };
      expect(json.at).toBe(mid.at);
      expect(json.rows.map((r) => ({ scope: r.scope, key: r.key, value: r.value, ts: r.validFrom }))).toEqual(mid.rows);
      await page.getByTestId('export-done').waitFor();
      expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
      await screenshot(page, 'ui-export');

      // Whole history of scope 1 as NDJSON.
      await page.getByTestId('export-kind-history').check();
      await page.getByTestId('export-format').selectOption('ndjson');
      await page.getByTestId('export-scope').selectOption('1');
      const [history] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-start').click()]);
      const lines = readFileSync(await history.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Version);
      const expected = versionsFromOps(readManifest(ROTATED)).filter((v) => v.scope === 1);
      const norm = (v: Version[]) => v.map((x) => `${x.scope}/${x.key}/${x.validFrom}/${JSON.stringify(x.value)}`).sort();
      expect(norm(lines)).toEqual(norm(expected));
    });
  });

  test('generations: every generation listed; selecting one zooms to it and shows its state and writes', async (ctx) => {
    await withUi(await getBrowser(ctx), { dir: ROTATED }, async (page) => {
      await page.getByTestId('tab-generations').click();
      await expect.poll(() => page.getByTestId('generation-row').count()).toBe(5);
      const row = page.getByTestId('generation-row').nth(2);
      expect(await row.textContent()).toContain('snapshots/');
      await row.click();
      await page.getByTestId('generation-detail').waitFor();
      await expect.poll(() => page.getByTestId('generation-writes').locator('li').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('generation-state').locator('li').count()).toBeGreaterThan(0);
      const scrub = page.getByTestId('scrubber');
      const from = Number(await scrub.getAttribute('data-from'));
      const to = Number(await scrub.getAttribute('data-to'));
      const last = distinctPoints(readManifest(ROTATED)).at(-1)!.at;
      expect(to - from).toBeLessThan(last - distinctPoints(readManifest(ROTATED))[0].at);
      await screenshot(page, 'ui-generations');
    });
  });

  test('a corrupt store (crc_flip_frame2): its problem is reported, the state before it is shown, after it marked unknown', async (ctx) => {
    const corrupt = JSON.parse(readFileSync(resolve(CORRUPT, 'manifest.json'), 'utf8')) as { variants: { file: string; corruption: string; store_state_after_open: ManifestRow[] }[] };
    const variant = corrupt.variants.find((v) => v.file === 'crc_flip_frame2.jrn.0')!;
    const offset = Number(/offset (\d+)/.exec(variant.corruption)![1]);
    await withUi(await getBrowser(ctx), { dir: CORRUPT, store: 'crc_flip_frame2' }, async (page) => {
      // The store opens at its last good write, with what recovery keeps.
      const at = Math.max(...variant.store_state_after_open.map((r) => r.ts));
      await waitForTable(page, at);
      expect(await tableRows(page)).toEqual(variant.store_state_after_open.map((r) => ({ scope: r.scope, key: r.key, value: preview(r.value), ts: r.ts })));
      const badge = page.getByTestId('integrity-badge');
      expect(await badge.getAttribute('data-state')).toBe('bad');

      // After the damage, history is unknown: the answer says so.
      await goTo(page, at + 10_000_000);
      await waitForTable(page, at + 10_000_000);
      expect(await page.getByTestId('state-table').getAttribute('data-complete')).toBe('false');
      expect(await page.getByTestId('incomplete-note').textContent()).toContain('history incomplete here');

      await badge.click();
      const problem = page.getByTestId('problem-row').first();
      await problem.waitFor();
      expect(await problem.getAttribute('data-file')).toContain('crc_flip_frame2.jrn.0');
      const text = (await problem.textContent())!;
      expect(text).toContain('crc_flip_frame2.jrn.0');
      expect(text).toContain(String(offset));
      expect((await problem.getAttribute('data-reason'))!.length).toBeGreaterThan(0);
      await page.getByTestId('incomplete-list').waitFor();
      await screenshot(page, 'ui-integrity');
    });
  });

  test('desktop welcome (a stand-in preload bridge): recent stores, a folder with several stores, one with none', async (ctx) => {
    const b = await getBrowser(ctx);
    const server = await serve(SMALL);
    try {
      const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      // What the Electron preload exposes, answering like a desktop session with nothing open.
      await page.addInitScript(() => {
        let chosen = 0;
        const choices = [
          { folderId: 'f1', dir: '/data/fixtures/corrupt', stores: ['bad_scope_frame1', 'crc_flip_frame2', 'zeroed_tail_from_frame6'] },
          { folderId: 'f2', dir: '/home/me/photos', stores: [] },
        ];
        (globalThis as Loose).journalApi = {
          startup: async () => ({
            transport: 'electron',
            recent: [
              { id: 'r1', dir: '/data/stores/fleet', store: 'fleet', openedAt: Date.UTC(2024, 4, 2, 9, 30) },
              { id: 'r2', dir: '/var/lib/app/state', store: 'settings', openedAt: Date.UTC(2024, 4, 1, 17, 5) },
            ],
            canChooseFolder: true,
            demoAvailable: true,
            open: null,
            folder: null,
          }),
          chooseFolder: async () => choices[chosen++ % 2],
          on: () => () => undefined,
          openDroppedFolder: async () => null,
        };
      });
      // Static files only: the page never calls the HTTP API when the bridge is there.
      await page.goto(server.origin + '/');
      await page.getByTestId('welcome').waitFor();
      expect(await page.getByTestId('recent-store').count()).toBe(2);
      expect(await page.getByTestId('dropzone').isVisible()).toBe(true);
      expect(await page.getByText('Running in the desktop app').isVisible()).toBe(true);
      await screenshot(page, 'ui-welcome');
      await page.getByTestId('open-folder').click();
      await page.getByTestId('store-chooser').waitFor();
      expect(await page.getByTestId('store-choice').count()).toBe(3);
      await screenshot(page, 'ui-welcome-choose-store');
      await page.getByTestId('open-folder').click();
      expect(await page.getByTestId('no-stores').textContent()).toContain('No journal store in this folder');
      expect(problems).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
