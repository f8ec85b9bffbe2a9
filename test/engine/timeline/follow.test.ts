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
        async (ops) => {
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
          const index = await TimelineIndex.open(dir);
          for (const op of ops) {
            now += op.step;
            const key = `k${op.key}`;
            if (op.del) {
              const ts = store.delete(2, key);
              if (ts !== null) writes.push({ scope: 2, key, value: null, ts });
            } else {
              const value: StateValue = { kind: 'string', value: op.text };
              writes.push({ scope: 2, key, value, ts: store.put(2, key, value) });
            }
            if (op.refresh) await index.refresh();
          }
          await store.close();
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
