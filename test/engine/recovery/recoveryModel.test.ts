import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VersionedRecovery } from '../../../src/engine/recovery';
import { estimateCompactedPrefix } from '../../../src/engine/recovery/compactedPrefix';
import type { ScannedGeneration } from '../../../src/engine/recovery/scanGeneration';
import type { StateValue } from '../../../src/engine/format/value';
import { modelStateAt, runModel, T0, writeModelStore } from './modelStore';
import { modelDamage, modelLayout, modelOp } from './modelArbitraries';

// The same random stores for recovery and for the index: see modelArbitraries.ts.
const [op, layout, damage] = [modelOp, modelLayout, modelDamage];

type Row = { scope: number; key: string; value: StateValue; timestamp: number };
const simple = (rows: Row[]) => rows.map((r) => [r.scope, r.key, r.value, r.timestamp]);

describe('VersionedRecovery against a model writer', () => {
  it('answers exactly wherever it claims completeness, whatever is missing or damaged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), layout, fc.nat(), damage, async (ops, lay, dropMask, dmg) => {
        const store = runModel(ops);
        const dir = mkdtempSync(join(tmpdir(), 'recovery-model-'));
        try {
          const files = writeModelStore(store, lay, dir, dmg);
          const kept = files.filter((_, i) => !(dropMask & (1 << i)));
          const recovery = await VersionedRecovery.fromFiles(kept.map((f) => f.path));
          const times = [T0 - 1, ...store.writes.map((w) => w.ts), Infinity];
          for (const t of times) {
            if (!recovery.isCompleteAt(t)) continue;
            const truth = modelStateAt(store.writes, t).map((w) => [w.scope, w.key, w.value, w.ts]);
            expect(simple(recovery.stateAt(t)), `state at ${t}`).toEqual(truth);
          }
          const whole = kept.length === files.length && (dmg === undefined || store.generations[dmg.generation]?.length === 0 || dmg.generation >= store.generations.length);
          if (whole) {
            expect(recovery.incompleteRanges).toEqual([]);
            expect(recovery.problems).toEqual([]);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never estimates a compacted prefix shorter than the true one', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const store = runModel(ops);
        const ids = new Map<string, number>();
        const live = new Set<string>();
        store.generations.forEach((frames, g) => {
          const restated = g === 0 ? 0 : live.size;
          const scanned = {
            keyIds: frames.map((f) => ids.get(`${f.scope}/${f.key}`) ?? ids.set(`${f.scope}/${f.key}`, ids.size).get(`${f.scope}/${f.key}`)!),
            timestamps: frames.map((f) => f.ts),
            tombstones: frames.map((f) => f.value === null),
          } as ScannedGeneration;
          const estimate = estimateCompactedPrefix(scanned);
          expect(estimate).toBeGreaterThanOrEqual(restated);
          expect(estimate).toBeLessThanOrEqual(frames.length);
          live.clear();
          for (const f of frames) {
            if (f.value === null) live.delete(`${f.scope}/${f.key}`);
            else live.add(`${f.scope}/${f.key}`);
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
