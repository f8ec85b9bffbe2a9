import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportHistory, exportState } from '../../../src/engine/export';
import { TimelineIndex, toJson, type VersionRow } from '../../../src/engine/timeline';
import { verifyStore } from '../../../src/engine/verify';
import { allFixtureStores, manifestValue, readManifest } from '../../support/fixtures';
import { csvObjects } from './csv';
import { duck, tempDir } from './support';

/** Rows as the JSON exports write them. */
const asJson = (rows: VersionRow[]) => toJson(rows) as Record<string, unknown>[];

/** Every version of every key via the query API (the reference for history exports). */
function allVersions(index: TimelineIndex): Record<string, unknown>[] {
  const { keys } = index.internals;
  const out: Record<string, unknown>[] = [];
  for (const id of keys.sortedIds()) out.push(...asJson(index.history(keys.scopeOf(id), keys.keyOf(id), { tombstones: true }).versions));
  return out;
}

/** The typed text of a fixture value (string, int, double, bool), computed independently. */
function text(value: Record<string, unknown> | null): string | null {
  if (value === null) return null;
  const [[kind, v]] = Object.entries(value);
  if (kind === 'bool') return v ? 'true' : 'false';
  return String(v);
}

const csvRowsOf = (rows: Record<string, unknown>[]) =>
  rows.map((r) => ({
    scope: String(r.scope),
    key: r.key,
    type: r.value === null ? null : Object.keys(r.value as object)[0],
    value: text(r.value as Record<string, unknown> | null),
    validFrom: String(r.validFrom),
    validTo: r.validTo === null ? null : String(r.validTo),
    validFromIso: new Date(Number(r.validFrom) / 1000).toISOString().replace('.000Z', 'Z'),
    validToIso: r.validTo === null ? null : new Date(Number(r.validTo) / 1000).toISOString().replace('.000Z', 'Z'),
  }));

describe.each(allFixtureStores())('exports of fixture $layout/$scenario', ({ dir }) => {
  const manifest = readManifest(dir);
  const points = manifest.point_in_time;

  it('exports the state at every point in time as JSON, NDJSON and CSV, equal to stateAt and the manifest', async () => {
    const index = await TimelineIndex.open(dir);
    const out = tempDir();
    for (const [i, point] of points.entries()) {
      const expected = asJson(index.stateAt(point.at_ts, { limit: 10_000 }).rows);
      expect(expected.map((r) => ({ scope: r.scope, key: r.key, value: r.value, ts: r.validFrom }))).toEqual(point.recovered);

      const json = join(out, `s${i}.json`);
      const r1 = await exportState(index, { at: point.at_ts, format: 'json', out: json, rowGroupSize: 2 });
      const doc = JSON.parse(readFileSync(json, 'utf8'));
      expect(doc.rows).toEqual(expected);
      expect(doc).toMatchObject({ store: index.store, at: point.at_ts, total: expected.length, complete: true, incomplete: [] });
      expect(r1).toMatchObject({ rows: expected.length, keys: expected.length, complete: true, path: json });

      const nd = join(out, `s${i}.ndjson`);
      await exportState(index, { at: point.at_ts, format: 'ndjson', out: nd, rowGroupSize: 3 });
      const lines = readFileSync(nd, 'utf8').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l))).toEqual(expected);

      const csv = join(out, `s${i}.csv`);
      await exportState(index, { at: point.at_ts, format: 'csv', out: csv });
      const csvText = readFileSync(csv, 'utf8');
      expect(csvText.startsWith('scope,key,type,value,validFrom,validTo,validFromIso,validToIso\r\n')).toBe(true);
      expect(csvObjects(csvText)).toEqual(csvRowsOf(expected));
    }
  });

  it('exports the full history as NDJSON, JSON and CSV: every version, deletes with value null', async () => {
    const index = await TimelineIndex.open(dir);
    const out = tempDir();
    const expected = allVersions(index);
    expect(expected.some((r) => r.value === null) || index.store === 'm').toBe(true);

    const nd = join(out, 'h.ndjson');
    const result = await exportHistory(index, { format: 'ndjson', out: nd, rowGroupSize: 4 });
    const got = readFileSync(nd, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(got).toEqual(expected);
    expect(result.rows).toBe(expected.length);
    expect(result.tombstones).toBe(expected.filter((r) => r.value === null).length);
    expect(result.keys).toBe(new Set(expected.map((r) => `${r.scope}/${r.key}`)).size);

    // Each version's value matches what the manifest's points in time show at its validFrom.
    for (const v of got.filter((r) => r.value !== null)) {
      const point = points.find((p) => p.at_ts === v.validFrom);
      if (point) expect(point.recovered).toContainEqual({ scope: v.scope, key: v.key, value: v.value, ts: v.validFrom });
    }

    const json = join(out, 'h.json');
    await exportHistory(index, { format: 'json', out: json });
    expect(JSON.parse(readFileSync(json, 'utf8')).versions).toEqual(expected);

    const csv = join(out, 'h.csv');
    await exportHistory(index, { format: 'csv', out: csv, rowGroupSize: 5 });
    const rows = csvObjects(readFileSync(csv, 'utf8'));
    expect(rows).toEqual(csvRowsOf(expected).map((r, i) => ({ ...r, deleted: expected[i].value === null ? 'true' : 'false' })));
  });

  it('exports history and state as Parquet that DuckDB reads back exactly', async () => {
    const index = await TimelineIndex.open(dir);
    const out = tempDir();
    const expected = allVersions(index);
    const file = join(out, 'h.parquet');
    await exportHistory(index, { format: 'parquet', out: file, rowGroupSize: 7 });
    const rows = await duck(
      `SELECT scope, key, type, value, epoch_us(validFrom) AS validFrom, epoch_us(validTo) AS validTo, deleted
       FROM read_parquet('${file}', file_row_number = true) ORDER BY file_row_number`,
    );
    expect(rows).toEqual(
      expected.map((r) => ({
        scope: r.scope,
        key: r.key,
        type: r.value === null ? null : Object.keys(r.value as object)[0],
        value: text(r.value as Record<string, unknown> | null),
        validFrom: String(r.validFrom),
        validTo: r.validTo === null ? null : String(r.validTo),
        deleted: r.value === null,
      })),
    );
    const groups = await duck(`SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${file}')`);
    expect(Number(groups[0].n)).toBe(Math.ceil(expected.length / 7));

    const last = points[points.length - 1];
    const stateFile = join(out, 's.parquet');
    await exportState(index, { at: last.at_ts, format: 'parquet', out: stateFile });
    const state = await duck(`SELECT scope, key, value, epoch_us(validFrom) AS ts FROM read_parquet('${stateFile}')`);
    expect(state).toEqual(last.recovered.map((r) => ({ scope: r.scope, key: r.key, value: text(r.value as Record<string, unknown>), ts: String(r.ts) })));
  });

  it('exports the state at T as a new journal store whose latest state is stateAt(T)', async () => {
    const index = await TimelineIndex.open(dir);
    const source = index.summary().generations.at(-1)!.layout;
    for (const point of [points[0], points[Math.floor(points.length / 2)], points[points.length - 1]]) {
      const out = join(tempDir(), 'restore');
      const result = await exportState(index, { at: point.at_ts, format: 'journal', out });
      expect(result.rows).toBe(point.recovered.length);
      const copy = await TimelineIndex.open(out);
      const summary = copy.summary();
      expect(summary.store).toBe(index.store);
      expect(summary.generations.map((g) => g.relativePath)).toEqual([`${index.store}.jrn.0`]);
      expect(summary.generations[0].layout.payloadLayout).toBe(source.payloadLayout);
      expect(summary.generations[0].layout.headerVariant).toBe(source.headerVariant);
      const latest = copy.stateAt(summary.lastTimestamp ?? 0, { limit: 10_000 }).rows;
      expect(latest.map((r) => ({ scope: r.scope, key: r.key, value: manifestValue(r.value), ts: r.validFrom }))).toEqual(point.recovered);
      expect((await verifyStore(out, index.store)).ok).toBe(true);
    }
  });
});
