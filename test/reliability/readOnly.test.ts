// The explorer never changes what it opens: every file of a store folder hashes the same after
// a full session of queries, exports, follows and verifies through the CLI and the server, and
// nothing is created, renamed or removed in the folder.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VersionedKVStore } from '../../src/engine/store';
import { startServer } from '../../src/main/server';
import { allFixtureStores, FIXTURES } from '../support/fixtures';
import { jrn, tempDir } from '../cli/helpers';
import { callApi } from '../main/http';

/** Path → sha256, size and mtime of every file and folder under `dir`. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        out[`${rel}${name}/`] = `dir:${st.mtimeMs}`;
        walk(path, `${rel}${name}/`);
      } else {
        out[`${rel}${name}`] = `${createHash('sha256').update(readFileSync(path)).digest('hex')}:${st.size}:${st.mtimeMs}`;
      }
    }
  };
  walk(dir, '');
  return out;
}

async function generatedStore(): Promise<{ dir: string; store: string }> {
  const dir = tempDir('jrn-readonly-');
  let now = 1_704_067_200_000_000;
  const store = VersionedKVStore.open(dir, 'generated', {
    config: { initialBufferSize: 4096, maxCapacityBytes: 16384, highWaterMarkRatio: 0.7 },
    clock: () => (now += 1000),
  });
  for (let i = 0; i < 600; i++) {
    if (i % 7 === 3) store.delete(2, `k${i % 40}`);
    else store.put(2, `k${i % 40}`, { kind: 'string', value: `v${i}` });
  }
  await store.close(); // the writer is done before the explorer looks: its files are final
  return { dir, store: 'generated' };
}

let generated: { dir: string; store: string } | null = null;
afterAll(() => {
  generated = null;
});

/** A whole session through the CLI: every read-only command, exports to elsewhere. */
async function cliSession(dir: string, store: string | undefined): Promise<void> {
  const out = tempDir('jrn-readonly-out-');
  const name = store ? ['--name', store] : [];
  const at = ['--at', '2024-01-01T00:00:05Z'];
  for (const argv of [
    ['stores', dir],
    ['generations', dir, ...name],
    ['state', dir, ...name, ...at],
    ['state', dir, ...name],
    ['changes', dir, ...name],
    ['diff', dir, ...name, '--from', '0', '--to', String(Number.MAX_SAFE_INTEGER)],
    ['verify', dir, ...name],
    ['export', dir, ...name, ...at, '--format', 'csv', '--out', join(out, 'state.csv')],
    ['export', dir, ...name, '--history', '--format', 'parquet', '--out', join(out, 'history.parquet')],
    ['export', dir, ...name, ...at, '--format', 'journal', '--out', join(out, 'restore')],
  ]) {
    const r = await jrn(argv);
    expect([0, 1], `jrn ${argv.join(' ')}: ${r.stderr}`).toContain(r.code);
  }
}

/** A whole session through the server: open, follow, query, verify, export, close. */
async function serverSession(dir: string, store: string | undefined): Promise<void> {
  const server = await startServer({ dir, store, follow: { debounceMs: 10, pollMs: 50 } });
  try {
    const { storeId } = server.store;
    const call = async (method: string, args: object) => {
      const res = await callApi(server.origin, server.token, method, { storeId, ...args });
      expect(res.status, method).toBe(200);
      return res.body;
    };
    await call('setFollow', { follow: true });
    await call('generations', {});
    const summary = (await call('summary', {})).result as { firstTimestamp: number | null; lastTimestamp: number | null };
    const first = summary.firstTimestamp ?? 0;
    const last = summary.lastTimestamp ?? 1;
    await call('stateAt', { at: last, limit: 100 });
    await call('histogram', { from: first, to: Math.max(first, last), bins: 20 });
    await call('changes', { from: null, to: null, limit: 100 });
    await call('diff', { from: first, to: last });
    await call('verify', {});
    const job = (await call('exportStart', { kind: 'history', format: 'ndjson' })).result as { jobId: string; state: string };
    for (let i = 0; i < 200; i++) {
      const status = (await callApi(server.origin, server.token, 'exportStatus', { jobId: job.jobId })).body.result as { state: string };
      if (status.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 150)); // let the follower poll a few times
    await call('setFollow', { follow: false });
  } finally {
    await server.close();
  }
}

const stores = [
  ...allFixtureStores().map((s) => ({ label: `${s.layout}/${s.scenario}`, dir: s.dir, store: undefined as string | undefined })),
  { label: 'corrupt (several stores)', dir: join(FIXTURES, 'reference-4255c9b1/corrupt'), store: 'crc_flip_frame2' },
];

describe('read-only: nothing in an opened folder changes', () => {
  it.each(stores)('$label', async ({ dir, store }) => {
    const before = fingerprint(dir);
    await cliSession(dir, store);
    await serverSession(dir, store);
    expect(fingerprint(dir)).toEqual(before);
  });

  it('a store our writer wrote (closed), through the CLI and the server', async () => {
    generated = await generatedStore();
    const { dir, store } = generated;
    const before = fingerprint(dir);
    expect(Object.keys(before).length).toBeGreaterThan(2);
    await cliSession(dir, store);
    await serverSession(dir, store);
    expect(fingerprint(dir)).toEqual(before);
  });
});
