import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VersionedRecovery } from '../../../src/engine/recovery';
import type { StoreFile } from '../../../src/engine/files/storeFiles';
import type { StateValue } from '../../../src/engine/format/value';
import { ingestGeneration } from '../../../src/engine/timeline/ingest';
import { IndexState } from '../../../src/engine/timeline/indexState';
import { scanJournal } from '../../../src/engine/timeline/scan';
import { modelJournalBytes, modelStateAt, runModel, T0, writeModelStore, type ModelOp } from './modelStore';
import { modelDamage, modelLayout, modelOp } from './modelArbitraries';

// The same random stores for recovery and for the index: see modelArbitraries.ts.
const [op, layout, damage] = [modelOp, modelLayout, modelDamage];

type Row = { scope: number; key: string; value: StateValue; timestamp: number };
const simple = (rows: Row[]) => rows.map((r) => [r.scope, r.key, r.value, r.timestamp]);
const SECOND = 1_000_000;

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

  it('keeps the true validFrom of versions restated after a missing middle archive (spec layout)', async () => {
    // Generation 1 writes c and e; generation 2 restates a, e, c in that ("hash-map") order.
    // Without generation 1, only generation 0's final state {a} is known before generation 2:
    // its prefix restates that state and more, which is no proof the two are adjacent. Taking
    // them as adjacent made e and c new writes, and c (T0, after e at T0+1s) was clamped to T0+1s.
    const set = (key: string, advance: number): ModelOp => ({ kind: 'set', scope: 2, key, value: { kind: 'string', value: key }, advance });
    const store = runModel([set('a', 0), { kind: 'rotate', order: [] }, set('c', 0), set('e', SECOND), { kind: 'rotate', order: [0, 7] }]);
    expect(store.generations.map((g) => g.map((f) => f.key))).toEqual([['a'], ['a', 'c', 'e'], ['a', 'e', 'c']]);
    const dir = mkdtempSync(join(tmpdir(), 'recovery-model-'));
    try {
      const files = writeModelStore(store, 'spec', dir);
      const recovery = await VersionedRecovery.fromFiles([files[0].path, files[2].path]);
      const truth = (t: number) => modelStateAt(store.writes, t).map((w) => [w.scope, w.key, w.value, w.ts]);
      expect(simple(recovery.current())).toEqual(truth(Infinity));
      expect(simple(recovery.current()).map((r) => [r[1], r[3]])).toEqual([['a', T0], ['c', T0], ['e', T0 + SECOND]]);
      expect(simple(recovery.stateAt(T0))).toEqual(truth(T0));
      for (const t of [T0 - 1, T0, T0 + SECOND, Infinity]) {
        if (recovery.isCompleteAt(t)) expect(simple(recovery.stateAt(t)), `state at ${t}`).toEqual(truth(t));
      }
      // The archive's number is a guess: the join is not claimed known.
      expect(recovery.isCompleteAt(T0)).toBe(false);
      expect(recovery.generations.map((g) => [g.inferred, g.gapBefore])).toEqual([[true, false], [false, true]]);
      expect(recovery.problems.map((p) => p.reason)).not.toContain('timestamp-out-of-order');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never estimates a compacted prefix shorter than the true one', () => {
    // The estimate the index makes for a generation whose predecessor it does not have.
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), layout, (ops, lay) => {
        const store = runModel(ops);
        const live = new Set<string>();
        store.generations.forEach((frames, g) => {
          const restated = g === 0 ? 0 : live.size;
          if (g > 0) {
            const file: StoreFile = { path: `s.jrn.${g}`, relativePath: `s.jrn.${g}`, store: 's', kind: 'journal', generation: g, nameTimestamp: null, inSnapshots: false, size: 0 };
            const source = { generation: g, inferred: false, anchored: true, file, duplicates: [], active: true };
            const scanned = scanJournal(modelJournalBytes(frames, lay), { file: file.path });
            const result = ingestGeneration(new IndexState(), source, scanned, null, null, {});
            if (result.status !== 'indexed') throw new Error(`generation ${g} was not indexed`);
            expect(result.cursor.info.restated).toBeGreaterThanOrEqual(restated);
            expect(result.cursor.info.restated).toBeLessThanOrEqual(frames.length);
          }
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
