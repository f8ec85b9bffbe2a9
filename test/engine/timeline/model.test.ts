import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimelineIndex } from '../../../src/engine/timeline';
import { modelStateAt, runModel, T0, writeModelStore, type Damage, type ModelStore, type ModelWrite, type WrittenFile } from '../recovery/modelStore';
import { modelDamage, modelLayout, modelOp } from '../recovery/modelArbitraries';

// The same random stores for recovery and for the index: see modelArbitraries.ts.
const [op, layout, damage] = [modelOp, modelLayout, modelDamage];

const LATEST = Number.MAX_SAFE_INTEGER;

type ModelCase = { store: ModelStore; files: WrittenFile[]; kept: string[]; dmg: Damage | undefined };

/**
 * A random store written by the model writer, some files dropped and one maybe damaged
 * (`whole`: mostly neither, for checks that need complete answers).
 */
function modelProperty(check: (c: ModelCase) => Promise<void>, whole = false) {
  const drops = whole ? fc.oneof(fc.constant(0), fc.constant(0), fc.nat()) : fc.nat();
  const damages = whole ? fc.constant(undefined) : damage;
  return fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), layout, drops, damages, async (ops, lay, dropMask, dmg) => {
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

describe('TimelineIndex diff against a model writer', () => {
  const filter = fc.record({
    scope: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
    keyPrefix: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
  });

  it('lists, in key order, every key whose state differs between T1 and T2, in either direction', async () => {
    let checked = 0;
    await fc.assert(
      modelProperty(async ({ store, kept }) => {
        const index = await TimelineIndex.openFiles(kept);
        const times = [T0 - 1, ...store.writes.map((w) => w.ts), LATEST];
        await fc.assert(
          fc.asyncProperty(fc.nat(times.length - 1), fc.nat(times.length - 1), filter, fc.boolean(), fc.nat(4), fc.integer({ min: 1, max: 5 }), async (i, j, f, rewritten, offset, limit) => {
            const [t1, t2] = [times[i], times[j]];
            const got = index.diff(t1, t2, { ...f, includeRewritten: rewritten, offset, limit });
            if (!got.complete) return;
            checked++;
            const expected = modelDiff(store.writes, t1, t2, f).filter((e) => rewritten || e.kind !== 'rewritten');
            expect(got.total).toBe(expected.length);
            for (const kind of ['added', 'removed', 'changed', 'rewritten'] as const) {
              expect(got.counts[kind], kind).toBe(expected.filter((e) => e.kind === kind).length);
            }
            const page = got.entries.map((e) => [e.kind, e.scope, e.key, e.before?.validFrom ?? null, e.before?.value ?? null, e.after?.validFrom ?? null, e.after?.value ?? null]);
            expect(page).toEqual(expected.slice(offset, offset + limit).map((e) => [e.kind, e.scope, e.key, e.before?.ts ?? null, e.before?.value ?? null, e.after?.ts ?? null, e.after?.value ?? null]));
          }),
          { numRuns: 10 },
        );
      }, true),
      { numRuns: 100 },
    );
    // Dropped files and damage make many diffs incomplete; enough must still be checked.
    expect(checked).toBeGreaterThan(100);
  });
});

/** The diff by definition: the latest write of each key at both times, compared. */
function modelDiff(writes: ModelWrite[], t1: number, t2: number, f: { scope?: number; keyPrefix?: string }) {
  const latestAt = (t: number) => {
    const latest = new Map<string, ModelWrite>();
    for (const w of writes) if (w.ts <= t) latest.set(`${w.scope}/${w.key}`, w);
    return latest;
  };
  const [a, b] = [latestAt(t1), latestAt(t2)];
  const keys = [...new Set([...a.keys(), ...b.keys()])].map((k) => (a.get(k) ?? b.get(k))!);
  keys.sort((x, y) => x.scope - y.scope || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const out: { kind: string; scope: number; key: string; before: ModelWrite | null; after: ModelWrite | null }[] = [];
  for (const { scope, key } of keys) {
    if (f.scope !== undefined && scope !== f.scope) continue;
    if (f.keyPrefix && !key.startsWith(f.keyPrefix)) continue;
    const w1 = a.get(`${scope}/${key}`) ?? null;
    const w2 = b.get(`${scope}/${key}`) ?? null;
    const before = w1?.value != null ? w1 : null;
    const after = w2?.value != null ? w2 : null;
    if (w1 === w2 || (!before && !after)) continue;
    const kind = !before ? 'added' : !after ? 'removed' : JSON.stringify(before.value, big) === JSON.stringify(after.value, big) ? 'rewritten' : 'changed';
    out.push({ kind, scope, key, before, after });
  }
  return out;
}

function big(_: string, v: unknown) {
  return typeof v === 'bigint' ? `${v}n` : v;
}
