import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimelineIndex } from '../../../src/engine/timeline';
import { modelStateAt, runModel, T0, writeModelStore, type Damage, type ModelStore, type WrittenFile } from '../recovery/modelStore';
import { modelDamage, modelLayout, modelOp } from '../recovery/modelArbitraries';

// The same random stores for recovery and for the index: see modelArbitraries.ts.
const [op, layout, damage] = [modelOp, modelLayout, modelDamage];

const LATEST = Number.MAX_SAFE_INTEGER;

type ModelCase = { store: ModelStore; files: WrittenFile[]; kept: string[]; dmg: Damage | undefined };

/** A random store written by the model writer, some files dropped and one maybe damaged. */
function modelProperty(check: (c: ModelCase) => Promise<void>) {
  return fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), layout, fc.nat(), damage, async (ops, lay, dropMask, dmg) => {
    const store = runModel(ops);
    const dir = mkdtempSync(join(tmpdir(), 'timeline-model-'));
    try {
      const files = writeModelStore(store, lay, dir, dmg);
      const kept = files.filter((_, i) => !(dropMask & (1 << i))).map((f) => f.path);
      if (kept.length > 0) await check({ store, files, kept, dmg });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

describe('TimelineIndex against a model writer', () => {
  it('answers state, as-of and history exactly wherever it claims completeness', async () => {
    await fc.assert(
      modelProperty(async ({ store, files, kept, dmg }) => {
        const index = await TimelineIndex.openFiles(kept);
        const times = [T0 - 1, ...store.writes.map((w) => w.ts), LATEST];
        for (const t of times) {
          const page = index.stateAt(t, { limit: 10_000 });
          if (!page.complete) continue;
          const truth = modelStateAt(store.writes, t).map((w) => [w.scope, w.key, w.value, w.ts]);
          expect(page.rows.map((r) => [r.scope, r.key, r.value, r.validFrom]), `state at ${t}`).toEqual(truth);
          expect(page.total).toBe(truth.length);
          for (const w of truth) {
            const asOf = index.getAt(w[0] as number, w[1] as string, t);
            expect(asOf.version?.validFrom).toBe(w[3]);
          }
        }
        const whole = kept.length === files.length && (dmg === undefined || store.generations[dmg.generation]?.length === 0 || dmg.generation >= store.generations.length);
        if (whole) {
          const summary = index.summary();
          expect(summary.incomplete).toEqual([]);
          expect(summary.problems.filter((p) => p.severity === 'error')).toEqual([]);
          // Every write once in the log, in order (restated prefixes are not writes).
          const log = index.changes(null, null, { limit: 10_000 }).writes;
          expect(log.map((w) => [w.scope, w.key, w.timestamp])).toEqual(store.writes.map((w) => [w.scope, w.key, w.ts]));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('builds the same index when files are scanned on worker threads (lean archives)', async () => {
    // Workers send back only the bytes new writes can be in; every generation that is not a
    // verified restatement (gaps, damage, the first one read) is read again whole.
    await fc.assert(
      modelProperty(async ({ store, kept }) => {
        const here = await TimelineIndex.openFiles(kept, { scanWorker: false });
        const there = await TimelineIndex.openFiles(kept, { scanWorker: true });
        expect(there.summary()).toEqual(here.summary());
        for (const t of [T0 - 1, ...store.writes.map((w) => w.ts), LATEST]) {
          expect(there.stateAt(t, { limit: 10_000 })).toEqual(here.stateAt(t, { limit: 10_000 }));
        }
        expect(there.changes(null, null, { limit: 10_000 })).toEqual(here.changes(null, null, { limit: 10_000 }));
      }),
      { numRuns: 40 },
    );
  });
});
