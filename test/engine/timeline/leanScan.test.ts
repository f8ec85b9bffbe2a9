// Scan workers send back only the bytes of an archive that new writes can be in (scanWrites);
// the index reads a generation again whole whenever it is not a verified restatement of the one
// before. These stores are written by our writer with enough keys that every compacted prefix
// is out of timestamp order, so archives really are trimmed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { listStoreFiles } from '../../../src/engine/files/storeFiles';
import { VersionedKVStore } from '../../../src/engine/store';
import type { StoreLayout } from '../../../src/engine/store/layout';
import { TimelineIndex } from '../../../src/engine/timeline';
import { sumCrcs } from '../../../src/engine/timeline/liveHash';
import { scanJournal, scanWrites } from '../../../src/engine/timeline/scan';
import { prng } from '../../../src/main/demo/prng';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const T0 = 1_704_067_200_000_000;

async function writeStore(layout: StoreLayout): Promise<{ dir: string; times: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'jrn-lean-'));
  temps.push(dir);
  const rnd = prng(layout === 'spec' ? 1 : 2);
  let now = T0;
  const store = VersionedKVStore.open(dir, 'lean', {
    layout,
    normalize: false,
    config: { initialBufferSize: 16 * 1024, maxCapacityBytes: 64 * 1024, highWaterMarkRatio: 0.7 },
    clock: () => now,
  });
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) {
    now += 1000;
    const key = `key-${Math.floor(rnd() * 300)}`;
    if (rnd() < 0.05) store.delete(2, key);
    else store.put(2, key, { kind: 'string', value: `v${i}` });
    if (i % 97 === 0) times.push(now);
  }
  await store.close();
  return { dir, times: [T0 - 1, ...times, now] };
}

async function expectSameIndex(paths: string[], times: number[]): Promise<void> {
  const here = await TimelineIndex.openFiles(paths, { scanWorker: false });
  // Before any query: the index's size counts structures that queries build lazily.
  const summary = here.summary();
  // One worker, and two taking alternate files.
  for (const workers of [1, 2]) {
    const there = await TimelineIndex.openFiles(paths, { scanWorker: workers });
    expect(there.summary()).toEqual(summary);
    for (const t of times) expect(there.stateAt(t, { limit: 10_000 })).toEqual(here.stateAt(t, { limit: 10_000 }));
    expect(there.changes(null, null, { limit: 10_000 })).toEqual(here.changes(null, null, { limit: 10_000 }));
    for (const key of ['key-1', 'key-150', 'key-299']) expect(there.history(2, key, { tombstones: true })).toEqual(here.history(2, key, { tombstones: true }));
  }
}

describe.each(['spec', 'upstream'] as const)('lean archive scans, %s layout', (layout) => {
  const store = writeStore(layout);

  it('trims archives to the frames that can be new writes, keeping their offsets right', async () => {
    const { dir } = await store;
    const archives = listStoreFiles(dir, 'lean').filter((f) => f.kind === 'archive');
    expect(archives.length).toBeGreaterThan(5);
    const bytes = inflateSync(readFileSync(archives[3].path));
    const full = scanJournal(bytes, { file: archives[3].path });
    const lean = scanWrites(Buffer.from(bytes), { file: archives[3].path });
    const from = lean.lean!.from;
    expect(from).toBeGreaterThan(0);
    expect(lean.frames.first).toBe(from);
    expect(lean.frames.n).toBe(full.frames.n);
    expect(lean.bytes.length).toBeLessThan(bytes.length / 2);
    // The frames kept are the trailing run of non-decreasing timestamps, no more, no less.
    expect(full.frames.ts[from - 1]).toBeGreaterThan(full.frames.ts[from]);
    for (let i = from; i < full.frames.n; i++) {
      const j = i - from;
      const key = (s: typeof full, k: number) => s.bytes.subarray(s.frames.keyStart[k], s.frames.keyStart[k] + s.frames.keyLength[k]);
      expect(key(lean, j)).toEqual(key(full, i));
      expect(lean.bytes.subarray(lean.frames.payloadStart[j], lean.frames.payloadEnd[j])).toEqual(full.bytes.subarray(full.frames.payloadStart[i], full.frames.payloadEnd[i]));
      expect([lean.frames.ts[j], lean.frames.crc[j], lean.frames.frameStart[j], lean.frames.del[j], lean.frames.scope[j]])
        .toEqual([full.frames.ts[i], full.frames.crc[i], full.frames.frameStart[i], full.frames.del[i], full.frames.scope[i]]);
      if (i > from) expect(full.frames.ts[i]).toBeGreaterThanOrEqual(full.frames.ts[i - 1]);
    }
    // The frames left out are summed up: their CRC hash, whether any is a delete, the latest timestamp.
    expect(lean.frames.before).toEqual({
      crcSums: sumCrcs(full.frames.crc, 0, from),
      anyDelete: full.frames.del.subarray(0, from).includes(1),
      maxTs: Math.max(...full.frames.ts.subarray(0, from)),
    });
    // A journal with damage is scanned whole.
    const damaged = Buffer.from(bytes);
    damaged[full.frames.frameStart[full.frames.n - 2] + 3] ^= 0xff;
    const whole = scanWrites(damaged, { file: archives[3].path });
    expect([whole.lean, whole.frames.first, whole.stopped]).toEqual([undefined, 0, true]);
    expect(whole.frames.n).toBe(full.frames.n - 2);
  });

  it('builds the same index as scanning everything in one thread', async () => {
    const { dir, times } = await store;
    await expectSameIndex(listStoreFiles(dir, 'lean').map((f) => f.path), times);
  });

  it('reads a generation whole after a missing one (its prefix cannot be verified)', async () => {
    const { dir, times } = await store;
    const files = listStoreFiles(dir, 'lean').map((f) => f.path);
    await expectSameIndex(files.filter((_, i) => i !== 4), times);
    await expectSameIndex(files.slice(3), times);
  });

  it('reads a damaged archive whole, and the one after it', async () => {
    const { dir, times } = await store;
    const files = listStoreFiles(dir, 'lean');
    const copy = mkdtempSync(join(tmpdir(), 'jrn-lean-damaged-'));
    temps.push(copy);
    const paths = files.map((f) => {
      const target = join(copy, f.relativePath.replace(/^snapshots\//, ''));
      let bytes = readFileSync(f.path);
      if (f === files[4]) {
        const inflated = inflateSync(bytes);
        inflated[Math.floor(inflated.length / 3)] ^= 0x40;
        bytes = deflateSync(inflated);
      }
      writeFileSync(target, bytes);
      return target;
    });
    await expectSameIndex(paths, times);
  });
});
