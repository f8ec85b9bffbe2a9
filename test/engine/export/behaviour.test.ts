import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExportError, exportHistory, exportState, PARQUET_SCHEMA } from '../../../src/engine/export';
import { fromTagged, toTagged } from '../../../src/engine/format/taggedJson';
import { valuesEqual, type StateValue } from '../../../src/engine/format/value';
import { TimelineIndex, toJson } from '../../../src/engine/timeline';
import { fixtureDir } from '../../support/fixtures';
import { csvObjects } from './csv';
import { duck, tempDir, TRICKY, writeStore } from './support';

/** Reads a CSV/Parquet typed text back into a value (the inverse the docs promise). */
function fromText(type: string, text: string): StateValue {
  switch (type) {
    case 'string':
      return { kind: 'string', value: text };
    case 'int':
      return { kind: 'int', value: BigInt(text) };
    case 'double':
      return { kind: 'double', value: text === '-0' ? -0 : Number(text) };
    case 'bool':
      return { kind: 'bool', value: text === 'true' };
    case 'bytes':
      return { kind: 'bytes', value: new Uint8Array(Buffer.from(text, 'base64')) };
    default:
      return fromTagged(JSON.parse(text));
  }
}

describe('exports of values and keys that need care', () => {
  it('CSV quotes per RFC 4180, keeps "" apart from a missing value, and types every value exactly', async () => {
    const dir = await writeStore(TRICKY);
    const index = await TimelineIndex.open(dir);
    const at = 1_012;
    const file = join(tempDir(), 'tricky.csv');
    await exportState(index, { at, format: 'csv', out: file });
    const rows = csvObjects(readFileSync(file, 'utf8'));
    const expected = index.stateAt(at, { limit: 1000 }).rows;
    expect(rows.map((r) => [Number(r.scope), r.key])).toEqual(expected.map((r) => [r.scope, r.key]));
    for (const [i, row] of rows.entries()) {
      expect(row.type).toBe(expected[i].value!.kind);
      expect(valuesEqual(fromText(row.type!, row.value!), expected[i].value)).toBe(true);
    }
    const byKey = new Map(rows.map((r) => [r.key, r]));
    expect(byKey.get('empty')!.value).toBe('');
    expect(byKey.get('')!.value).toBe('empty key');
    expect(byKey.get('line\nbreak')!.value).toBe('one\r\ntwo');
    expect(byKey.get('quote"key')!.value).toBe('say "hi"');
    expect(byKey.get('negzero')!.value).toBe('-0');
    expect(byKey.get('nan')!.value).toBe('NaN');
    expect(byKey.get('int')!.value).toBe('-9223372036854775808');
    expect(byKey.get('list')!.value).toBe('{"list":[{"string":"x"},{"int":"1"}]}');
    // open-ended versions have no validTo
    expect(byKey.get('int')!.validTo).toBeNull();
  });

  it('JSON and NDJSON carry every value in the tagged form, exactly', async () => {
    const dir = await writeStore(TRICKY);
    const index = await TimelineIndex.open(dir);
    const out = tempDir();
    await exportHistory(index, { format: 'ndjson', out: join(out, 'h.ndjson') });
    const got = readFileSync(join(out, 'h.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const plain = got.filter((r) => r.key === 'plain');
    expect(plain.map((r) => [r.value, r.validFrom, r.validTo])).toEqual([
      [{ string: 'v' }, 1_000, 1_020],
      [{ string: 'v2' }, 1_020, 1_022],
      [null, 1_022, 1_030],
      [{ string: 'back' }, 1_030, null],
    ]);
    const big = got.find((r) => r.key === 'big');
    expect(big.value).toEqual({ int: '9223372036854775807' });
    const map = got.find((r) => r.key === 'map');
    expect(map.value).toEqual(toTagged({ kind: 'map', value: new Map<string, StateValue>([['a', { kind: 'bool', value: true }]]) }));
    expect(got.find((r) => r.key === 'nan').value).toEqual({ double: 'NaN' });
  });

  it('Parquet has the documented schema and DuckDB casts the typed text back', async () => {
    const dir = await writeStore(TRICKY);
    const index = await TimelineIndex.open(dir);
    const file = join(tempDir(), 'tricky.parquet');
    await exportHistory(index, { format: 'parquet', out: file });
    const schema = await duck(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    expect(schema.map((c) => [c.column_name, c.column_type])).toEqual([
      ['scope', 'INTEGER'],
      ['key', 'VARCHAR'],
      ['type', 'VARCHAR'],
      ['value', 'VARCHAR'],
      ['validFrom', 'TIMESTAMP WITH TIME ZONE'],
      ['validTo', 'TIMESTAMP WITH TIME ZONE'],
      ['deleted', 'BOOLEAN'],
    ]);
    expect(PARQUET_SCHEMA.map((e) => e.name).slice(1)).toEqual(schema.map((c) => c.column_name));
    const ints = await duck(`SELECT key, CAST(value AS BIGINT)::VARCHAR AS v FROM read_parquet('${file}') WHERE type = 'int' ORDER BY key`);
    expect(ints).toEqual([
      { key: 'big', v: '9223372036854775807' },
      { key: 'int', v: '-9223372036854775808' },
    ]);
    const text = await duck(`SELECT value FROM read_parquet('${file}') WHERE key = 'line\nbreak'`);
    expect(text).toEqual([{ value: 'one\r\ntwo' }]);
    const deleted = await duck(`SELECT key, epoch_us(validFrom)::VARCHAR AS f FROM read_parquet('${file}') WHERE deleted ORDER BY f`);
    expect(deleted).toEqual([
      { key: 'comma,key', f: '1021' },
      { key: 'plain', f: '1022' },
    ]);
  });

  it('a journal export keeps every value type and its timestamp', async () => {
    const dir = await writeStore(TRICKY);
    const index = await TimelineIndex.open(dir);
    const strip = (rows: { validTo: unknown }[]) => rows.map(({ validTo: _validTo, ...rest }) => rest);
    const source = toJson(index.stateAt(1_025, { limit: 1000 }).rows) as { validTo: unknown }[];
    const out = join(tempDir(), 'restore');
    const result = await exportState(index, { at: 1_025, format: 'journal', out });
    expect(result.rows).toBe(source.length);
    expect(readdirSync(out)).toEqual(['tricky.jrn.0']);
    const copy = await TimelineIndex.open(out);
    expect(copy.summary().generations[0].layout).toMatchObject({ headerVariant: 'v9', payloadLayout: 'state-value' });
    expect(strip(toJson(copy.stateAt(Number.MAX_SAFE_INTEGER, { limit: 1000 }).rows) as { validTo: unknown }[])).toEqual(strip(source));
  });

  it.each([1, 3])('a journal export can change the layout and the name (scope %i)', async (scope) => {
    const dir = await writeStore(TRICKY);
    const index = await TimelineIndex.open(dir);
    const out = join(tempDir(), 'restore');
    await exportState(index, { at: 1_025, format: 'journal', out, layout: 'spec', storeName: 'copy', filter: { scope } });
    expect(readdirSync(out)).toEqual(['copy.jrn.0']);
    const copy = await TimelineIndex.open(out);
    expect(copy.summary().generations[0].layout).toMatchObject({ headerVariant: 'v17', payloadLayout: 'key-value-pair' });
    const strip = (rows: { validTo: unknown }[]) => rows.map(({ validTo: _validTo, ...rest }) => rest);
    const source = toJson(index.stateAt(1_025, { scope, limit: 1000 }).rows) as { validTo: unknown }[];
    expect(source.length).toBeGreaterThan(3);
    expect(strip(toJson(copy.stateAt(Number.MAX_SAFE_INTEGER, { limit: 1000 }).rows) as { validTo: unknown }[])).toEqual(strip(source));
  });

  it('filters by scope, key prefix and substring', async () => {
    const dir = await writeStore(TRICKY);
    const index = await TimelineIndex.open(dir);
    const out = tempDir();
    const keysOf = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l).key);
    await exportState(index, { at: 1_100, format: 'ndjson', out: join(out, 'a'), filter: { scope: 1 } });
    expect(keysOf(join(out, 'a'))).toEqual(['big', 'bool', 'double', 'inf', 'int', 'nan', 'negzero']);
    await exportHistory(index, { format: 'ndjson', out: join(out, 'b'), filter: { keyPrefix: 'pl' } });
    expect(keysOf(join(out, 'b'))).toEqual(['plain', 'plain', 'plain', 'plain']);
    await exportState(index, { at: 1_100, format: 'ndjson', out: join(out, 'c'), filter: { keySubstring: 'e', scope: 3 } });
    expect(keysOf(join(out, 'c'))).toEqual(['bytes', 'unicode.κλειδί 🔑']);
    const j = join(out, 'd');
    await exportState(index, { at: 1_100, format: 'journal', out: j, filter: { scope: 2 } });
    const copy = await TimelineIndex.open(j);
    expect(copy.stateAt(2_000, { limit: 100 }).rows.map((r) => r.key)).toEqual(['', 'empty', 'line\nbreak', 'plain', 'quote"key']);
  });

  it('writes valid empty outputs when nothing matches', async () => {
    const index = await TimelineIndex.open(fixtureDir('spec', 'small'));
    const out = tempDir();
    const filter = { keyPrefix: 'no-such-key' };
    await exportState(index, { at: 1704067209000000, format: 'json', out: join(out, 'e.json'), filter });
    expect(JSON.parse(readFileSync(join(out, 'e.json'), 'utf8'))).toMatchObject({ total: 0, rows: [] });
    await exportState(index, { at: 1704067209000000, format: 'csv', out: join(out, 'e.csv'), filter });
    expect(readFileSync(join(out, 'e.csv'), 'utf8')).toBe('scope,key,type,value,validFrom,validTo,validFromIso,validToIso\r\n');
    await exportHistory(index, { format: 'parquet', out: join(out, 'e.parquet'), filter });
    expect(await duck(`SELECT count(*)::INT AS n FROM read_parquet('${join(out, 'e.parquet')}')`)).toEqual([{ n: 0 }]);
    const result = await exportState(index, { at: 0, format: 'journal', out: join(out, 'j') });
    expect(result.rows).toBe(0);
    expect(readdirSync(join(out, 'j'))).toEqual(['small.jrn.0']);
  });

  it('streams to a writable with back-pressure', async () => {
    const index = await TimelineIndex.open(fixtureDir('spec', 'rotated'));
    const chunks: Buffer[] = [];
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        writes++;
        chunks.push(chunk);
        setTimeout(callback, 1);
      },
    });
    const result = await exportHistory(index, { format: 'ndjson', out: slow, rowGroupSize: 5 });
    expect(result.path).toBeNull();
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(result.rows);
    expect(writes).toBeGreaterThan(0);
    expect(result.bytes).toBe(Buffer.byteLength(text));
  });

  it('reports progress per batch, so memory holds one batch', async () => {
    const index = await TimelineIndex.open(fixtureDir('reference-4255c9b1', 'rotated'));
    const calls: [number, number][] = [];
    const result = await exportHistory(index, { format: 'csv', out: join(tempDir(), 'p.csv'), rowGroupSize: 4, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls.length).toBe(Math.ceil(result.rows / 4));
    expect(calls.at(-1)).toEqual([result.rows, result.rows]);
    calls.forEach(([done], i) => expect(done).toBe(Math.min((i + 1) * 4, result.rows)));
  });
});

describe('export safety', () => {
  it('refuses an output inside the store folder (also through a symlink), writing nothing', async () => {
    const dir = await writeStore(TRICKY);
    const index = await TimelineIndex.open(dir);
    const before = readdirSync(dir);
    await expect(exportState(index, { at: 1_100, format: 'csv', out: join(dir, 'x.csv') })).rejects.toThrow(ExportError);
    await expect(exportHistory(index, { format: 'parquet', out: join(dir, 'sub', 'x.parquet') })).rejects.toThrow(/inside the store folder/);
    await expect(exportState(index, { at: 1_100, format: 'journal', out: dir })).rejects.toThrow(/inside the store folder/);
    const link = join(tempDir(), 'link');
    symlinkSync(dir, link);
    await expect(exportState(index, { at: 1_100, format: 'ndjson', out: join(link, 'y.ndjson') })).rejects.toThrow(/inside the store folder/);
    expect(readdirSync(dir)).toEqual(before);
  });

  it('refuses to replace an existing file unless asked, and a non-empty folder for a journal', async () => {
    const index = await TimelineIndex.open(fixtureDir('spec', 'small'));
    const out = tempDir();
    const file = join(out, 'x.json');
    writeFileSync(file, 'keep');
    await expect(exportState(index, { at: 1704067209000000, format: 'json', out: file })).rejects.toThrow(/already exists/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
    await exportState(index, { at: 1704067209000000, format: 'json', out: file, overwrite: true });
    expect(JSON.parse(readFileSync(file, 'utf8')).total).toBe(7);
    mkdirSync(join(out, 'full'));
    writeFileSync(join(out, 'full', 'other'), '');
    await expect(exportState(index, { at: 1704067209000000, format: 'journal', out: join(out, 'full') })).rejects.toThrow(/not empty/);
    await expect(exportHistory(index, { format: 'xml' as never, out: join(out, 'h.xml') })).rejects.toThrow(/unknown history export format/);
    await expect(exportHistory(index, { format: 'journal' as never, out: join(out, 'h') })).rejects.toThrow(ExportError);
    expect(readdirSync(out).sort()).toEqual(['full', 'x.json']);
  });

  it.each(['json', 'ndjson', 'csv', 'parquet'] as const)('cancelling a %s export deletes the partial file', async (format) => {
    const index = await TimelineIndex.open(fixtureDir('reference-4255c9b1', 'rotated'));
    const out = tempDir();
    const controller = new AbortController();
    const promise = exportHistory(index, {
      format,
      out: join(out, `h.${format}`),
      rowGroupSize: 3,
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 6) controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(out)).toEqual([]);
  });

  it('cancelling a journal export removes the folder it created', async () => {
    const index = await TimelineIndex.open(fixtureDir('reference-4255c9b1', 'rotated'));
    const parent = tempDir();
    const controller = new AbortController();
    const promise = exportState(index, {
      at: 1704067244000000,
      format: 'journal',
      out: join(parent, 'restore'),
      rowGroupSize: 2,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(existsSync(join(parent, 'restore'))).toBe(false);
    // An empty folder given by the caller stays, emptied.
    mkdirSync(join(parent, 'given'));
    const again = new AbortController();
    await expect(
      exportState(index, { at: 1704067244000000, format: 'journal', out: join(parent, 'given'), rowGroupSize: 2, signal: again.signal, onProgress: () => again.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(join(parent, 'given'))).toEqual([]);
  });

  it('an already aborted signal writes nothing', async () => {
    const index = await TimelineIndex.open(fixtureDir('spec', 'small'));
    const out = tempDir();
    await expect(exportHistory(index, { format: 'csv', out: join(out, 'h.csv'), signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('exports over incomplete history', () => {
  it('say where history is incomplete, in the result, the JSON document and the Parquet metadata', async () => {
    const copy = join(tempDir(), 'gap');
    cpSync(fixtureDir('reference-4255c9b1', 'rotated'), copy, { recursive: true });
    rmSync(join(copy, 'manifest.json'));
    const snapshots = readdirSync(join(copy, 'snapshots')).sort();
    rmSync(join(copy, 'snapshots', snapshots.find((f) => f.includes('.g0.'))!)); // the oldest archive
    const index = await TimelineIndex.open(copy);
    const out = tempDir();
    const early = 1704067201000000;
    const result = await exportState(index, { at: early, format: 'json', out: join(out, 's.json') });
    expect(result.complete).toBe(false);
    expect(result.incomplete.length).toBeGreaterThan(0);
    const doc = JSON.parse(readFileSync(join(out, 's.json'), 'utf8'));
    expect(doc.complete).toBe(false);
    expect(doc.incomplete).toEqual(result.incomplete);
    const history = await exportHistory(index, { format: 'parquet', out: join(out, 'h.parquet') });
    expect(history.complete).toBe(false);
    const meta = await duck(`SELECT decode(value) AS v FROM parquet_kv_metadata('${join(out, 'h.parquet')}') WHERE decode(key) = 'journal-explorer'`);
    expect(JSON.parse(meta[0].v as string)).toMatchObject({ kind: 'history', complete: false });
  });
});
