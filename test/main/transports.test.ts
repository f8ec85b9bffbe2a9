// Every contract method reaches the engine through both transports: IPC (handlers registered
// with a stubbed 'electron', called with our renderer as sender) and HTTP (a real `jrn serve`
// server on loopback). Query answers are compared with the engine's own, through toJson.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { verifyStore } from '../../src/engine/verify';
import { TimelineIndex, toJson } from '../../src/engine/timeline';
import { DemoStore } from '../../src/main/demo/demoStore';
import { InlineIndexClient } from '../../src/main/indexer/client';
import { RecentStores } from '../../src/main/recent/recentStores';
import { rendererTarget, rendererUrl } from '../../src/main/rendererTarget';
import { startServer, type ServeHandle } from '../../src/main/server';
import { Session, sessionDispatch } from '../../src/main/session/session';
import { ipcChannel, methodNames, type MethodName } from '../../src/shared/api';
import { fixtureDir } from '../support/fixtures';
import { tempDir } from './helpers';
import { callApi } from './http';

type Handler = (event: unknown, args: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

type Answer = { ok: boolean; result?: unknown; error?: { code: string; message: string } };

const DIR = fixtureDir('spec', 'rotated');
const target = rendererTarget({}, '/app/out/main', true);
const ourFrame = { sender: { id: 7 }, senderFrame: { url: rendererUrl(target), parent: null } };
const tmp = tempDir();
let server: ServeHandle;
let session: Session;
let engine: TimelineIndex;
let ipcStore = '';
let httpStore = '';
let demoStoreId = '';
const covered = new Set<MethodName>();

async function ipc(method: MethodName, args: unknown): Promise<Answer> {
  covered.add(method);
  return (await handlers.get(ipcChannel(method))!(ourFrame, args)) as Answer;
}

async function http(method: MethodName, args: unknown): Promise<Answer> {
  covered.add(method);
  return (await callApi(server.origin, server.token, method, args)).body;
}

/** Drops what differs between two sessions (their ids) and what only the session adds. */
function normalize(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (['storeId', 'jobId', 'folderId', 'path', 'downloadUrl'].includes(k) ? undefined : v)));
}

function summaryOfEngine(): unknown {
  return toJson(engine.summary());
}

beforeAll(async () => {
  engine = await TimelineIndex.open(DIR);
  const demo = new DemoStore({ root: tmp.path, writer: false, generate: { events: 800, days: 1, vehicles: 12, end: 1_735_000_000_000_000 } });
  session = new Session({
    transport: 'electron',
    indexer: new InlineIndexClient(),
    emit: () => undefined,
    recent: new RecentStores(null),
    demo,
    chooseFolder: async () => DIR,
    chooseExportPath: async (name) => join(tmp.path, name),
    follow: { enabled: false },
  });
  const dispatch = sessionDispatch(session);
  const { registerIpc } = await import('../../src/main/electron/ipc');
  registerIpc({ target, windowFor: (id) => (id === 7 ? { dispatch, grantDropped: () => null } : undefined) });
  server = await startServer({ dir: DIR, follow: { enabled: false } });
  httpStore = server.store.storeId;
});

afterAll(async () => {
  await server?.close();
  await session?.dispose();
  tmp.cleanup();
});

describe('both transports', () => {
  test('startup', async () => {
    const a = await ipc('startup', {});
    const b = await http('startup', {});
    expect(a).toMatchObject({ ok: true, result: { transport: 'electron', canChooseFolder: true, demoAvailable: true, open: null } });
    expect(b).toMatchObject({ ok: true, result: { transport: 'http', canChooseFolder: false, demoAvailable: false, open: { storeId: httpStore } } });
  });

  test('chooseFolder, listStores, openStore: desktop grants; HTTP serves its one store only', async () => {
    const chosen = await ipc('chooseFolder', {});
    expect(chosen).toMatchObject({ ok: true, result: { dir: DIR, stores: ['store'] } });
    const folderId = (chosen.result as { folderId: string }).folderId;
    expect(await ipc('listStores', { folderId })).toEqual(chosen);
    const opened = await ipc('openStore', { folderId, store: 'store' });
    expect(opened.ok).toBe(true);
    ipcStore = (opened.result as { storeId: string }).storeId;

    expect(await http('chooseFolder', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Grants belong to a session: the desktop's folder id means nothing to the server.
    expect(await http('listStores', { folderId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await http('openStore', { folderId, store: 'store' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  test('openRecent and openDemo (desktop only)', async () => {
    const startup = (await ipc('startup', {})).result as { recent: { id: string }[] };
    const recent = await ipc('openRecent', { recentId: startup.recent[0].id });
    expect(recent).toMatchObject({ ok: true, result: { storeId: ipcStore } });
    expect(await http('openRecent', { recentId: startup.recent[0].id })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const demo = await ipc('openDemo', {});
    expect(demo).toMatchObject({ ok: true, result: { isDemo: true, store: 'fleet' } });
    demoStoreId = (demo.result as { storeId: string }).storeId;
    expect(await http('openDemo', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  test('summary and generations equal the engine', async () => {
    const a = await ipc('summary', { storeId: ipcStore });
    const b = await http('summary', { storeId: httpStore });
    expect(a).toMatchObject({ ok: true, result: { storeId: ipcStore, isDemo: false } });
    expect(normalize(a)).toEqual(normalize(b));
    const { isDemo: _d, following: _f, ...rest } = normalize(a.result) as Record<string, unknown>;
    expect(rest).toEqual(normalize(summaryOfEngine()));

    const ga = await ipc('generations', { storeId: ipcStore });
    expect(normalize(ga)).toEqual(normalize(await http('generations', { storeId: httpStore })));
    expect(ga.result).toEqual(toJson(engine.summary().generations));
  });

  test('queries answer as the engine does', async () => {
    const s = engine.summary();
    const first = s.firstTimestamp!;
    const last = s.lastTimestamp!;
    const mid = Math.floor((first + last) / 2);
    const row = engine.stateAt(last, { limit: 1 }).rows[0];
    const cases: [MethodName, Record<string, unknown>, unknown][] = [
      ['stateAt', { at: mid, limit: 50 }, engine.stateAt(mid, { limit: 50 })],
      ['stateAt', { at: last, keyPrefix: 'k0', sort: 'validFrom', order: 'desc' }, engine.stateAt(last, { keyPrefix: 'k0', sort: 'validFrom', order: 'desc' })],
      ['getAt', { scope: row.scope, key: row.key, at: last }, engine.getAt(row.scope, row.key, last)],
      ['history', { scope: row.scope, key: row.key, tombstones: true }, engine.history(row.scope, row.key, { tombstones: true })],
      ['diff', { from: first, to: last, includeRewritten: true }, engine.diff(first, last, { includeRewritten: true })],
      ['changes', { from: null, to: null, limit: 20, offset: 3 }, engine.changes(null, null, { limit: 20, offset: 3 })],
      ['histogram', { from: first, to: last, bins: 12 }, engine.histogram(first, last, 12)],
      ['nextChange', { at: first }, engine.nextChange(first)],
      ['prevChange', { at: last, target: { scope: row.scope, key: row.key } }, engine.prevChange(last, { scope: row.scope, key: row.key })],
    ];
    for (const [method, args, expected] of cases) {
      const a = await ipc(method, { storeId: ipcStore, ...args });
      const b = await http(method, { storeId: httpStore, ...args });
      expect(a, method).toEqual({ ok: true, result: toJson(expected) });
      expect(b, method).toEqual(a);
    }
  });

  test('invalid arguments are refused the same way on both', async () => {
    for (const [method, args] of [
      ['stateAt', { storeId: 'x', at: -1 }],
      ['getAt', { storeId: 'x', scope: 300, key: 'k', at: 1 }],
      ['histogram', { storeId: 'x', from: 0, to: 1, bins: 0 }],
    ] as const) {
      const a = await ipc(method, args);
      expect(a).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
      expect(await http(method, args)).toEqual(a);
    }
  });

  test('verify reads every file', async () => {
    const a = await ipc('verify', { storeId: ipcStore });
    const b = await http('verify', { storeId: httpStore });
    expect(a).toEqual(b);
    const report = await verifyStore(DIR, 'store');
    expect(a.result).toEqual({
      ok: report.ok,
      files: report.files.map((f) => ({ file: f.file, frames: f.frames, problems: f.problems })),
      problems: report.problems,
      incomplete: toJson(engine.summary().incomplete),
    });
  });

  test('export jobs: start, status, cancel', async () => {
    for (const [call, storeId] of [
      [ipc, ipcStore],
      [http, httpStore],
    ] as const) {
      const started = await call('exportStart', { storeId, kind: 'state', format: 'json' });
      expect(started).toMatchObject({ ok: true, result: { state: 'running' } });
      const jobId = (started.result as { jobId: string }).jobId;
      let status: Answer | null = null;
      for (let i = 0; i < 200; i++) {
        status = await call('exportStatus', { jobId });
        if ((status.result as { state: string }).state !== 'running') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toMatchObject({ ok: true, result: { state: 'done', total: engine.stateAt(engine.summary().lastTimestamp!).total } });
      // Cancelling a finished job leaves it done.
      expect(await call('exportCancel', { jobId })).toMatchObject({ ok: true, result: { state: 'done' } });
      expect(await call('exportStatus', { jobId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
  });

  test('setFollow, setDemoWriter and closeStore', async () => {
    expect(await ipc('setFollow', { storeId: ipcStore, follow: true })).toMatchObject({ ok: true, result: { following: true } });
    expect(await http('setFollow', { storeId: httpStore, follow: true })).toMatchObject({ ok: true, result: { following: true } });
    expect(await ipc('setFollow', { storeId: ipcStore, follow: false })).toMatchObject({ ok: true, result: { following: false } });

    expect(await ipc('setDemoWriter', { storeId: demoStoreId, running: false })).toEqual({ ok: true, result: { running: false } });
    expect(await ipc('setDemoWriter', { storeId: ipcStore, running: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await http('setDemoWriter', { storeId: httpStore, running: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(await ipc('closeStore', { storeId: ipcStore })).toEqual({ ok: true, result: { closed: true } });
    expect(await ipc('closeStore', { storeId: demoStoreId })).toEqual({ ok: true, result: { closed: true } });
    expect(await http('closeStore', { storeId: httpStore })).toEqual({ ok: true, result: { closed: true } });
    expect(await http('summary', { storeId: httpStore })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  test('every contract method was called through both transports', () => {
    expect([...covered].sort()).toEqual([...methodNames].sort());
  });
});
