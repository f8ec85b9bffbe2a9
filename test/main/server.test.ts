// `jrn serve`'s HTTP server against a real server on loopback: the token, the Host and Origin
// rules, the paths it serves, server-sent events, and export downloads.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type ServeHandle } from '../../src/main/server';
import { hostAllowed, isLoopbackAddress, originAllowed, parseHostHeader, tokenMatches } from '../../src/main/server/security';
import { fixtureDir } from '../support/fixtures';
import { callApi, raw } from './http';
import { liveStore, str, tempDir, waitFor } from './helpers';

const ROTATED = fixtureDir('spec', 'rotated');
let server: ServeHandle;

beforeAll(async () => {
  server = await startServer({ dir: ROTATED, follow: { debounceMs: 30, pollMs: 200 } });
});
afterAll(async () => {
  await server?.close();
});

describe('token', () => {
  test('is random per launch, 256 bits', async () => {
    const other = await startServer({ dir: ROTATED });
    try {
      expect(other.token).not.toBe(server.token);
      expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
      expect(server.url).toBe(`${server.origin}/?token=${server.token}`);
    } finally {
      await other.close();
    }
  });

  test('every /api route needs it', async () => {
    const { storeId } = server.store;
    expect(await callApi(server.origin, null, 'summary', { storeId })).toMatchObject({ status: 401, body: { ok: false, error: { code: 'forbidden' } } });
    expect(await callApi(server.origin, 'wrong', 'summary', { storeId })).toMatchObject({ status: 401 });
    expect(await callApi(server.origin, server.token.slice(0, -1), 'summary', { storeId })).toMatchObject({ status: 401 });
    // A POST must carry it in the header, not the URL (URLs end up in logs and history).
    const inQuery = await raw(server.port, { method: 'POST', path: `/api/summary?token=${server.token}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeId }) });
    expect(inQuery.status).toBe(401);
    expect((await raw(server.port, { path: '/api/events' })).status).toBe(401);
    expect((await raw(server.port, { path: `/api/events?token=nope` })).status).toBe(401);
    expect(await callApi(server.origin, server.token, 'summary', { storeId })).toMatchObject({ status: 200, body: { ok: true, result: { storeId } } });
  });

  test('compares in constant time and refuses empty or huge values', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
    expect(tokenMatches('x'.repeat(5000), 'abc')).toBe(false);
  });
});

describe('hosts and origins', () => {
  test('a foreign Host header is refused (DNS rebinding), loopback names are accepted', async () => {
    const path = '/';
    expect((await raw(server.port, { path, headers: { host: `evil.example:${server.port}` } })).status).toBe(421);
    expect((await raw(server.port, { path, headers: { host: `127.0.0.1:${server.port + 1}` } })).status).toBe(421);
    expect((await raw(server.port, { path, headers: { host: 'not a host!' } })).status).toBe(421);
    expect((await raw(server.port, { path, headers: { host: `localhost:${server.port}` } })).status).toBe(200);
    expect((await raw(server.port, { path, headers: { host: `127.0.0.1:${server.port}` } })).status).toBe(200);
    const api = await raw(server.port, {
      method: 'POST',
      path: '/api/startup',
      headers: { host: `attacker.example:${server.port}`, 'x-journal-token': server.token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(421);
  });

  test('a cross-origin request is refused even with the token', async () => {
    const res = await raw(server.port, {
      method: 'POST',
      path: '/api/startup',
      headers: { origin: 'https://evil.example', 'x-journal-token': server.token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    const same = await raw(server.port, {
      method: 'POST',
      path: '/api/startup',
      headers: { origin: server.origin, 'x-journal-token': server.token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(same.status).toBe(200);
  });

  test('the host rules', () => {
    const policy = { host: '127.0.0.1', port: 8080 };
    expect(hostAllowed('127.0.0.1:8080', policy)).toBe(true);
    expect(hostAllowed('localhost:8080', policy)).toBe(true);
    expect(hostAllowed('[::1]:8080', policy)).toBe(true);
    expect(hostAllowed('127.0.0.1', policy)).toBe(false);
    expect(hostAllowed('192.168.1.5:8080', policy)).toBe(false);
    expect(hostAllowed('127.0.0.1.evil.example:8080', policy)).toBe(false);
    expect(hostAllowed(undefined, policy)).toBe(false);
    const remote = { host: '192.168.1.5', port: 80, allowRemote: true };
    expect(hostAllowed('192.168.1.5', remote)).toBe(true);
    expect(hostAllowed('evil.example', remote)).toBe(false);
    expect(hostAllowed('box.lan', { ...remote, allowedHosts: ['box.lan'] })).toBe(true);
    expect(parseHostHeader('[::1]:80')).toEqual({ name: '::1', port: 80 });
    expect(originAllowed(undefined, policy)).toBe(true);
    expect(originAllowed('http://localhost:8080', policy)).toBe(true);
    expect(originAllowed('null', policy)).toBe(false);
    expect(originAllowed('https://127.0.0.1:8080', policy)).toBe(false);
  });

  test('remote addresses and binding', async () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.2')).toBe(false);
    expect(isLoopbackAddress('::ffff:10.0.0.2')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
    expect(server.host).toBe('127.0.0.1');
    await expect(startServer({ dir: ROTATED, host: '0.0.0.0' })).rejects.toThrow(/remote access is allowed explicitly/);
  });
});

describe('paths', () => {
  test('the page is served with the CSP header; nothing outside the renderer folder is', async () => {
    const index = await raw(server.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(index.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    for (const path of ['/../package.json', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/../../../etc/passwd', '/%00', '/%zz', '/manifest.json']) {
      const res = await raw(server.port, { path });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('"dependencies"');
      expect(res.body).not.toContain('root:');
    }
  });

  test('unknown API routes and methods answer 404 with an envelope', async () => {
    expect(await callApi(server.origin, server.token, 'deleteEverything', {})).toMatchObject({ status: 404, body: { ok: false, error: { code: 'not-found' } } });
    const get = await raw(server.port, { path: `/api/summary?token=${server.token}` });
    expect(get.status).toBe(404);
  });

  test('bad bodies are refused; invalid arguments answer the envelope', async () => {
    const headers = { 'x-journal-token': server.token, 'content-type': 'application/json' };
    expect((await raw(server.port, { method: 'POST', path: '/api/startup', headers, body: '{not json' })).status).toBe(400);
    expect((await raw(server.port, { method: 'POST', path: '/api/startup', headers: { ...headers, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await raw(server.port, { method: 'POST', path: '/api/startup', headers, body: 'x'.repeat(2 * 1024 * 1024) }).catch(() => ({ status: 413 }))).status).toBe(413);
    const invalid = await callApi(server.origin, server.token, 'stateAt', { storeId: server.store.storeId, at: 'yesterday' });
    expect(invalid).toMatchObject({ status: 200, body: { ok: false, error: { code: 'invalid-arguments' } } });
  });

  test('only the chosen store is served', async () => {
    const startup = await callApi(server.origin, server.token, 'startup', {});
    expect(startup.body).toMatchObject({ ok: true, result: { transport: 'http', canChooseFolder: false, demoAvailable: false, recent: [], open: { storeId: server.store.storeId } } });
    expect(await callApi(server.origin, server.token, 'openDemo', {})).toMatchObject({ body: { ok: false, error: { code: 'forbidden' } } });
    expect(await callApi(server.origin, server.token, 'listStores', { folderId: fixtureDir('spec', 'small') })).toMatchObject({ body: { ok: false, error: { code: 'forbidden' } } });
  });
});

describe('events and downloads', () => {
  test('storeChanged arrives as a server-sent event while the store is written', async () => {
    const tmp = tempDir();
    const { store, name } = liveStore(tmp.path);
    store.put(1, 'a', str('1'));
    const live = await startServer({ dir: tmp.path, store: name, follow: { debounceMs: 30, pollMs: 200 } });
    const received: string[] = [];
    const req = request({ host: '127.0.0.1', port: live.port, path: `/api/events?token=${live.token}`, headers: { host: `127.0.0.1:${live.port}` } });
    try {
      await new Promise<void>((resolve, reject) => {
        req.on('response', (res) => {
          expect(res.headers['content-type']).toMatch(/text\/event-stream/);
          res.on('data', (chunk: Buffer) => received.push(chunk.toString('utf8')));
          resolve();
        });
        req.on('error', reject);
        req.end();
      });
      store.put(1, 'b', str('2'));
      const text = await waitFor(() => {
        const all = received.join('');
        return all.includes('event: storeChanged') ? all : null;
      }, 10_000, 'the SSE event');
      const data = JSON.parse(/event: storeChanged\ndata: (.*)\n/.exec(text)![1]);
      expect(data).toMatchObject({ storeId: live.store.storeId, added: 1, summary: { versions: 2 } });
    } finally {
      req.destroy();
      await live.close();
      await store.close();
      tmp.cleanup();
    }
  });

  test('a finished export downloads with the token; a journal export is refused', async () => {
    const { storeId } = server.store;
    const started = await callApi(server.origin, server.token, 'exportStart', { storeId, kind: 'history', format: 'csv' });
    expect(started.body.ok).toBe(true);
    const jobId = (started.body.result as { jobId: string }).jobId;
    let status: { state: string; downloadUrl: string | null; total: number } | null = null;
    await waitFor(() => {
      void callApi(server.origin, server.token, 'exportStatus', { jobId }).then((r) => {
        status = r.body.result as typeof status;
      });
      return status && status.state !== 'running' ? status : null;
    }, 10_000, 'the export');
    expect(status!.state).toBe('done');
    const url = status!.downloadUrl!;
    expect(url).toMatch(new RegExp(`^/api/export/${jobId}/file\\?token=`));
    const file = await raw(server.port, { path: url });
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/attachment; filename="store-history\.csv"/);
    expect(file.body.split('\r\n')[0]).toMatch(/^scope,key/);
    expect((await raw(server.port, { path: url.replace(/token=.*/, 'token=wrong') })).status).toBe(401);
    expect((await raw(server.port, { path: `/api/export/nope/file?token=${server.token}` })).status).toBe(404);

    const journal = await callApi(server.origin, server.token, 'exportStart', { storeId, kind: 'state', format: 'journal' });
    expect(journal.body).toMatchObject({ ok: true, result: { state: 'failed' } });
  });
});
