// The index worker as built (out/main/indexWorker.js): the session's requests answered off the
// main thread, with progress, cancellation and typed errors; the main thread stays free.
import { afterEach, describe, expect, test } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createIndexClient, locateWorker, type IndexClient, type WorkerIndexClient } from '../../src/main/indexer/client';
import { Session } from '../../src/main/session/session';
import { requireBuilt } from '../support/paths';
import { fixtureDir } from '../support/fixtures';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './helpers';

const clients: IndexClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

/** Ends the client's worker thread under it, as a crash would. */
async function crashWorker(client: WorkerIndexClient): Promise<void> {
  const { connection } = client as unknown as { connection: { worker: Worker } };
  await connection.worker.terminate();
  await new Promise((resolve) => setImmediate(resolve));
}

function workerClient(): IndexClient {
  const path = locateWorker(dirname(requireBuilt('main/indexWorker.js')));
  expect(path).not.toBeNull();
  const client = createIndexClient('worker', path);
  expect(client.mode).toBe('worker');
  clients.push(client);
  return client;
}

describe('index worker', () => {
  test('is found from the main bundle and from its shared chunks, not from the sources', () => {
    const main = dirname(requireBuilt('main/indexWorker.js'));
    expect(locateWorker(main)).toBe(join(main, 'indexWorker.js'));
    expect(locateWorker(join(main, 'chunks'))).toBe(join(main, 'indexWorker.js'));
    expect(locateWorker(join(__dirname, '..', '..', 'src', 'main', 'indexer'))).toBeNull();
  });

  test('opens, queries and closes, with progress', async () => {
    const client = workerClient();
    const progress: number[][] = [];
    const opened = await client.call<{ handle: number; summary: { versions: number; lastTimestamp: number } }>(
      { op: 'open', dir: fixtureDir('spec', 'rotated'), store: 'store' },
      { onProgress: (d, t) => progress.push([d, t]) },
    );
    expect(opened.summary.versions).toBeGreaterThan(0);
    expect(progress.at(-1)?.[0]).toBe(progress.at(-1)?.[1]);
    const page = await client.call<{ rows: { value: unknown }[] }>({ op: 'query', handle: opened.handle, method: 'stateAt', args: { at: opened.summary.lastTimestamp, limit: 3 } });
    expect(page.rows).toHaveLength(3);
    expect(page.rows[0].value).toHaveProperty('string');
    await expect(client.call({ op: 'query', handle: opened.handle, method: 'stateAt', args: { at: -1 } })).rejects.toMatchObject({ name: 'QueryError' });
    expect(await client.call({ op: 'close', handle: opened.handle })).toEqual({ closed: true });
    await expect(client.call({ op: 'summary', handle: opened.handle })).rejects.toMatchObject({ code: 'not-found' });
  });

  test('a cancelled call rejects as cancelled; a closed worker refuses calls', async () => {
    const client = workerClient();
    const tmp = tempDir();
    try {
      const controller = new AbortController();
      const generating = client.call({ op: 'generateDemo', dir: join(tmp.path, 'demo'), options: { events: 200_000, days: 3 } }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(generating).rejects.toMatchObject({ name: 'AbortError' });
      await client.close();
      await expect(client.call({ op: 'summary', handle: 1 })).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      tmp.cleanup();
    }
  });

  test('the main thread keeps running while the worker generates and indexes a big store', async () => {
    const client = workerClient();
    const tmp = tempDir();
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const started = Date.now();
      await client.call({ op: 'generateDemo', dir: join(tmp.path, 'fleet'), options: { end: 1_735_000_000_000_000 } });
      await client.call({ op: 'open', dir: join(tmp.path, 'fleet'), store: 'fleet' });
      clearInterval(timer);
      const elapsed = Date.now() - started;
      // The timer fired through the whole job (at least a third of the ideal count).
      expect(ticks).toBeGreaterThan(elapsed / 10 / 3);
    } finally {
      tmp.cleanup();
    }
  }, 60_000);

  test('a worker that stops is started again, with its stores opened again under the same handles', async () => {
    const client = workerClient() as WorkerIndexClient;
    const tmp = tempDir();
    try {
      const opened = await client.call<{ handle: number; summary: { lastTimestamp: number } }>({ op: 'open', dir: fixtureDir('spec', 'rotated'), store: 'store' });
      const query = { op: 'query', handle: opened.handle, method: 'stateAt', args: { at: opened.summary.lastTimestamp, limit: 100 } } as const;
      const before = await client.call(query);
      const second = await client.call<{ handle: number }>({ op: 'open', dir: fixtureDir('upstream-head', 'manual'), store: 'm' });
      // A crash under a call in flight: that call fails, the next ones are answered.
      const inFlight = client.call({ op: 'generateDemo', dir: join(tmp.path, 'demo'), options: { events: 200_000, days: 3 } });
      const failed = expect(inFlight).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('the index worker stopped') });
      await crashWorker(client);
      await failed;
      // Calls that arrive together all wait for the one restart, each answered on its own store.
      const [again, other2] = await Promise.all([client.call(query), client.call({ op: 'summary', handle: second.handle })]);
      expect(again).toEqual(before);
      expect(other2).toMatchObject({ store: 'm' });
      expect(client.restartCount).toBe(1);
      await client.call({ op: 'close', handle: second.handle });
      // Handles are the client's own: a store opened now does not take the old store's.
      const other = await client.call<{ handle: number }>({ op: 'open', dir: fixtureDir('upstream-head', 'manual'), store: 'm' });
      expect(other.handle).not.toBe(opened.handle);
      expect(await client.call({ op: 'close', handle: opened.handle })).toEqual({ closed: true });
      await expect(client.call(query)).rejects.toMatchObject({ code: 'not-found' });
      expect(await client.call({ op: 'summary', handle: other.handle })).toMatchObject({ store: 'm' });
      // Stopping again right after a restart is a crash loop: no second restart.
      await crashWorker(client);
      await expect(client.call({ op: 'summary', handle: other.handle })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('not restarted') });
      expect(client.restartCount).toBe(1);
    } finally {
      tmp.cleanup();
    }
  });

  test('a store that cannot be opened again after a restart says so, and can still be closed', async () => {
    const client = workerClient() as WorkerIndexClient;
    const tmp = tempDir();
    try {
      const dir = join(tmp.path, 'gone');
      cpSync(fixtureDir('spec', 'rotated'), dir, { recursive: true });
      const opened = await client.call<{ handle: number }>({ op: 'open', dir, store: 'store' });
      await crashWorker(client);
      rmSync(dir, { recursive: true });
      await expect(client.call({ op: 'summary', handle: opened.handle })).rejects.toMatchObject({
        code: 'unavailable',
        message: 'store could not be opened again after the index worker stopped',
      });
      expect(await client.call({ op: 'close', handle: opened.handle })).toEqual({ closed: true });
      await expect(client.call({ op: 'summary', handle: opened.handle })).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      tmp.cleanup();
    }
  });

  test('a session over the worker answers like the inline one', async () => {
    const client = workerClient();
    const session = new Session({ transport: 'http', indexer: client, emit: () => undefined, follow: { enabled: false } });
    const { folderId, stores } = session.grantFolder(fixtureDir('upstream-head', 'manual'));
    const summary = await session.openStore({ folderId, store: stores[0] });
    const state = await session.stateAt({ storeId: summary.storeId, at: summary.lastTimestamp! });
    expect(state.total).toBeGreaterThan(0);
    await session.dispose();
  });
});
