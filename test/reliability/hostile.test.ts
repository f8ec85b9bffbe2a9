// Every API method through the real HTTP transport with malformed, oversized and wrong-typed
// arguments, path traversal and paths outside the opened store, missing or wrong tokens: a
// clear error each time, and the server stays up and keeps answering correctly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, methods } from '../../src/shared/contract';
import { startServer, type ServeHandle } from '../../src/main/server';
import { fixtureDir } from '../support/fixtures';
import { callApi, raw } from '../main/http';

let server: ServeHandle;
let tried = 0;

beforeAll(async () => {
  server = await startServer({ dir: fixtureDir('reference-4255c9b1', 'rotated'), follow: { enabled: false } });
});
afterAll(async () => {
  await server?.close();
  if (process.env.RELIABILITY_REPORT) console.log(`hostile: ${tried} bad requests tried`);
});

const TRAVERSALS = ['../../../../etc/passwd', '/etc/passwd', '..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2fetc', 'C:\\Windows', '\u0000', ''];

/** Bad argument objects for a method: wrong types, missing fields, hostile strings, huge values. */
function badArgs(method: string, storeId: string): unknown[] {
  const shape = (methods as Record<string, { args: { shape?: Record<string, unknown> } }>)[method].args.shape ?? {};
  const fields = Object.keys(shape);
  const out: unknown[] = [null, [], 'string', 42, true, { __proto__: { storeId } }, { constructor: { prototype: {} } }];
  const wrongValues = [null, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, 'x'.repeat(100_000), [], {}, true, '1', ...TRAVERSALS];
  for (const field of fields) {
    for (const value of wrongValues) out.push({ storeId, [field]: value });
  }
  for (const id of TRAVERSALS) out.push({ storeId: id, folderId: id, recentId: id, jobId: id });
  out.push({ storeId, at: 0, limit: 1e9 }, { storeId, from: 10, to: 5 }, { storeId, bins: 0, from: 0, to: 1 }, { storeId, bins: 1e9, from: 0, to: 1 });
  out.push(deep(2000));
  return out;
}

function deep(depth: number): unknown {
  let v: unknown = { end: true };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('hostile input to every API method over HTTP', () => {
  // closeStore with valid arguments closes the store; it is tried last, on its own.
  it.each(methodNames.filter((m) => m !== 'closeStore'))('%s: every bad argument gets a clear error and the server stays up', async (method) => {
    const { storeId } = server.store;
    for (const args of badArgs(method, storeId)) {
      tried++;
      const res = await callApi(server.origin, server.token, method, args);
      if (res.body.ok) {
        // Some "bad" objects are valid for methods that ignore extra fields (e.g. startup):
        // then the answer must still be a valid result, which dispatch validates.
        continue;
      }
      expect(res.body.error?.message, `${method} ${JSON.stringify(args).slice(0, 120)}`).toMatch(/\S/);
      expect(['invalid-arguments', 'not-found', 'forbidden', 'query', 'unsupported', 'unavailable']).toContain(res.body.error?.code);
    }
    // Still up and still right.
    const ok = await callApi(server.origin, server.token, 'summary', { storeId });
    expect(ok).toMatchObject({ status: 200, body: { ok: true, result: { storeId } } });
  });

  it('closeStore: bad arguments are refused; a valid close frees the store and later calls say so', async () => {
    const { storeId } = server.store;
    for (const args of [null, [], { storeId: 42 }, { storeId: '../x' }, { storeId: 'x'.repeat(100_000) }]) {
      tried++;
      const res = await callApi(server.origin, server.token, 'closeStore', args);
      if (res.body.ok) expect(res.body.result).toEqual({ closed: false });
      else expect(res.body.error?.message).toMatch(/\S/);
    }
    expect((await callApi(server.origin, server.token, 'closeStore', { storeId })).body).toMatchObject({ ok: true, result: { closed: true } });
    const after = await callApi(server.origin, server.token, 'summary', { storeId });
    expect(after.body).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect((await raw(server.port, { path: '/' })).status).toBe(200);
  });

  it('refuses requests without the token, with a wrong one, or not as JSON', async () => {
    const { storeId } = server.store;
    for (const method of methodNames) {
      tried += 3;
      expect((await callApi(server.origin, null, method, { storeId })).status).toBe(401);
      expect((await callApi(server.origin, `${server.token}x`, method, { storeId })).status).toBe(401);
      const form = await raw(server.port, { method: 'POST', path: `/api/${method}`, headers: { 'x-journal-token': server.token, 'content-type': 'text/plain' }, body: 'storeId=1' });
      expect(form.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('answers malformed and oversized bodies with an error, not a crash', async () => {
    const headers = { 'x-journal-token': server.token, 'content-type': 'application/json' };
    const bodies = ['{', '{"storeId":', 'null', '"\\ud800"', '\u0000', '{"a":' + '['.repeat(100_000), 'x'.repeat(2 * 1024 * 1024)];
    for (const body of bodies) {
      tried++;
      const res = await raw(server.port, { method: 'POST', path: '/api/stateAt', headers, body });
      expect(res.status).toBeGreaterThanOrEqual(200);
      if (res.status === 200) expect(JSON.parse(res.body).ok).toBe(false);
      else expect(res.status).toBeGreaterThanOrEqual(400);
    }
    expect((await callApi(server.origin, server.token, 'summary', { storeId: server.store.storeId })).status).toBe(200);
  });

  it('serves nothing outside the renderer: traversal in static and download paths is refused', async () => {
    const paths = [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/../../package.json',
      '/%00',
      `/api/export/..%2f..%2f..%2fetc%2fpasswd/file?token=${server.token}`,
      `/api/export/nope/file?token=${server.token}`,
      '/api/unknownMethod',
    ];
    for (const path of paths) {
      tried++;
      const res = await raw(server.port, { path, method: 'GET' });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toMatch(/root:|"name": "journal-explorer"/);
    }
  });

  it('names only the store it serves: other folders and stores are refused', async () => {
    for (const folderId of [...TRAVERSALS, fixtureDir('spec', 'small')]) {
      tried += 2;
      const list = await callApi(server.origin, server.token, 'listStores', { folderId });
      expect(list.body.ok).toBe(false);
      const open = await callApi(server.origin, server.token, 'openStore', { folderId, store: 'small' });
      expect(open.body.ok).toBe(false);
    }
  });
});
