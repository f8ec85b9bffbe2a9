// The demo store: generated with the real writer and an injected clock (deterministic for a
// seed), rich enough to show (both scopes, many archives, deletes), and kept live by the
// simulated app with a pause switch and a lock against a second writing process.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { TimelineIndex } from '../../src/engine/timeline';
import { DemoStore } from '../../src/main/demo/demoStore';
import { activityAt, FleetSimulator } from '../../src/main/demo/fleet';
import { generateDemoStore } from '../../src/main/demo/generate';
import { defaultDataDir } from '../../src/main/dataDir';
import { InlineIndexClient } from '../../src/main/indexer/client';
import { Session } from '../../src/main/session/session';
import type { EventName } from '../../src/shared/api';
import { tempDir, waitFor } from './helpers';

const END = 1_735_000_000_000_000;
const SMALL = { events: 4000, days: 2, vehicles: 30, end: END };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = createHash('sha256').update(readFileSync(join(dir, f))).digest('hex');
  return out;
}

describe('generateDemoStore', () => {
  test('is deterministic for a seed and rotates into several archives', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const a = await generateDemoStore(join(tmp.path, 'a'), SMALL);
    const b = await generateDemoStore(join(tmp.path, 'b'), SMALL);
    expect(a).toEqual(b);
    expect(digest(join(tmp.path, 'a'))).toEqual(digest(join(tmp.path, 'b')));
    expect(a.rotations).toBeGreaterThanOrEqual(3);
    const archives = readdirSync(join(tmp.path, 'a')).filter((f) => f.endsWith('.zz'));
    expect(archives.length).toBeGreaterThanOrEqual(3);
    await expect(generateDemoStore(join(tmp.path, 'a'), SMALL)).rejects.toThrow(/exists/);
  });

  test('the default demo: days of history, both scopes, hundreds of keys, tens of thousands of writes', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const dir = join(tmp.path, 'fleet');
    const report = await generateDemoStore(dir, { end: END });
    expect(report.writes).toBeGreaterThan(20_000);
    expect(report.rotations).toBeGreaterThan(5);
    const index = await TimelineIndex.open(dir);
    const s = index.summary();
    expect(s.problems).toEqual([]);
    expect(s.incomplete).toEqual([]);
    expect(s.keys).toBeGreaterThanOrEqual(300);
    expect(s.keys).toBeLessThanOrEqual(2500);
    expect(s.lastTimestamp! - s.firstTimestamp!).toBeGreaterThan(4 * 86_400_000_000);
    const flags = index.stateAt(s.lastTimestamp!, { scope: 1, limit: 0 }).total;
    const state = index.stateAt(s.lastTimestamp!, { scope: 2, limit: 0 }).total;
    expect(flags).toBeGreaterThan(10);
    expect(state).toBeGreaterThan(300);
    // Orders come and go: deletes are part of the story.
    const hist = index.histogram(s.firstTimestamp!, s.lastTimestamp!, 10);
    expect(hist.reduce((n, b) => n + b.deletes, 0)).toBeGreaterThan(100);
  }, 60_000);

  test('the simulated app is busier by day than by night', () => {
    expect(activityAt(12 * 3_600_000_000)).toBeGreaterThan(activityAt(3 * 3_600_000_000) * 4);
    const sim = new FleetSimulator({ seed: 1 });
    const scopes = new Set(sim.setup().map((op) => op.scope));
    expect(scopes).toEqual(new Set([1, 2]));
  });
});

describe('DemoStore', () => {
  test('generated once on first use, then opened as the demo with its writer running', async () => {
    const root = tempDir();
    cleanups.push(root.cleanup);
    const demo = new DemoStore({ root: root.path, generate: SMALL, intervalMs: 20 });
    cleanups.push(() => demo.close());
    const events: { event: EventName; payload: unknown }[] = [];
    const session = new Session({
      transport: 'electron',
      indexer: new InlineIndexClient(),
      emit: (event, payload) => events.push({ event, payload }),
      demo,
      follow: { debounceMs: 30, pollMs: 200 },
    });
    cleanups.push(() => session.dispose());

    const opened = await session.openDemo({});
    expect(opened).toMatchObject({ isDemo: true, store: 'fleet', dir: join(root.path, 'demo', 'fleet'), following: true });
    expect(demo.running).toBe(true);
    const changed = await waitFor(() => events.find((e) => e.event === 'storeChanged'), 10_000, 'live writes');
    expect((changed.payload as { added: number }).added).toBeGreaterThan(0);

    // The pause switch.
    expect(await session.setDemoWriter({ storeId: opened.storeId, running: false })).toEqual({ running: false });
    await new Promise((r) => setTimeout(r, 100));
    await session.refreshNow(opened.storeId);
    const paused = (await session.summary({ storeId: opened.storeId })).versions;
    await new Promise((r) => setTimeout(r, 200));
    await session.refreshNow(opened.storeId);
    expect((await session.summary({ storeId: opened.storeId })).versions).toBe(paused);
    expect(await session.setDemoWriter({ storeId: opened.storeId, running: true })).toEqual({ running: true });

    // Closing the last view of the demo stops the writer.
    await session.closeStore({ storeId: opened.storeId });
    await waitFor(() => !demo.running, 5000, 'writer stop');

    // Second use: not generated again.
    const before = digest(join(root.path, 'demo', 'fleet'));
    await demo.ensure(async () => {
      throw new Error('generated twice');
    });
    expect(Object.keys(digest(join(root.path, 'demo', 'fleet')))).toEqual(Object.keys(before));
  });

  test('another live process holding the writer lock keeps this one read-only', async () => {
    const root = tempDir();
    cleanups.push(root.cleanup);
    const demo = new DemoStore({ root: root.path, generate: SMALL, intervalMs: 20 });
    cleanups.push(() => demo.close());
    await demo.ensure();
    writeFileSync(join(root.path, 'demo', 'writer.lock'), String(process.ppid));
    demo.acquire();
    expect(demo.running).toBe(false);
    // A stale lock (its process is gone) is taken over.
    writeFileSync(join(root.path, 'demo', 'writer.lock'), '999999999');
    demo.release();
    demo.acquire();
    expect(demo.running).toBe(true);
  });
});

describe('defaultDataDir', () => {
  test('env override, XDG on Linux, platform folders elsewhere', () => {
    expect(defaultDataDir({ JOURNAL_EXPLORER_DATA_DIR: '/x' }, 'linux', '/home/u')).toBe('/x');
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/journal-explorer');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/journal-explorer');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Journal Explorer');
  });
});
