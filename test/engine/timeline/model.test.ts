import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimelineIndex } from '../../../src/engine/timeline';
import type { StateValue } from '../../../src/engine/format/value';
import { modelStateAt, runModel, T0, writeModelStore, type Damage, type ModelLayout, type ModelOp } from '../recovery/modelStore';

// The same random stores as the recovery model test (a test-only writer producing all three
// layouts, with files dropped and one frame damaged), asked of the timeline index.
const SECOND = 1_000_000;
const key = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const scope = fc.constantFrom(1, 2);
const advance = fc.constantFrom(0, 0, 1, SECOND, 2 * SECOND);
const value: fc.Arbitrary<StateValue> = fc.oneof(
  fc.constantFrom('', 'x', 'y').map((v) => ({ kind: 'string' as const, value: v })),
  fc.bigInt({ min: -2n, max: 2n }).map((v) => ({ kind: 'int' as const, value: v })),
  fc.boolean().map((v) => ({ kind: 'bool' as const, value: v })),
);
const op: fc.Arbitrary<ModelOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), scope, key, value, advance }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), scope, key, advance }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rotate' as const), order: fc.array(fc.nat(20), { maxLength: 10 }) }) },
);
const layout = fc.constantFrom<ModelLayout>('reference', 'upstream-head', 'spec');
const damage: fc.Arbitrary<Damage | undefined> = fc.option(
  fc.record({ generation: fc.nat(8), frame: fc.nat(30), how: fc.constantFrom('flip' as const, 'position' as const) }),
  { nil: undefined },
);

const LATEST = Number.MAX_SAFE_INTEGER;

describe('TimelineIndex against a model writer', () => {
  it('answers state, as-of and history exactly wherever it claims completeness', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), layout, fc.nat(), damage, async (ops, lay, dropMask, dmg) => {
        const store = runModel(ops);
        const dir = mkdtempSync(join(tmpdir(), 'timeline-model-'));
        try {
          const files = writeModelStore(store, lay, dir, dmg);
          const kept = files.filter((_, i) => !(dropMask & (1 << i)));
          if (kept.length === 0) return;
          const index = await TimelineIndex.openFiles(kept.map((f) => f.path));
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
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 300 },
    );
  });
});
