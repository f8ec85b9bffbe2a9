import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CANCELLED, EXIT_OK, EXIT_USAGE } from '../../src/cli/main';
import { TimelineIndex } from '../../src/engine/timeline';
import { fixtureDir, readManifest } from '../support/fixtures';
import { csvObjects } from '../engine/export/csv';
import { duck } from '../engine/export/support';
import { jrn, jrnJson, tempDir } from './helpers';

const rotated = fixtureDir('reference-4255c9b1', 'rotated');
const manifest = readManifest(rotated);
const point = manifest.point_in_time[20];

describe('jrn export', () => {
  it('exports the state at T in the format of the --out extension', async () => {
    const out = tempDir();
    for (const ext of ['json', 'ndjson', 'jsonl', 'csv', 'parquet']) {
      const file = join(out, `state.${ext}`);
      const r = await jrn(['export', rotated, '--at', String(point.at_ts), '--out', file]);
      expect(r.code, r.stderr).toBe(EXIT_OK);
      expect(r.stdout).toContain(`exported ${point.recovered.length} keys at ${new Date(point.at_ts / 1000).toISOString().replace('.000Z', 'Z')}`);
      expect(existsSync(file)).toBe(true);
    }
    const json = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8'));
    expect(json.rows.map((r: { key: string; validFrom: number }) => [r.key, r.validFrom])).toEqual(point.recovered.map((r) => [r.key, r.ts]));
    expect(csvObjects(readFileSync(join(out, 'state.csv'), 'utf8')).map((r) => r.key)).toEqual(point.recovered.map((r) => r.key));
    const parquet = await duck(`SELECT key FROM read_parquet('${join(out, 'state.parquet')}')`);
    expect(parquet.map((r) => r.key)).toEqual(point.recovered.map((r) => r.key));
  });

  it('exports the full history, and reports counts as JSON', async () => {
    const file = join(tempDir(), 'h.parquet');
    const { code, json } = await jrnJson<{ kind: string; rows: number; tombstones: number; keys: number; complete: boolean; path: string }>([
      'export',
      rotated,
      '--history',
      '--out',
      file,
      '--row-group-size',
      '10',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(json).toMatchObject({ kind: 'history', path: file, complete: true });
    const count = await duck(`SELECT count(*)::INT AS n, count(*) FILTER (WHERE deleted)::INT AS d FROM read_parquet('${file}')`);
    expect(count).toEqual([{ n: json.rows, d: json.tombstones }]);
    const writes = manifest.ops!.filter((o) => (o.op === 'insert' || o.op === 'remove') && o.ts !== null).length;
    expect(json.rows).toBe(writes); // every write once (restated copies are not versions)
  });

  it('streams text formats to standard output when there is no --out', async () => {
    const r = await jrn(['export', rotated, '--history', '--format', 'ndjson', '--scope', '2', '--prefix', 'k0']);
    expect(r.code).toBe(EXIT_OK);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.scope === 2 && row.key.startsWith('k0'))).toBe(true);
    const csv = await jrn(['export', rotated, '--at', String(point.at_ts), '--format', 'csv', '--out', '-']);
    expect(csv.stdout.startsWith('scope,key,type,value,validFrom,validTo,validFromIso,validToIso\r\n')).toBe(true);
  });

  it('exports a restore point: a new store whose state is the source state at T', async () => {
    const out = join(tempDir(), 'restore');
    const r = await jrn(['export', rotated, '--at', String(point.at_ts), '--format', 'journal', '--out', out, '--store-name', 'restored']);
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(readdirSync(out)).toEqual(['restored.jrn.0']);
    const { json } = await jrnJson<{ rows: { scope: number; key: string; value: unknown; validFrom: number }[] }>(['state', out]);
    expect(json.rows.map((r) => ({ scope: r.scope, key: r.key, value: r.value, ts: r.validFrom }))).toEqual(point.recovered);
    const index = await TimelineIndex.open(out);
    expect(index.summary().generations[0].layout).toMatchObject({ headerVariant: 'v17', payloadLayout: 'state-value' });
  });

  it('refuses what it must not do, with exit 2 and nothing written', async () => {
    const out = tempDir();
    const cases: [string[], string][] = [
      [['export', rotated, '--out', join(rotated, 'x.csv')], 'inside the store folder'],
      [['export', rotated, '--out', join(rotated, 'snapshots', 'x.csv')], 'inside the store folder'],
      [['export', rotated, '--history', '--format', 'journal', '--out', join(out, 'j')], 'a journal export is a state'],
      [['export', rotated, '--format', 'journal'], 'needs --out FOLDER'],
      [['export', rotated, '--history', '--at', '5', '--out', join(out, 'x.csv')], 'either --at T (a state) or --history'],
      [['export', rotated, '--out', join(out, 'x.xlsx')], 'cannot tell it from'],
      [['export', rotated, '--format', 'xml', '--out', join(out, 'x.xml')], '--format must be one of'],
      [['export', rotated, '--out', join(out, 'missing', 'x.csv')], 'does not exist'],
    ];
    for (const [argv, message] of cases) {
      const r = await jrn(argv);
      expect(r.code, argv.join(' ')).toBe(EXIT_USAGE);
      expect(r.stderr, argv.join(' ')).toContain(message);
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it('does not replace an existing file without --force', async () => {
    const file = join(tempDir(), 'x.json');
    writeFileSync(file, 'keep');
    const r = await jrn(['export', rotated, '--out', file]);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe('keep');
    expect((await jrn(['export', rotated, '--out', file, '--force'])).code).toBe(EXIT_OK);
    expect(JSON.parse(readFileSync(file, 'utf8')).total).toBe(manifest.final_state.length);
  });

  it('Ctrl-C cancels and removes the partial output', async () => {
    const out = tempDir();
    const controller = new AbortController();
    controller.abort();
    const r = await jrn(['export', rotated, '--history', '--out', join(out, 'h.csv')], { signal: controller.signal });
    expect(r.code).toBe(EXIT_CANCELLED);
    expect(r.stderr).toContain('cancelled');
    expect(readdirSync(out)).toEqual([]);
  });
});
