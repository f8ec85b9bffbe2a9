import { describe, expect, it } from 'vitest';
import { TimelineIndex } from '../../../src/engine/timeline';
import { allFixtureStores, fixtureDir, manifestValue, readManifest, type ManifestRow } from '../../support/fixtures';

const rowsOf = (rows: { scope: number; key: string; value: unknown; validFrom: number }[]) =>
  rows.map((r) => ({ scope: r.scope, key: r.key, value: manifestValue(r.value as never), ts: r.validFrom }));

describe.each(allFixtureStores())('timeline index on fixture $layout/$scenario', ({ dir, scenario }) => {
  const manifest = readManifest(dir);
  // The spec and upstream-head stores hold the same writes as the reference ones, whose
  // manifests also list the ops.
  const ops = readManifest(fixtureDir('reference-4255c9b1', scenario)).ops ?? [];
  const writes = ops.filter((o) => (o.op === 'insert' || o.op === 'remove') && o.ts !== null);

  it('answers state at every point_in_time exactly, with the total', async () => {
    const index = await TimelineIndex.open(dir);
    for (const point of manifest.point_in_time) {
      const page = index.stateAt(point.at_ts, { limit: 10_000 });
      expect(rowsOf(page.rows), `state at ${point.at_ts}`).toEqual(point.recovered);
      expect(page.total).toBe(point.recovered.length);
      expect(page.complete).toBe(true);
    }
  });

  it('gives the same answers when files are scanned on a worker thread', async () => {
    const here = await TimelineIndex.open(dir, { scanWorker: false });
    const there = await TimelineIndex.open(dir, { scanWorker: true });
    expect(there.summary()).toEqual(here.summary());
    for (const point of manifest.point_in_time) {
      expect(there.stateAt(point.at_ts, { limit: 10_000 })).toEqual(here.stateAt(point.at_ts, { limit: 10_000 }));
    }
  });

  it('pages and filters the state consistently with the full answer', async () => {
    const index = await TimelineIndex.open(dir);
    for (const point of manifest.point_in_time) {
      const all = point.recovered;
      const page = index.stateAt(point.at_ts, { offset: 1, limit: 2 });
      expect(rowsOf(page.rows)).toEqual(all.slice(1, 3));
      const desc = index.stateAt(point.at_ts, { order: 'desc', limit: 10_000 });
      expect(rowsOf(desc.rows)).toEqual([...all].reverse());
      const scope2 = index.stateAt(point.at_ts, { scope: 2, limit: 10_000 });
      expect(rowsOf(scope2.rows)).toEqual(all.filter((r) => r.scope === 2));
      expect(scope2.total).toBe(all.filter((r) => r.scope === 2).length);
      const sub = index.stateAt(point.at_ts, { keySubstring: 'a', limit: 10_000 });
      expect(sub.total).toBe(all.filter((r) => r.key.includes('a')).length);
    }
  });

  it('answers getAt for every key at every point, and latest as the final state', async () => {
    const index = await TimelineIndex.open(dir);
    const keys = new Map<string, { scope: number; key: string }>();
    for (const p of manifest.point_in_time) for (const r of p.recovered) keys.set(`${r.scope}/${r.key}`, r);
    for (const point of manifest.point_in_time) {
      for (const { scope, key } of keys.values()) {
        const expected = point.recovered.find((r) => r.scope === scope && r.key === key) ?? null;
        const got = index.getAt(scope, key, point.at_ts).version;
        expect(got && { scope: got.scope, key: got.key, value: manifestValue(got.value), ts: got.validFrom }).toEqual(expected);
      }
    }
    const latest = [...keys.values()]
      .map(({ scope, key }) => index.latest(scope, key).version)
      .filter((v) => v !== null)
      .map((v) => ({ scope: v!.scope, key: v!.key, value: manifestValue(v!.value), ts: v!.validFrom }))
      .sort((a, b) => a.scope - b.scope || (a.key < b.key ? -1 : 1));
    expect(latest).toEqual(manifest.final_state);
  });

  it('counts each write once: restated prefixes are not writes', async () => {
    const index = await TimelineIndex.open(dir);
    const log = index.changes(null, null, { limit: 10_000 });
    expect(log.total).toBe(writes.length);
    expect(log.writes.map((w) => [w.scope, w.key, w.timestamp])).toEqual(writes.map((w) => [w.scope, w.key, w.ts]));
    const summary = index.summary();
    expect(summary.generations.reduce((n, g) => n + g.writes, 0)).toBe(writes.length);
    expect(summary.incomplete).toEqual([]);
  });

  it('marks superseded same-timestamp writes in the write log', async () => {
    const index = await TimelineIndex.open(dir);
    const log = index.changes(null, null, { limit: 10_000 }).writes;
    log.forEach((w, i) => {
      const later = log.slice(i + 1).some((o) => o.scope === w.scope && o.key === w.key && o.timestamp === w.timestamp);
      expect(w.superseded, `${w.key}@${w.timestamp}`).toBe(later);
    });
  });

  it('lists history as versions whose validity overlaps [from, to]', async () => {
    const index = await TimelineIndex.open(dir);
    const points = manifest.point_in_time;
    const keys = new Set(points.flatMap((p) => p.recovered.map((r) => `${r.scope}\u0000${r.key}`)));
    for (const k of keys) {
      const [scopeText, key] = k.split('\u0000');
      const scope = Number(scopeText);
      // Expected versions: distinct (ts, value) the key shows across all points in time.
      const seen = new Map<number, ManifestRow>();
      for (const p of points) {
        const r = p.recovered.find((row) => row.scope === scope && row.key === key);
        if (r) seen.set(r.ts, r);
      }
      const expected = [...seen.values()].sort((a, b) => a.ts - b.ts);
      const got = index.history(scope, key).versions;
      expect(got.map((v) => ({ scope, key, value: manifestValue(v.value), ts: v.validFrom }))).toEqual(expected);
      for (let i = 0; i + 1 < got.length; i++) expect(got[i].validTo).not.toBeNull();
      const desc = index.history(scope, key, { order: 'desc' }).versions;
      expect(desc.map((v) => v.validFrom)).toEqual(got.map((v) => v.validFrom).reverse());
      // A limit keeps the first versions in the order asked for, and the total counts them all.
      const all = index.history(scope, key, { tombstones: true });
      expect(all.total).toBe(all.versions.length);
      for (const order of ['asc', 'desc'] as const) {
        const full = index.history(scope, key, { tombstones: true, order }).versions;
        const first = index.history(scope, key, { tombstones: true, order, limit: 1 });
        expect([first.total, first.versions.map((v) => v.validFrom)]).toEqual([full.length, full.slice(0, 1).map((v) => v.validFrom)]);
      }
      if (got.length > 1) {
        // A range covering only the second version's start still includes the first if it was valid then.
        const t = got[1].validFrom;
        const ranged = index.history(scope, key, { from: t, to: t }).versions;
        expect(ranged.map((v) => v.validFrom)).toEqual([t]);
      }
    }
  });

  it('diffs two points in time as the difference of their states', async () => {
    const index = await TimelineIndex.open(dir);
    const points = manifest.point_in_time;
    for (let i = 0; i + 1 < points.length; i += 2) {
      const a = points[i];
      const b = points[Math.min(points.length - 1, i + 3)];
      const before = new Map(a.recovered.map((r) => [`${r.scope}/${r.key}`, r]));
      const after = new Map(b.recovered.map((r) => [`${r.scope}/${r.key}`, r]));
      const expected = { added: 0, removed: 0, changed: 0 };
      for (const [k, r] of after) {
        const old = before.get(k);
        if (!old) expected.added++;
        else if (JSON.stringify(old.value) !== JSON.stringify(r.value)) expected.changed++;
      }
      for (const k of before.keys()) if (!after.has(k)) expected.removed++;
      const d = index.diff(a.at_ts, b.at_ts, { limit: 10_000 });
      expect({ added: d.counts.added, removed: d.counts.removed, changed: d.counts.changed }).toEqual(expected);
    }
  });

  it('steps to the next and previous change', async () => {
    const index = await TimelineIndex.open(dir);
    const times = [...new Set(writes.map((w) => w.ts as number))];
    for (let i = 0; i < times.length; i++) {
      expect(index.nextChange(times[i] - 1)).toBe(times[i]);
      expect(index.prevChange(times[i] + 1)).toBe(times[i]);
    }
    expect(index.nextChange(times[times.length - 1])).toBeNull();
  });

  it('bins writes and deletes in a histogram whose live counts match the states', async () => {
    const index = await TimelineIndex.open(dir);
    const times = writes.map((w) => w.ts as number);
    const from = times[0];
    const to = times[times.length - 1];
    const bins = index.histogram(from, to, 7);
    expect(bins).toHaveLength(7);
    // A delete is a remove(), or an insert of an empty value (upstream's other way to delete).
    const deletes = writes.filter((w) => w.op === 'remove' || w.value === null).length;
    expect(bins.reduce((n, b) => n + b.deletes, 0)).toBe(deletes);
    expect(bins.reduce((n, b) => n + b.writes, 0)).toBe(writes.length - deletes);
    const last = bins[bins.length - 1];
    expect(last.liveAtEnd).toBe(manifest.final_state.length);
    for (const bin of bins.slice(0, -1)) {
      expect(bin.liveAtEnd).toBe(index.stateAt(bin.to - 1, { limit: 0 }).total);
    }
  });
});
