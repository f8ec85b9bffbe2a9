import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { VersionedKVStore } from '../../../src/engine/store';
import { TimelineIndex } from '../../../src/engine/timeline';
import type { StateValue } from '../../../src/engine/format/value';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

interface Write {
  scope: number;
  key: string;
  value: StateValue | null;
  ts: number;
}

/** The state at t from the acknowledged writes (the last write of a key at or before t). */
function modelState(writes: Write[], t: number): [number, string, StateValue, number][] {
  const latest = new Map<string, Write>();
  for (const w of writes) if (w.ts <= t) latest.set(`${w.scope}\u0000${w.key}`, w);
  return [...latest.values()]
    .filter((w) => w.value !== null)
    .sort((a, b) => a.scope - b.scope || Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)))
    .map((w) => [w.scope, w.key, w.value!, w.ts]);
}

const layouts = ['spec', 'upstream'] as const;

describe.each(layouts)('following a store that is being written (%s layout)', (layout) => {
  it('extends the index with new frames and survives rotations, matching every acknowledged write', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: 30 }),
            del: fc.boolean(),
            text: fc.string({ maxLength: 40 }),
            step: fc.constantFrom(0, 1, 1000),
            refresh: fc.boolean(),
          }),
          { minLength: 1, maxLength: 150 },
        ),
        fc.integer({ min: 0, max: 100 }),
        async (ops, openPercent) => {
          const dir = mkdtempSync(join(tmpdir(), 'jrn-follow-'));
          temps.push(dir);
          let now = 1_704_067_200_000_000;
          const store = VersionedKVStore.open(dir, 'live', {
            layout,
            normalize: false,
            config: { initialBufferSize: 1024, maxCapacityBytes: 4096, highWaterMarkRatio: 0.5 },
            clock: () => now,
          });
          const writes: Write[] = [];
          store.put(2, 'seed', { kind: 'string', value: 'x' });
          writes.push({ scope: 2, key: 'seed', value: { kind: 'string', value: 'x' }, ts: now });
          // Opened at the start, or later on scan workers: then the active journal, like
          // every generation after the first, is scanned lean before it is followed.
          const openAt = Math.round((openPercent / 100) * ops.length);
          let index = openAt === 0 ? await TimelineIndex.open(dir) : null;
          for (const [i, op] of ops.entries()) {
            if (i === openAt && !index) index = await TimelineIndex.open(dir, { scanWorker: true });
            now += op.step;
            const key = `k${op.key}`;
            if (op.del) {
              const ts = store.delete(2, key);
              if (ts !== null) writes.push({ scope: 2, key, value: null, ts });
            } else {
              const value: StateValue = { kind: 'string', value: op.text };
              writes.push({ scope: 2, key, value, ts: store.put(2, key, value) });
            }
            if (op.refresh) await index?.refresh();
          }
          await store.close();
          index ??= await TimelineIndex.open(dir, { scanWorker: true });
          const result = await index.refresh();
          expect(result.rebuilt).toBe(false);
          const summary = index.summary();
          expect(summary.incomplete).toEqual([]);
          expect(summary.problems.filter((p) => p.severity === 'error')).toEqual([]);
          for (const t of [...new Set(writes.map((w) => w.ts))]) {
            const page = index.stateAt(t, { limit: 10_000 });
            expect(page.rows.map((r) => [r.scope, r.key, r.value, r.validFrom]), `state at ${t}`).toEqual(modelState(writes, t));
          }
          const log = index.changes(null, null, { limit: 10_000 });
          expect(log.writes.map((w) => [w.key, w.timestamp])).toEqual(writes.map((w) => [w.key, w.ts]));
          // A fresh index over the finished folder agrees with the one that followed it.
          if (writes.length > 60) expect(summary.generations.length).toBeGreaterThan(1);
          const fresh = await TimelineIndex.open(dir);
          expect(fresh.summary().versions).toBe(summary.versions);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('following a store opened on scan workers', () => {
  it('extends an active journal that was scanned lean, and follows it through rotations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrn-follow-lean-'));
    temps.push(dir);
    let now = 1_704_067_200_000_000;
    const store = VersionedKVStore.open(dir, 'live', {
      normalize: false,
      config: { initialBufferSize: 1024, maxCapacityBytes: 4096, highWaterMarkRatio: 0.5 },
      clock: () => now,
    });
    const writes: Write[] = [];
    const write = (n: number) => {
      for (let i = 0; i < n; i++) {
        now += 1000;
        const key = `k${(i * 7) % 23}`;
        const value: StateValue = { kind: 'string', value: `v${writes.length}` };
        writes.push({ scope: 2, key, value, ts: store.put(2, key, value) });
      }
    };
    const expectModel = async (index: TimelineIndex) => {
      const summary = index.summary();
      expect(summary.incomplete).toEqual([]);
      expect(summary.problems.filter((p) => p.severity === 'error')).toEqual([]);
      for (const t of writes.map((w) => w.ts)) {
        const page = index.stateAt(t, { limit: 10_000 });
        expect(page.rows.map((r) => [r.scope, r.key, r.value, r.validFrom]), `state at ${t}`).toEqual(modelState(writes, t));
      }
      expect(index.changes(null, null, { limit: 10_000 }).writes.map((w) => [w.key, w.timestamp])).toEqual(writes.map((w) => [w.key, w.ts]));
    };

    write(200);
    // Archived (compressed) first: an archive renamed under an open is picked up by a refresh,
    // which reads one file at a time, on this thread and whole.
    await store.whenIdle();
    const index = await TimelineIndex.open(dir, { scanWorker: true });
    const generations = index.summary().generations;
    expect(generations.length).toBeGreaterThan(2);
    // The active journal restates the archive before it: read lean, its prefix verified.
    expect(generations.at(-1)).toMatchObject({ active: true, prefixVerified: true });
    await expectModel(index);

    write(3); // into the same active journal
    expect((await index.refresh()).rotations).toBe(0);
    await expectModel(index);

    write(200); // and on through rotations
    const result = await index.refresh();
    expect([result.rebuilt, result.rotations > 0]).toEqual([false, true]);
    await expectModel(index);
    await store.close();
  });
});
