import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../../src/cli/main';
import { allFixtureStores, FIXTURES, fixtureDir, readManifest, type ManifestRow } from '../support/fixtures';
import { jrn, jrnJson, ndjson, tempDir } from './helpers';

interface StateDoc {
  store: string;
  at: number;
  total: number;
  complete: boolean;
  incomplete: unknown[];
  rows: { scope: number; key: string; value: unknown; validFrom: number; validTo: number | null }[];
}

const asManifest = (rows: StateDoc['rows']): ManifestRow[] => rows.map((r) => ({ scope: r.scope, key: r.key, value: r.value, ts: r.validFrom }));

/** A copy of the reference 'rotated' store without its oldest archive: history before it is unknown. */
function storeWithGap(): string {
  const copy = join(tempDir(), 'gap');
  cpSync(fixtureDir('reference-4255c9b1', 'rotated'), copy, { recursive: true });
  rmSync(join(copy, 'manifest.json'));
  const oldest = readdirSync(join(copy, 'snapshots')).find((f) => f.includes('.g0.'))!;
  rmSync(join(copy, 'snapshots', oldest));
  return copy;
}

describe.each(allFixtureStores())('jrn on fixture $layout/$scenario', ({ dir }) => {
  const manifest = readManifest(dir);

  it('state --json answers every point_in_time exactly, sorted by scope then key', async () => {
    for (const point of manifest.point_in_time) {
      const { code, json } = await jrnJson<StateDoc>(['state', dir, '--at', String(point.at_ts)]);
      expect(code).toBe(EXIT_OK);
      expect(asManifest(json.rows)).toEqual(point.recovered);
      expect(json).toMatchObject({ at: point.at_ts, total: point.recovered.length, complete: true, incomplete: [] });
      for (const row of json.rows) expect(Object.keys(row)).toEqual(['scope', 'key', 'value', 'validFrom', 'validTo']);
    }
  });

  it('state without --at is the final state; get without --at is latest', async () => {
    const { json } = await jrnJson<StateDoc>(['state', dir]);
    expect(asManifest(json.rows)).toEqual(manifest.final_state);
    for (const row of manifest.final_state) {
      const { json: got } = await jrnJson<{ version: { value: unknown; validFrom: number } | null }>(['get', dir, row.key, '--scope', String(row.scope)]);
      expect(got.version).toMatchObject({ value: row.value, validFrom: row.ts });
    }
  });

  it('get --at answers as-of for every key at every point (null when not set)', async () => {
    const keys = new Map<string, ManifestRow>();
    for (const p of manifest.point_in_time) for (const r of p.recovered) keys.set(`${r.scope}/${r.key}`, r);
    for (const point of manifest.point_in_time.filter((_, i) => i % 4 === 0)) {
      for (const { scope, key } of keys.values()) {
        const expected = point.recovered.find((r) => r.scope === scope && r.key === key) ?? null;
        const { json } = await jrnJson<{ version: { value: unknown; validFrom: number } | null; complete: boolean }>([
          'get',
          dir,
          key,
          '--scope',
          String(scope),
          '--at',
          String(point.at_ts),
        ]);
        expect(json.version && { scope, key, value: json.version.value, ts: json.version.validFrom }).toEqual(expected);
        expect(json.complete).toBe(true);
      }
    }
  });
});

describe('jrn state, get, history, diff, changes, stores, generations', () => {
  const small = fixtureDir('reference-4255c9b1', 'small');
  const rotated = fixtureDir('spec', 'rotated');

  it('takes ISO-8601 timestamps as well as µs, and prints both in human output', async () => {
    const iso = await jrn(['state', rotated, '--at', '2024-01-01T00:00:20Z']);
    const us = await jrn(['state', rotated, '--at', '1704067220000000']);
    expect(iso.code).toBe(EXIT_OK);
    expect(iso.stdout).toBe(us.stdout);
    expect(iso.stdout).toContain('State of "store" at 1704067220000000 (2024-01-01T00:00:20Z): 11 keys');
    expect(iso.stdout).toMatch(/^2 GlobalState\s+k06\s+string\s+"v18_padding_to_make_it_longer"\s+1704067220000000 \(2024-01-01T00:00:20Z\)/m);
    expect(iso.stderr).toBe('');
  });

  it('filters, sorts and pages the state', async () => {
    const at = '1704067209000000';
    const all = (await jrnJson<StateDoc>(['state', small, '--at', at])).json.rows;
    const scope2 = (await jrnJson<StateDoc>(['state', small, '--at', at, '--scope', 'GlobalState'])).json;
    expect(scope2.rows).toEqual(all.filter((r) => r.scope === 2));
    expect(scope2.total).toBe(scope2.rows.length);
    expect((await jrnJson<StateDoc>(['state', small, '--at', at, '--prefix', 'u'])).json.rows.map((r) => r.key)).toEqual(['unicode.κλειδί', 'user.name']);
    expect((await jrnJson<StateDoc>(['state', small, '--at', at, '--contains', 'a'])).json.rows.map((r) => r.key)).toEqual(['flag_a', 'after_clock_regression', 'ratio', 'user.name']);
    expect((await jrnJson<StateDoc>(['state', small, '--at', at, '--offset', '2', '--limit', '3'])).json.rows).toEqual(all.slice(2, 5));
    expect((await jrnJson<StateDoc>(['state', small, '--at', at, '--desc'])).json.rows).toEqual([...all].reverse());
    const byTime = (await jrnJson<StateDoc>(['state', small, '--at', at, '--sort', 'validFrom'])).json.rows.map((r) => r.validFrom);
    expect(byTime).toEqual([...byTime].sort((a, b) => a - b));
  });

  it('get finds the scope of a key, prints values typed, and says "not set"', async () => {
    const r = await jrn(['get', small, 'neg']);
    expect(r.stdout).toContain('[2 GlobalState] "neg" latest: -1');
    expect(r.stdout).toContain('type int');
    const empty = await jrn(['get', small, 'empty', '--at', '2024-01-01T00:00:08Z']);
    expect(empty.stdout).toContain('"empty" at 1704067208000000 (2024-01-01T00:00:08Z): ""');
    const before = await jrnJson(['get', small, 'count', '--at', '2024-01-01T00:00:06Z']);
    expect(before.json).toMatchObject({ scope: 2, key: 'count', at: 1704067206000000, version: null, complete: true });
    const none = await jrn(['get', small, 'no-such-key']);
    expect(none.code).toBe(EXIT_OK);
    expect(none.stdout).toContain('not set (no such key in any scope)');
  });

  it('get refuses an ambiguous key without --scope, listing the scopes', async () => {
    const dir = join(tempDir(), 'amb');
    const script = ndjson([
      { op: 'put', scope: 1, key: 'same', value: { string: 'one' }, ts: 1 },
      { op: 'put', scope: 2, key: 'same', value: { string: 'two' }, ts: 2 },
    ]);
    expect((await jrn(['script', dir], { stdin: script })).code).toBe(EXIT_OK);
    const r = await jrn(['get', dir, 'same']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain('key "same" exists in scopes 1, 2: choose one with --scope');
    expect((await jrnJson(['get', dir, 'same', '--scope', '2'])).json).toMatchObject({ version: { value: { string: 'two' } } });
  });

  it('history lists value versions (KIP-968), and deletes only with --tombstones', async () => {
    const plain = await jrnJson<{ versions: { value: unknown; validFrom: number; validTo: number | null }[] }>(['history', small, 'flag_b']);
    expect(plain.json.versions).toEqual([{ value: { bool: true }, validFrom: 1704067204000000, validTo: 1704067209000000 }]);
    const all = await jrnJson<{ versions: unknown[] }>(['history', small, 'flag_b', '--tombstones']);
    expect(all.json.versions).toEqual([
      { value: { bool: true }, validFrom: 1704067204000000, validTo: 1704067209000000 },
      { value: null, validFrom: 1704067209000000, validTo: null },
    ]);
    // flag_a: on@0s, off@5s, then two writes at 9s (the later, "same_ts", supersedes).
    const ranged = await jrnJson<{ versions: { validFrom: number }[] }>(['history', small, 'flag_a', '--from', '2024-01-01T00:00:03Z', '--to', '2024-01-01T00:00:05Z', '--desc']);
    expect(ranged.json.versions.map((v) => v.validFrom)).toEqual([1704067205000000, 1704067200000000]);
    const newest = await jrnJson<{ versions: { validFrom: number }[]; total: number }>(['history', small, 'flag_a', '--desc', '--limit', '1']);
    expect([newest.json.total, newest.json.versions.map((v) => v.validFrom)]).toEqual([ranged.json.versions.length + 1, [1704067209000000]]);
    const limitedHuman = await jrn(['history', small, 'flag_a', '--limit', '1']);
    expect(limitedHuman.stdout).toContain('3 versions (the first 1 listed)');
    const human = await jrn(['history', small, 'flag_b', '--tombstones']);
    expect(human.stdout).toMatch(/1704067209000000 \(2024-01-01T00:00:09Z\)\s+-\s+delete\s+\(deleted\)/);
    const bad = await jrn(['history', small, 'flag_a', '--from', '10', '--to', '5']);
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr).toContain('--from (10) is after --to (5)');
  });

  it('diff reports added, removed and changed keys with old and new values', async () => {
    const { json } = await jrnJson<{ counts: Record<string, number>; entries: { kind: string; key: string; before: unknown; after: unknown }[] }>([
      'diff',
      small,
      '--from',
      '2024-01-01T00:00:03Z',
      '--to',
      '2024-01-01T00:00:09Z',
    ]);
    expect(json.counts).toEqual({ added: 4, removed: 1, changed: 1, rewritten: 0 });
    expect(json.entries.find((e) => e.key === 'flag_a')).toEqual({
      kind: 'changed',
      scope: 1,
      key: 'flag_a',
      before: { value: { string: 'on' }, validFrom: 1704067200000000, validTo: 1704067205000000 },
      after: { value: { string: 'same_ts' }, validFrom: 1704067209000000, validTo: null },
    });
    expect(json.entries.find((e) => e.key === 'count')).toMatchObject({ kind: 'removed', before: { value: { int: '42' } }, after: null });
    const human = await jrn(['diff', small, '--from', '2024-01-01T00:00:03Z', '--to', '2024-01-01T00:00:09Z']);
    expect(human.stdout).toContain('4 added, 1 removed, 1 changed');
    expect(human.stdout).toContain('~ [1 FeatureFlag] "flag_a": "on" -> "same_ts"');
    expect(human.stdout).toContain('- [2 GlobalState] "count" (was 42; deleted at 1704067206000000 (2024-01-01T00:00:06Z))');
    const missing = await jrn(['diff', small, '--from', '5']);
    expect(missing.code).toBe(EXIT_USAGE);
  });

  it('diff matches the difference of two manifest states on every fixture', async () => {
    for (const { dir } of allFixtureStores()) {
      const points = readManifest(dir).point_in_time;
      const a = points[1];
      const b = points[points.length - 1];
      const { json } = await jrnJson<{ entries: { kind: string; scope: number; key: string }[] }>(['diff', dir, '--from', String(a.at_ts), '--to', String(b.at_ts)]);
      const before = new Map(a.recovered.map((r) => [`${r.scope}/${r.key}`, r]));
      const after = new Map(b.recovered.map((r) => [`${r.scope}/${r.key}`, r]));
      const expected: string[] = [];
      for (const [k, r] of after) {
        const old = before.get(k);
        if (!old) expected.push(`added ${k}`);
        else if (JSON.stringify(old.value) !== JSON.stringify(r.value)) expected.push(`changed ${k}`);
      }
      for (const k of before.keys()) if (!after.has(k)) expected.push(`removed ${k}`);
      expect(json.entries.map((e) => `${e.kind} ${e.scope}/${e.key}`).sort()).toEqual(expected.sort());
    }
  });

  it('changes lists each write once, with generation and offset, superseded writes marked', async () => {
    const ops = readManifest(fixtureDir('reference-4255c9b1', 'rotated')).ops!.filter((o) => (o.op === 'insert' || o.op === 'remove') && o.ts !== null);
    const { json } = await jrnJson<{ total: number; writes: { key: string; timestamp: number; generation: number; fileOffset: number }[] }>([
      'changes',
      fixtureDir('reference-4255c9b1', 'rotated'),
    ]);
    expect(json.total).toBe(ops.length);
    expect(json.writes.map((w) => [w.key, w.timestamp])).toEqual(ops.map((o) => [o.key, o.ts]));
    const page = await jrnJson<{ writes: unknown[] }>(['changes', small, '--from', '2024-01-01T00:00:09Z', '--limit', '2']);
    expect(page.json.writes).toHaveLength(2);
    const human = await jrn(['changes', small, '--from', '2024-01-01T00:00:09Z']);
    expect(human.stdout).toMatch(/^1704067209000000 \(2024-01-01T00:00:09Z\)\s+0@\d+\s+1 FeatureFlag\s+flag_b\s+DELETE$/m);
    const dir = join(tempDir(), 'same-ts');
    const script = ndjson([
      { op: 'put', scope: 2, key: 'k', value: { string: 'first' }, ts: 5 },
      { op: 'put', scope: 2, key: 'k', value: { string: 'second' }, ts: 5 },
    ]);
    expect((await jrn(['script', dir], { stdin: script })).code).toBe(EXIT_OK);
    const same = await jrnJson<{ writes: { value: unknown; superseded: boolean }[] }>(['changes', dir]);
    expect(same.json.writes.map((w) => [w.value, w.superseded])).toEqual([
      [{ string: 'first' }, true],
      [{ string: 'second' }, false],
    ]);
    expect((await jrn(['changes', dir])).stdout).toMatch(/= "first"\s+\(superseded\)/);
  });

  it('stores lists every store of a folder', async () => {
    const { json } = await jrnJson<{ stores: { name: string; activeJournal: string }[] }>(['stores', join(FIXTURES, 'reference-4255c9b1/corrupt')]);
    expect(json.stores.map((s) => s.name)).toEqual([
      'bad_scope_frame1',
      'bad_version',
      'crc_flip_frame2',
      'payload_bitflip_frame4',
      'position_mid_frame5',
      'truncated_mid_frame3',
      'zeroed_tail_from_frame6',
    ]);
    const human = await jrn(['stores', fixtureDir('upstream-head', 'rotated')]);
    expect(human.stdout).toMatch(/^store\s+store\.jrn\.4\s+1\s+4\s+\d+$/m);
    expect((await jrn(['stores', tempDir()])).stdout).toContain('no journal stores in');
  });

  it('generations shows each generation and whether history is complete', async () => {
    const { json } = await jrnJson<{ generations: { generation: number; kind: string }[]; complete: boolean; keys: number }>(['generations', fixtureDir('reference-4255c9b1', 'manual')]);
    expect(json.generations.map((g) => [g.generation, g.kind])).toEqual([
      [0, 'archive'],
      [1, 'archive'],
      [2, 'archive'],
      [3, 'journal'],
    ]);
    expect(json.complete).toBe(true);
    const human = await jrn(['generations', fixtureDir('spec', 'manual')]);
    expect(human.stdout).toContain('known from    the beginning');
    expect(human.stdout).toMatch(/^3\s+journal \(active\)\s+m\.jrn\.3\s+17-byte\/kv/m);
  });
});

describe('answers in incomplete history say so', () => {
  it('human output warns on stderr; JSON carries complete and incomplete', async () => {
    const dir = storeWithGap();
    const early = '2024-01-01T00:00:02Z';
    const human = await jrn(['state', dir, '--at', early]);
    expect(human.code).toBe(EXIT_OK);
    expect(human.stderr).toContain('jrn: warning: the state at 2024-01-01T00:00:02Z falls in incomplete history');
    expect(human.stdout).toContain('INCOMPLETE');
    const { json } = await jrnJson<StateDoc>(['state', dir, '--at', early]);
    expect(json.complete).toBe(false);
    expect(json.incomplete.length).toBeGreaterThan(0);
    for (const argv of [
      ['get', dir, 'k01', '--at', early],
      ['history', dir, 'k01'],
      ['diff', dir, '--from', early, '--to', '2024-01-01T00:00:40Z'],
      ['changes', dir],
    ]) {
      const r = await jrn(argv);
      expect(r.stderr, argv.join(' ')).toContain('falls in incomplete history');
      const j = await jrnJson<{ complete: boolean; incomplete: unknown[] }>(argv);
      expect(j.json.complete, argv.join(' ')).toBe(false);
      expect(j.json.incomplete.length).toBeGreaterThan(0);
    }
    const late = await jrnJson<StateDoc>(['state', dir]);
    expect(late.json.complete).toBe(true);
    const gens = await jrn(['generations', dir]);
    expect(gens.stdout).toContain('Incomplete history:');
  });
});

describe('input errors exit 2 and say what is wrong', () => {
  const corrupt = join(FIXTURES, 'reference-4255c9b1/corrupt');

  it('a folder with several stores lists them; --name picks one', async () => {
    const r = await jrn(['state', corrupt]);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain('holds 7 stores: bad_scope_frame1, bad_version, crc_flip_frame2');
    expect(r.stderr).toContain('choose one with --name NAME');
    const named = await jrn(['state', corrupt, '--name', 'crc_flip_frame2']);
    expect(named.code).toBe(EXIT_OK);
    expect(named.stderr).toContain('incomplete history');
  });

  it.each([
    [['state', '/no/such/folder'], 'no such folder: /no/such/folder'],
    [['state', join(FIXTURES, 'spec/small'), '--name', 'nope'], 'no store named "nope"'],
    [['state', join(FIXTURES, 'spec/small'), '--at', 'noon'], 'bad --at "noon"'],
    [['state', join(FIXTURES, 'spec/small'), '--at', '2024-01-01T00:00:00'], 'no time zone'],
    [['state', join(FIXTURES, 'spec/small'), '--scope', 'Global'], '--scope must be a number from 0 to 255 or one of'],
    [['state', join(FIXTURES, 'spec/small'), '--limit', '-1'], "state: Option '--limit' argument is ambiguous"],
    [['state', join(FIXTURES, 'spec/small'), '--limit=-1'], '--limit must be an integer from 0 to'],
    [['state', join(FIXTURES, 'spec/small'), '--sort', 'value'], '--sort must be one of key, validFrom'],
    [['state'], 'state: missing DIR'],
    [['state', 'a', 'b'], "unexpected argument 'b'"],
    [['state', join(FIXTURES, 'spec/small'), '--frob'], "Unknown option '--frob'"],
    [['get', join(FIXTURES, 'spec/small')], 'get: missing KEY'],
    [['state', join(FIXTURES, 'spec/small/manifest.json')], 'is not a journal file'],
    [['export', join(FIXTURES, 'spec/small'), '--out', '/tmp/x.txt'], 'give --format'],
  ])('%j', async (argv, message) => {
    const r = await jrn(argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('a single journal file can be given instead of a folder', async () => {
    const file = join(corrupt, 'crc_flip_frame2.jrn.0');
    const { code, json } = await jrnJson<StateDoc>(['state', file]);
    expect(code).toBe(EXIT_OK);
    expect(json.store).toBe('crc_flip_frame2');
    expect(json.rows.map((r) => r.key)).toEqual(['flag_a', 'user.name']);
  });

  it('every command has --help', async () => {
    for (const name of ['stores', 'generations', 'state', 'get', 'history', 'diff', 'changes', 'verify', 'export', 'script', 'serve']) {
      const r = await jrn([name, '--help']);
      expect(r.code, name).toBe(EXIT_OK);
      expect(r.stdout).toMatch(new RegExp(`^Usage: jrn ${name} `));
    }
    expect((await jrn(['help', 'state'])).stdout).toMatch(/^Usage: jrn state /);
  });
});

describe('progress', () => {
  it('shows on a terminal only, on stderr, and is erased', async () => {
    const dir = fixtureDir('spec', 'rotated');
    const tty = await jrn(['state', dir, '--json'], { tty: true });
    expect(tty.stderr).toContain('indexing store: 5/5 generations 100%');
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(tty.stdout).total).toBe(readManifest(dir).final_state.length);
    const pipe = await jrn(['state', dir, '--json'], { tty: false });
    expect(pipe.stderr).toBe('');
    const out = join(tempDir(), 'h.csv');
    const exported = await jrn(['export', dir, '--history', '--out', out, '--row-group-size', '10'], { tty: true });
    expect(exported.stderr).toMatch(/exporting 45\/45 rows 100%/);
  });
});
