// Sessions: folder grants, opening and closing stores, live follow of a store being written
// (appends and rotations), export jobs, and the read-only guarantee on opened folders.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { InlineIndexClient } from '../../src/main/indexer/client';
import { RecentStores } from '../../src/main/recent/recentStores';
import { Session, sessionDispatch, type SessionOptions } from '../../src/main/session/session';
import type { EventName } from '../../src/shared/api';
import { allFixtureStores, fixtureDir } from '../support/fixtures';
import { liveStore, snapshotFolder, str, tempDir, waitFor } from './helpers';

const ROTATED = fixtureDir('spec', 'rotated');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function makeSession(extra: Partial<SessionOptions> = {}) {
  const events: { event: EventName; payload: unknown }[] = [];
  const session = new Session({
    transport: 'electron',
    indexer: new InlineIndexClient(),
    emit: (event, payload) => events.push({ event, payload }),
    follow: { debounceMs: 30, pollMs: 200 },
    ...extra,
  });
  cleanups.push(() => session.dispose());
  return { session, events, dispatch: sessionDispatch(session) };
}

describe('grants', () => {
  test('the renderer names folders only by granted ids', async () => {
    const { session, dispatch } = makeSession();
    const refused = await dispatch('listStores', { folderId: ROTATED });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dispatch('openStore', { folderId: 'made-up', store: 'store' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const choice = session.grantFolder(ROTATED);
    expect(choice.stores).toEqual(['store']);
    expect(session.grantFolder(ROTATED).folderId).toBe(choice.folderId);
    expect(await dispatch('listStores', { folderId: choice.folderId })).toEqual({ ok: true, result: choice });
    expect(await dispatch('openStore', { folderId: choice.folderId, store: 'other' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Store names are not paths.
    expect(await dispatch('openStore', { folderId: choice.folderId, store: '../small/store' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  test('a file or missing path is not a folder', () => {
    const { session } = makeSession();
    expect(() => session.grantFolder(join(ROTATED, 'manifest.json'))).toThrow(/not a folder/);
    expect(() => session.grantFolder('/no/such/folder')).toThrow(/not a folder/);
  });

  test('chooseFolder grants what the dialog returns, and nothing when cancelled', async () => {
    let answer: string | null = null;
    const { dispatch } = makeSession({ chooseFolder: async () => answer });
    expect(await dispatch('chooseFolder', {})).toEqual({ ok: true, result: null });
    answer = ROTATED;
    const chosen = await dispatch('chooseFolder', {});
    expect(chosen).toMatchObject({ ok: true, result: { dir: ROTATED, stores: ['store'] } });
    const http = makeSession({ transport: 'http' });
    expect(await http.dispatch('chooseFolder', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  test('a restricted session (jrn serve) grants only its store, and offers it again once closed', async () => {
    const { session } = makeSession({ transport: 'http', only: { dir: ROTATED, store: 'store' } });
    expect(() => session.grantFolder(fixtureDir('spec', 'small'))).toThrow(/one store only/);
    const { folderId, stores } = session.grantFolder(ROTATED);
    expect(stores).toEqual(['store']);
    const { storeId } = await session.openStore({ folderId, store: 'store' });
    expect((await session.startup({})).folder).toBeNull();
    await session.closeStore({ storeId });
    expect((await session.startup({})).folder).toEqual({ folderId, dir: ROTATED, stores: ['store'] });
  });
});

describe('open stores', () => {
  test('open, query, reopen (same id) and close', async () => {
    const recent = new RecentStores(null);
    const { session, dispatch } = makeSession({ recent });
    const choice = session.grantFolder(ROTATED);
    const opened = await dispatch('openStore', { folderId: choice.folderId, store: 'store' });
    expect(opened.ok).toBe(true);
    const summary = (opened as { result: { storeId: string; versions: number; following: boolean; isDemo: boolean } }).result;
    expect(summary).toMatchObject({ isDemo: false, following: true });
    expect(recent.list().map((r) => r.store)).toEqual(['store']);

    const again = await dispatch('openRecent', { recentId: recent.list()[0].id });
    expect(again).toMatchObject({ ok: true, result: { storeId: summary.storeId } });
    expect(session.openStores).toEqual([summary.storeId]);

    const startup = await dispatch('startup', {});
    expect(startup).toMatchObject({ ok: true, result: { transport: 'electron', open: { storeId: summary.storeId } } });

    expect(await dispatch('closeStore', { storeId: summary.storeId })).toEqual({ ok: true, result: { closed: true } });
    expect(await dispatch('closeStore', { storeId: summary.storeId })).toEqual({ ok: true, result: { closed: false } });
    expect(await dispatch('summary', { storeId: summary.storeId })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(session.openStores).toEqual([]);
  });

  test("opening reports the index's progress to the UI, ending with every generation", async () => {
    const { session, events, dispatch } = makeSession();
    const choice = session.grantFolder(ROTATED);
    await dispatch('openStore', { folderId: choice.folderId, store: 'store' });
    const progress = events.filter((e) => e.event === 'openProgress').map((e) => e.payload as { store: string; done: number; total: number });
    const generations = (await session.generations({ storeId: session.openStores[0] })).length;
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ store: 'store', done: generations, total: generations });
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThan(progress[i - 1].done);
  });

  test("verifying reports the files checked to the UI, ending with all of them", async () => {
    const { session, events, dispatch } = makeSession();
    const choice = session.grantFolder(ROTATED);
    await dispatch('openStore', { folderId: choice.folderId, store: 'store' });
    const storeId = session.openStores[0];
    const report = await session.verify({ storeId });
    const progress = events.filter((e) => e.event === 'verifyProgress').map((e) => e.payload);
    expect(progress.at(-1)).toEqual({ storeId, done: report.files.length, total: report.files.length });
  });

  test('engine query errors come back as "query" errors', async () => {
    const { session, dispatch } = makeSession();
    const { folderId } = session.grantFolder(ROTATED);
    const { result } = (await dispatch('openStore', { folderId, store: 'store' })) as { result: { storeId: string } };
    const bad = await dispatch('histogram', { storeId: result.storeId, from: 10, to: 5, bins: 3 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'query' } });
  });

  test('openPath opens a single-store folder, or offers the choice in startup', async () => {
    const { session, dispatch } = makeSession();
    await session.openPath(join(ROTATED, 'store.jrn.4'));
    expect(await dispatch('startup', {})).toMatchObject({ ok: true, result: { open: { dir: ROTATED, store: 'store' }, folder: null } });

    const empty = tempDir();
    cleanups.push(empty.cleanup);
    const a = liveStore(empty.path, 'a');
    const b = liveStore(empty.path, 'b');
    a.store.put(1, 'k', str('v'));
    b.store.put(1, 'k', str('v'));
    await a.store.close();
    await b.store.close();
    const other = makeSession();
    await other.session.openPath(empty.path);
    const startup = await other.dispatch('startup', {});
    expect(startup).toMatchObject({ ok: true, result: { open: null, folder: { stores: ['a', 'b'] } } });
    // The choice is offered once.
    expect(await other.dispatch('startup', {})).toMatchObject({ ok: true, result: { folder: null } });
  });

  test('several stores in one session; dispose frees them all', async () => {
    const { session } = makeSession();
    for (const scenario of ['small', 'manual', 'rotated'] as const) {
      const { folderId, stores } = session.grantFolder(fixtureDir('spec', scenario));
      await session.openStore({ folderId, store: stores[0] });
    }
    expect(session.openStores).toHaveLength(3);
    await session.dispose();
    expect(session.openStores).toHaveLength(0);
  });
});

describe('read-only', () => {
  test('opening, querying, following and verifying every fixture changes nothing in its folder', async () => {
    for (const { dir } of allFixtureStores()) {
      const before = snapshotFolder(dir);
      const { session } = makeSession();
      const { folderId, stores } = session.grantFolder(dir);
      for (const store of stores) {
        const summary = await session.openStore({ folderId, store });
        await session.stateAt({ storeId: summary.storeId, at: summary.lastTimestamp ?? 0 });
        await session.verify({ storeId: summary.storeId });
        await session.refreshNow(summary.storeId);
      }
      await session.dispose();
      expect(snapshotFolder(dir), dir).toEqual(before);
    }
  });
});

describe('live follow', () => {
  test('appends and rotations while open reach the UI as storeChanged', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const { store, name } = liveStore(tmp.path, 'live', 4096);
    cleanups.unshift(() => store.close());
    for (let i = 0; i < 5; i++) store.put(1, `k${i}`, str(`v${i}`));

    const { session, events } = makeSession();
    const { folderId } = session.grantFolder(tmp.path);
    const opened = await session.openStore({ folderId, store: name });
    expect(opened.versions).toBe(5);

    store.put(2, 'late', str('x'));
    const changed = await waitFor(() => events.find((e) => e.event === 'storeChanged'), 10_000, 'storeChanged');
    expect(changed.payload).toMatchObject({ storeId: opened.storeId, added: 1, rotations: 0, summary: { versions: 6 } });

    // Enough writes to rotate (4 KiB buffer), then wait for the archive to be written.
    events.length = 0;
    const generation = store.generation;
    for (let i = 0; store.generation === generation; i++) store.put(1, `k${i % 20}`, str(`value-${i}-${'x'.repeat(40)}`));
    await store.whenIdle();
    const rotated = await waitFor(
      () => events.find((e) => e.event === 'storeChanged' && (e.payload as { rotations: number }).rotations > 0),
      10_000,
      'a rotation',
    );
    expect(rotated).toBeTruthy();
    const summary = await session.summary({ storeId: opened.storeId });
    const last = await session.getAt({ storeId: opened.storeId, scope: 2, key: 'late', at: summary.lastTimestamp! });
    expect(last).toMatchObject({ version: { value: { string: 'x' } } });

    // Not following: no more events.
    await session.setFollow({ storeId: opened.storeId, follow: false });
    events.length = 0;
    store.put(1, 'quiet', str('q'));
    await new Promise((r) => setTimeout(r, 400));
    expect(events.filter((e) => e.event === 'storeChanged')).toEqual([]);
    const resumed = await session.setFollow({ storeId: opened.storeId, follow: true });
    expect(resumed.following).toBe(true);
    expect((await session.getAt({ storeId: opened.storeId, scope: 1, key: 'quiet', at: Number.MAX_SAFE_INTEGER })).version).not.toBeNull();
  });
});

describe('export jobs', () => {
  test('an export runs in the background with progress, to the chosen file', async () => {
    const out = tempDir();
    cleanups.push(out.cleanup);
    const target = join(out.path, 'state.ndjson');
    const { session, events } = makeSession({ chooseExportPath: async () => target });
    const { folderId } = session.grantFolder(ROTATED);
    const { storeId } = await session.openStore({ folderId, store: 'store' });
    const job = await session.exportStart({ storeId, kind: 'state', format: 'ndjson' });
    expect(job.state).toBe('running');
    await waitFor(() => events.find((e) => e.event === 'exportProgress' && (e.payload as { state: string }).state !== 'running'), 10_000, 'export end');
    const status = await session.exportStatus({ jobId: job.jobId });
    expect(status).toMatchObject({ state: 'done', path: target, error: null });
    const lines = readFileSync(target, 'utf8').trim().split('\n');
    expect(lines.length).toBe(status.total);
    expect(lines.length).toBeGreaterThan(0);
  });

  test('a cancelled save dialog cancels the job; an output inside the store folder fails it', async () => {
    let answer: string | null = null;
    const { session, events } = makeSession({ chooseExportPath: async () => answer });
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const { store, name } = liveStore(tmp.path);
    store.put(1, 'a', str('b'));
    await store.close();
    const { folderId } = session.grantFolder(tmp.path);
    const { storeId } = await session.openStore({ folderId, store: name });
    expect((await session.exportStart({ storeId, kind: 'state', format: 'json' })).state).toBe('cancelled');

    answer = join(tmp.path, 'inside.json');
    const before = snapshotFolder(tmp.path);
    const job = await session.exportStart({ storeId, kind: 'history', format: 'csv' });
    await waitFor(() => events.find((e) => e.event === 'exportProgress' && (e.payload as { jobId: string; state: string }).jobId === job.jobId && (e.payload as { state: string }).state !== 'running'), 10_000, 'job end');
    const status = await session.exportStatus({ jobId: job.jobId });
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/inside the store folder/);
    expect(existsSync(answer)).toBe(false);
    expect(snapshotFolder(tmp.path)).toEqual(before);
  });
});
