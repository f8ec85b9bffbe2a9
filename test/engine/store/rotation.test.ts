import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/engine/format/reader';
import type { StateValue } from '../../../src/engine/format/value';
import type { StoreEvent } from '../../../src/engine/store/events';
import { nodeFileLayer } from '../../../src/engine/store/fileLayer';
import { VersionedKVStore, type StoreOptions } from '../../../src/engine/store/store';
import { FaultyLayer } from './helpers/faultyLayer';
import { StoreModel } from './helpers/model';
import { replayFolder } from './helpers/replay';
import { FakeClock, tempDir } from './helpers/tmp';

const str = (value: string): StateValue => ({ kind: 'string', value });
const small = { config: { initialBufferSize: 1024, maxCapacityBytes: 4096, highWaterMarkRatio: 0.5 }, normalize: false } satisfies StoreOptions;

function expectHealthy(dir: string, name: string, model: StoreModel) {
  const replay = replayFolder(dir, name);
  expect(replay.problems).toEqual([]);
  expect(replay.temps).toEqual([]);
  expect(replay.journals).toHaveLength(1);
  expect(replay.history).toEqual(model.history);
  expect([...replay.state.values()].sort((a, b) => a.scope - b.scope || (a.key < b.key ? -1 : 1))).toEqual(model.sortedState());
  return replay;
}

describe('rotation', () => {
  it('rotates at the high-water mark (spec layout): archive beside the journal, named by its last entry', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const events: StoreEvent[] = [];
    const store = VersionedKVStore.open(dir, 'kv', { ...small, clock: clock.fn, onEvent: (e) => events.push(e) });
    const model = new StoreModel();
    let crossing = -1;
    for (let i = 0; store.generation === 0; i++) {
      const before = store.position;
      const scope = i % 7 < 3 ? 1 : 2;
      const ts = store.put(scope, `k${i % 7}`, str(`value-${i}-padding`));
      model.apply(scope, `k${i % 7}`, ts, str(`value-${i}-padding`));
      if ((store.generation as number) === 1) {
        crossing = ts;
        // The write that crossed the mark was written in generation 0 past floor(1024 × 0.5).
        expect(before).toBeLessThan(512);
      }
      clock.advance(1000);
    }
    expect(events.filter((e) => e.type === 'rotated')).toEqual([
      { type: 'rotated', reason: 'high-water-mark', fromGeneration: 0, toGeneration: 1, bufferSize: 1024, liveKeys: 7 },
    ]);
    await store.close();
    expect(readdirSync(dir).sort()).toEqual(['kv.jrn.1', `kv.jrn.t${crossing}.zz`]);
    const archived = readJournal(inflateSync(readFileSync(join(dir, `kv.jrn.t${crossing}.zz`))), { file: 'archive' });
    expect(archived.frames.at(-1)?.timestamp).toBe(crossing);
    expect(archived.header!.position).toBeGreaterThanOrEqual(512);
    const active = readJournal(readFileSync(join(dir, 'kv.jrn.1')), { file: 'active' });
    // The new generation restates the live state with the original timestamps.
    expect(active.frames).toHaveLength(7);
    expect(active.frames.map((f) => f.timestamp).sort()).toEqual(model.sortedState().map((s) => s.timestamp).sort());
    expect(active.frames.some((f) => f.timestamp === crossing)).toBe(true);
    expectHealthy(dir, 'kv', model);
  });

  it('rotates in the upstream layout: snapshots/NAME.jrn.g<G>.t<T>.zz with T = newest live key', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = VersionedKVStore.open(dir, 'kv', { ...small, layout: 'upstream', clock: clock.fn });
    const model = new StoreModel();
    for (let i = 0; store.generation < 1; i++) {
      model.apply(2, `k${i % 5}`, store.put(2, `k${i % 5}`, str(`value-${i}-padding-padding`)), str(`value-${i}-padding-padding`));
      clock.advance(1000);
    }
    // A trailing delete in generation 1, then a manual rotation: T is older than the delete.
    model.apply(2, 'k0', store.put(2, 'k0', str('last')), str('last'));
    clock.advance(1000);
    const newestLive = Math.max(...model.sortedState().filter((s) => s.key !== 'k1').map((s) => s.timestamp));
    model.apply(2, 'k1', store.delete(2, 'k1')!, null);
    const info = store.rotate();
    expect(info).toMatchObject({ reason: 'manual', fromGeneration: 1, toGeneration: 2, archiveTimestamp: newestLive });
    await store.close();
    const snapshots = readdirSync(join(dir, 'snapshots')).sort();
    expect(snapshots).toHaveLength(2);
    expect(snapshots[1]).toBe(`kv.jrn.g1.t${newestLive}.zz`);
    expect(snapshots[0]).toMatch(/^kv\.jrn\.g0\.t\d+\.zz$/);
    expect(readdirSync(dir).sort()).toEqual(['kv.jrn.2', 'snapshots']);
    const active = readJournal(readFileSync(join(dir, 'kv.jrn.2')), { file: 'active' });
    expect(active.header?.variant).toBe('v9');
    expect(active.payloadLayout).toBe('state-value');
    expectHealthy(dir, 'kv', model);
  });

  it('never overwrites an archive: a clashing spec name gets the generation', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn });
    const model = new StoreModel();
    model.apply(2, 'a', store.put(2, 'a', str('1')), str('1'));
    clock.advance(1);
    const t = store.put(2, 'b', str('2'));
    model.apply(2, 'b', t, str('2'));
    store.rotate(); // generation 0's last entry: t
    await store.whenIdle();
    // The clock has not moved: generation 1's newest entry is t too, with other content.
    model.apply(2, 'c', store.put(2, 'c', str('3')), str('3'));
    store.rotate();
    await store.close();
    expect(readdirSync(dir).sort()).toEqual(['kv.jrn.2', `kv.jrn.g1.t${t}.zz`, `kv.jrn.t${t}.zz`]);
    expectHealthy(dir, 'kv', model);
  });

  it('grows the buffer by powers of two up to the max, keeping half of it free after compaction', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const rotations: Extract<StoreEvent, { type: 'rotated' }>[] = [];
    const store = VersionedKVStore.open(dir, 'kv', {
      config: { initialBufferSize: 4096, maxCapacityBytes: 64 * 1024, highWaterMarkRatio: 0.7 },
      clock: clock.fn,
      onEvent: (e) => e.type === 'rotated' && rotations.push(e),
    });
    const model = new StoreModel();
    for (let i = 0; i < 3000; i++) {
      const key = `key-${i % 600}`; // the live state grows to 600 keys, then stays
      model.apply(2, key, store.put(2, key, str(`v${i}`)), str(`v${i}`));
      clock.advance(1000);
    }
    const sizes = rotations.map((r) => r.bufferSize);
    expect(sizes.length).toBeGreaterThan(3);
    for (const s of sizes) expect(Math.log2(s) % 1).toBe(0);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThanOrEqual(sizes[i - 1]);
    expect(sizes[0]).toBeGreaterThanOrEqual(4096);
    expect(sizes.at(-1)).toBeGreaterThan(4096);
    expect(sizes.at(-1)).toBeLessThanOrEqual(64 * 1024);
    await store.close();
    const replay = expectHealthy(dir, 'kv', model);
    // In every generation the compacted prefix takes at most half the buffer.
    for (const file of replay.files.slice(1)) {
      const frames = replay.frames.get(file)!;
      const k = replay.prefixLength.get(file)!;
      expect(k).toBeGreaterThan(0);
      expect(frames[k - 1].offset + frames[k - 1].length).toBeLessThanOrEqual(replay.bufferLength.get(file)! / 2);
    }
  });

  it('rotates for room when a write does not fit, and the write lands only in the new generation', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const events: StoreEvent[] = [];
    const store = VersionedKVStore.open(dir, 'kv', {
      config: { initialBufferSize: 4096, maxCapacityBytes: 16384, highWaterMarkRatio: 1.0 },
      layout: 'upstream',
      clock: clock.fn,
      onEvent: (e) => events.push(e),
    });
    const model = new StoreModel();
    for (let i = 0; i < 5; i++) {
      const ts = store.put(2, `k${i}`, str('x'.repeat(1000)));
      model.apply(2, `k${i}`, ts, str('x'.repeat(1000)));
      clock.advance(1000);
    }
    expect(events.filter((e) => e.type === 'rotated')).toEqual([
      { type: 'rotated', reason: 'no-room', fromGeneration: 0, toGeneration: 1, bufferSize: 16384, liveKeys: 4 },
    ]);
    await store.close();
    const replay = expectHealthy(dir, 'kv', model);
    expect(replay.frames.get(replay.archives[0])!.map((f) => f.key)).toEqual(['k0', 'k1', 'k2', 'k3']);
    expect(replay.frames.get('kv.jrn.1')!.map((f) => f.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });

  it('keeps a grown file size on reopen and continues generation, layout and timestamps', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    let store = VersionedKVStore.open(dir, 'kv', { config: { initialBufferSize: 4096, maxCapacityBytes: 65536 }, layout: 'upstream', clock: clock.fn });
    for (let i = 0; store.bufferSize < 16384; i++) {
      store.put(2, `key-${i}`, str('value-value-value'));
      clock.advance(1);
    }
    const generation = store.generation;
    const last = store.lastTimestamp;
    await store.close();
    const path = join(dir, `kv.jrn.${generation}`);
    expect(statSync(path).size).toBe(16384);

    clock.now = last - 1_000_000;
    store = VersionedKVStore.open(dir, 'kv', { config: { initialBufferSize: 4096 }, layout: 'spec', clock: clock.fn });
    expect(store.bufferSize).toBe(16384);
    expect(store.generation).toBe(generation);
    expect(store.format).toEqual({ headerVariant: 'v9', payloadLayout: 'state-value', archiveStyle: 'upstream' });
    expect(store.put(2, 'after', str('reopen'))).toBe(last);
    expect(statSync(path).size).toBe(16384);
    store.rotate();
    expect(store.bufferSize).toBeGreaterThanOrEqual(16384);
    await store.close();
    const active = readJournal(readFileSync(join(dir, `kv.jrn.${generation + 1}`)), { file: 'x' });
    expect(active.header?.variant).toBe('v9');
    expect(active.payloadLayout).toBe('state-value');
    expect(existsSync(join(dir, 'snapshots'))).toBe(true);
  });

  it('applies retention after each rotation: max archives and max age', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const deleted: string[] = [];
    const store = VersionedKVStore.open(dir, 'kv', {
      clock: clock.fn,
      retention: { maxArchives: 2 },
      onEvent: (e) => e.type === 'retention-deleted' && deleted.push(e.path),
    });
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      store.put(2, 'k', str(`v${i}`));
      names.push(`kv.jrn.t${clock.now}.zz`);
      clock.advance(1_000_000);
      store.rotate();
      await store.whenIdle();
    }
    await store.close();
    expect(readdirSync(dir).filter((n) => n.endsWith('.zz')).sort()).toEqual(names.slice(3).sort());
    expect(deleted.map((p) => p.slice(dir.length + 1)).sort()).toEqual(names.slice(0, 3).sort());

    const aged = tempDir();
    const store2 = VersionedKVStore.open(aged, 'kv', { clock: clock.fn, layout: 'upstream', retention: { maxAgeMicros: 2_500_000 } });
    const kept: string[] = [];
    for (let i = 0; i < 5; i++) {
      store2.put(2, 'k', str(`v${i}`));
      kept.push(`kv.jrn.g${i}.t${clock.now}.zz`);
      clock.advance(1_000_000);
      store2.rotate();
      await store2.whenIdle();
    }
    await store2.close();
    // now = last T + 1 s: T older than now − 2.5 s is gone.
    expect(readdirSync(join(aged, 'snapshots')).sort()).toEqual(kept.slice(3).sort());
  });

  it('compresses in the background with bounded memory: deferred generations are read back from disk', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const layer = new FaultyLayer(nodeFileLayer);
    const store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn, maxPendingCompressions: 1, fileLayer: layer });
    const model = new StoreModel();
    layer.count0();
    for (let i = 0; i < 6; i++) {
      model.apply(2, `k${i}`, store.put(2, `k${i}`, str(`v${i}`)), str(`v${i}`));
      clock.advance(1000);
      store.rotate(); // synchronously, six times: compression cannot keep up
    }
    expect(store.pendingArchives).toBeGreaterThan(1);
    expect(readdirSync(dir).filter((n) => /\.jrn\.\d+$/.test(n)).length).toBeGreaterThan(1);
    await store.close();
    expect(layer.log.filter((c) => c === 'readFileAsync').length).toBeGreaterThanOrEqual(4);
    const replay = expectHealthy(dir, 'kv', model);
    expect(replay.archives).toHaveLength(6);
  });

  it('reports a compression failure through onError, not the write; the next open archives the leftover', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const layer = new FaultyLayer(nodeFileLayer);
    const errors: [unknown, string][] = [];
    const store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn, fileLayer: layer, onError: (e, phase) => errors.push([e, phase]) });
    const model = new StoreModel();
    model.apply(2, 'a', store.put(2, 'a', str('1')), str('1'));
    layer.arm(1, 'fail', (call) => call === 'deflate');
    store.rotate();
    clock.advance(1);
    model.apply(2, 'b', store.put(2, 'b', str('2')), str('2'));
    await store.close();
    expect(errors.map(([, phase]) => phase)).toEqual(['archive']);
    expect(readdirSync(dir).sort()).toEqual(['kv.jrn.0', 'kv.jrn.1']);

    const reopened = VersionedKVStore.open(dir, 'kv', { clock: clock.fn });
    expect(reopened.openReport.leftoverJournals).toEqual([join(dir, 'kv.jrn.0')]);
    await reopened.close();
    // A leftover of a crash is archived with its generation in the name (its T comes from its own frames).
    expect(readdirSync(dir).sort()).toEqual(['kv.jrn.1', `kv.jrn.g0.t${clock.now - 1}.zz`]);
    expectHealthy(dir, 'kv', model);
  });

  it('fsyncs the new generation before activating it under the rotation policy', () => {
    const dir = tempDir();
    const layer = new FaultyLayer(nodeFileLayer);
    const store = VersionedKVStore.open(dir, 'kv', { fsync: 'rotation', fileLayer: layer });
    store.put(2, 'a', str('1'));
    layer.count0();
    store.rotate();
    expect(layer.log.slice(0, 5)).toEqual(['open:create', 'truncate', 'pwrite', 'pwrite', 'fsync']);
    layer.count0();
    store.put(2, 'b', str('2'));
    expect(layer.log).toEqual(['pwrite', 'pwrite']);
    const always = VersionedKVStore.open(tempDir(), 'kv', { fsync: 'always', fileLayer: layer });
    layer.count0();
    always.put(2, 'b', str('2'));
    expect(layer.log).toEqual(['pwrite', 'pwrite', 'fsync']);
    return Promise.all([store.close(), always.close()]);
  });
});

describe('iteration across a rotation', () => {
  it('keeps yielding correct values when a write during the iteration rotates the journal', async () => {
    const clock = new FakeClock();
    const store = VersionedKVStore.open(tempDir(), 'kv', { clock: clock.fn });
    for (let i = 0; i < 20; i++) store.put(2, `k${i}`, str(`v${i}`));
    const seen: string[] = [];
    for (const e of store) {
      seen.push(`${e.key}=${(e.value as { value: string }).value}`);
      if (e.key === 'k5') store.rotate();
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}=v${i}`));
    await store.close();
  });
});
