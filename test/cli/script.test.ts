import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../../src/cli/main';
import { TimelineIndex } from '../../src/engine/timeline';
import { fixtureDir, readManifest, SCENARIOS, type ManifestRow } from '../support/fixtures';
import { jrn, ndjson, tempDir } from './helpers';

interface FullManifest {
  store_name: string;
  config: { initial_buffer_size: number; max_capacity_bytes: number; high_water_mark_ratio: number };
  clock_start: string;
  ops: { op: string; scope?: number; key?: string; value?: unknown; ts?: number | null; by?: number }[];
  final_state: ManifestRow[];
  point_in_time: { at_ts: number; recovered: ManifestRow[] }[];
}

type Row = { scope: number; key: string; value: unknown; validFrom: number; validTo: number | null };
const asManifest = (rows: Row[]) => rows.map((r) => ({ scope: r.scope, key: r.key, value: r.value, ts: r.validFrom }));

/**
 * The manifest's ops as a script: the raw clock (clock_start moved by advance/backwards ops)
 * is given as each write's ts, so the printed ts must be the manifest's clamped one. After
 * the last write of each timestamp the state at that time is queried, so every answer is
 * computed incrementally over exactly what was written before it.
 */
function replay(m: FullManifest) {
  const lines: unknown[] = [];
  const checks: ((out: unknown) => void)[] = [];
  const ask = (line: unknown, check: (out: unknown) => void) => {
    lines.push(line);
    checks.push(check);
  };
  let clock = Number(/\((\d+) us\)/.exec(m.clock_start)![1]);
  const writes = m.ops.filter((o) => o.op === 'insert' || o.op === 'remove');
  let w = 0;
  for (const op of m.ops) {
    if (op.op === 'advance_clock_us') clock += op.by!;
    else if (op.op === 'clock_backwards_us') clock -= op.by!;
    else if (op.op === 'manual_rotate') ask({ op: 'rotate' }, (out) => expect(out).toMatchObject({ generation: expect.any(Number) }));
    else {
      const line =
        op.op === 'insert' && op.value !== null
          ? { op: 'put', scope: op.scope, key: op.key, value: op.value, ts: clock }
          : { op: 'delete', scope: op.scope, key: op.key, ts: clock };
      ask(line, (out) => expect(out, JSON.stringify(line)).toEqual({ ts: op.ts }));
      w++;
      const next = writes.slice(w).find((o) => o.ts !== null);
      if (op.ts !== null && op.ts !== undefined && (!next || next.ts !== op.ts)) {
        const point = m.point_in_time.find((p) => p.at_ts === op.ts)!;
        ask({ op: 'state', at: op.ts }, (out) => expect(asManifest(out as Row[]), `state at ${op.ts}`).toEqual(point.recovered));
      }
    }
  }
  // After everything: every point again, latest and get for every key.
  const keys = new Map<string, ManifestRow>();
  for (const p of m.point_in_time) for (const r of p.recovered) keys.set(`${r.scope}/${r.key}`, r);
  for (const point of m.point_in_time) {
    ask({ op: 'state', at: new Date(point.at_ts / 1000).toISOString() }, (out) => {
      if (point.at_ts % 1000 === 0) expect(asManifest(out as Row[])).toEqual(point.recovered);
    });
    for (const { scope, key } of keys.values()) {
      const expected = point.recovered.find((r) => r.scope === scope && r.key === key);
      ask({ op: 'get', scope, key, at: point.at_ts }, (out) => {
        const got = out as { value: unknown; validFrom: number; validTo: number | null } | null;
        expect(got && { value: got.value, validFrom: got.validFrom }).toEqual(expected ? { value: expected.value, validFrom: expected.ts } : null);
        if (got) expect(got.validTo === null || got.validTo > point.at_ts).toBe(true);
      });
    }
  }
  for (const { scope, key } of keys.values()) {
    const expected = m.final_state.find((r) => r.scope === scope && r.key === key);
    ask({ op: 'latest', scope, key }, (out) => expect(out).toEqual(expected ? { value: expected.value, validFrom: expected.ts, validTo: null } : null));
  }
  ask({ op: 'state' }, (out) => expect(asManifest(out as Row[])).toEqual(m.final_state));
  return { script: ndjson(lines), checks };
}

const LAYOUTS: { name: string; args: string[] }[] = [
  { name: 'spec', args: ['--layout', 'spec'] },
  { name: 'upstream', args: ['--layout', 'upstream'] },
  { name: 'upstream, 17-byte header (as at 4255c9b1)', args: ['--layout', 'upstream', '--header-variant', '17'] },
];

describe.each(SCENARIOS)('jrn script replaying the %s fixture', (scenario) => {
  const m = readManifest(fixtureDir('reference-4255c9b1', scenario)) as unknown as FullManifest;

  it.each(LAYOUTS)('answers equal the manifest ($name layout, the fixture config)', async ({ args }) => {
    const dir = join(tempDir(), 'replay');
    const { script, checks } = replay(m);
    const config = ['--initial-buffer-size', String(m.config.initial_buffer_size), '--max-capacity', String(m.config.max_capacity_bytes)];
    const r = await jrn(['script', dir, '--name', m.store_name, ...args, ...config, '--ratio', String(m.config.high_water_mark_ratio), '--raw-config'], { stdin: script });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT_OK);
    const outputs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(outputs).toHaveLength(checks.length);
    checks.forEach((check, i) => check(outputs[i]));
    // The folder is a real store: a fresh index over it gives the same final state.
    const index = await TimelineIndex.open(dir);
    expect(index.stateAt(Number.MAX_SAFE_INTEGER, { limit: 1000 }).total).toBe(m.final_state.length);
    if (scenario === 'rotated') expect(index.summary().generations.length).toBeGreaterThan(2);
  });
});

describe('jrn script', () => {
  it('creates the folder and store, and prints one line per op in order', async () => {
    const dir = join(tempDir(), 'a', 'b');
    const r = await jrn(['script', dir], {
      stdin: ndjson([
        { op: 'put', scope: 2, key: 'k', value: { string: 'v' }, ts: 10 },
        { op: 'put', scope: 'GlobalState', key: 'k', value: { int: '-1' }, ts: '1970-01-01T00:00:00.000012Z' },
        { op: 'delete', scope: 2, key: 'gone', ts: 13 },
        { op: 'delete', scope: 2, key: 'k', ts: 14 },
        { op: 'put', scope: 1, key: 'late', value: { bool: true }, ts: 5 },
        { op: 'put', scope: 1, key: 'now', value: { double: 'NaN' } },
        { op: 'rotate' },
        { op: 'get', scope: 2, key: 'k', at: 13 },
        { op: 'get', scope: 2, key: 'k', at: 14 },
        { op: 'latest', scope: 1, key: 'late' },
        { op: 'history', scope: 2, key: 'k', order: 'desc' },
        { op: 'history', scope: 2, key: 'k', from: 11, to: 20, tombstones: true },
        { op: 'state', at: 12 },
        { op: 'state', at: 12, scope: 1 },
        { op: 'diff', from: 10, to: 14 },
      ]),
    });
    expect(r.code).toBe(EXIT_OK);
    expect(readdirSync(dir)).toContain('store.jrn.1');
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
      { ts: 10 },
      { ts: 12 },
      { ts: null },
      { ts: 14 },
      { ts: 14 }, // clamped: the clock never goes back
      { ts: 14 }, // no ts: the clock stays
      { generation: 1 },
      { value: { int: '-1' }, validFrom: 12, validTo: 14 },
      null,
      { value: { bool: true }, validFrom: 14, validTo: null },
      [
        { value: { int: '-1' }, validFrom: 12, validTo: 14 },
        { value: { string: 'v' }, validFrom: 10, validTo: 12 },
      ],
      // KIP-968: v@10 was still valid at 11, so it overlaps [11, 20].
      [
        { value: { string: 'v' }, validFrom: 10, validTo: 12 },
        { value: { int: '-1' }, validFrom: 12, validTo: 14 },
        { value: null, validFrom: 14, validTo: null },
      ],
      [{ scope: 2, key: 'k', value: { int: '-1' }, validFrom: 12, validTo: 14 }],
      [],
      {
        counts: { added: 2, removed: 1, changed: 0, rewritten: 0 },
        entries: [
          { kind: 'added', scope: 1, key: 'late', before: null, after: { value: { bool: true }, validFrom: 14, validTo: null } },
          { kind: 'added', scope: 1, key: 'now', before: null, after: { value: { double: 'NaN' }, validFrom: 14, validTo: null } },
          { kind: 'removed', scope: 2, key: 'k', before: { value: { string: 'v' }, validFrom: 10, validTo: 12 }, after: null },
        ],
      },
    ]);
  });

  it('a bad line prints {"error"} naming the line and the problem, and the script goes on (exit 2)', async () => {
    const dir = join(tempDir(), 's');
    const r = await jrn(['script', dir], {
      stdin: [
        '{"op":"put","scope":2,"key":"k","value":{"string":"v"},"ts":10}',
        'not json',
        '',
        '# a comment',
        '{"op":"put","scope":2,"key":"k","value":{"strin":"v"},"ts":11}',
        '{"op":"put","scope":300,"key":"k","value":{"string":"v"}}',
        '{"op":"put","scope":2,"value":{"string":"v"}}',
        '{"op":"put","scope":2,"key":"k"}',
        '{"op":"get","scope":2,"key":"k"}',
        '{"op":"get","scope":2,"key":"k","at":"yesterday"}',
        '{"op":"history","scope":2,"key":"k","from":20,"to":10}',
        '{"op":"history","scope":2,"key":"k","order":"up"}',
        '{"op":"frob"}',
        '[1,2]',
        '{"op":"latest","scope":2,"key":"k"}',
      ].join('\n'),
    });
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain('jrn script: 11 line(s) failed');
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(out[0]).toEqual({ ts: 10 });
    expect(out.at(-1)).toEqual({ value: { string: 'v' }, validFrom: 10, validTo: null });
    const errors = out.slice(1, -1).map((o) => o.error as string);
    expect(errors).toHaveLength(11);
    expect(errors[0]).toMatch(/^line 2: not JSON/);
    expect(errors[1]).toMatch(/^line 5: value has unknown type "strin"/);
    expect(errors[2]).toMatch(/^line 6: "scope" must be an integer from 0 to 255/);
    expect(errors[3]).toMatch(/^line 7: "key" must be a string/);
    expect(errors[4]).toMatch(/^line 8: "value" is missing/);
    expect(errors[5]).toMatch(/^line 9: "at" is missing/);
    expect(errors[6]).toMatch(/^line 10: bad "at" "yesterday"/);
    expect(errors[7]).toMatch(/^line 11: from \(20\) is after to \(10\)/);
    expect(errors[8]).toMatch(/^line 12: "order" must be "asc" or "desc"/);
    expect(errors[9]).toMatch(/^line 13: unknown op "frob"/);
    expect(errors[10]).toMatch(/^line 14: a line must be a JSON object/);
  });

  it('continues an existing store, keeping its layout and clock', async () => {
    const dir = join(tempDir(), 's');
    await jrn(['script', dir, '--layout', 'upstream'], { stdin: ndjson([{ op: 'put', scope: 2, key: 'a', value: { string: '1' }, ts: 100 }]) });
    const r = await jrn(['script', dir], {
      stdin: ndjson([
        { op: 'put', scope: 2, key: 'b', value: { string: '2' }, ts: 50 },
        { op: 'state', at: 100 },
      ]),
    });
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
      { ts: 100 },
      [
        { scope: 2, key: 'a', value: { string: '1' }, validFrom: 100, validTo: null },
        { scope: 2, key: 'b', value: { string: '2' }, validFrom: 100, validTo: null },
      ],
    ]);
    const index = await TimelineIndex.open(dir);
    expect(index.summary().generations[0].layout.payloadLayout).toBe('state-value');
  });

  it('refuses a folder that is a file, a store that cannot open, and bad options (exit 2)', async () => {
    const file = join(fixtureDir('spec', 'small'), 'manifest.json');
    const r1 = await jrn(['script', file], { stdin: '' });
    expect(r1.code).toBe(EXIT_USAGE);
    expect(r1.stderr).toContain('exists and is not a folder');
    const r2 = await jrn(['script', join(tempDir(), 'x'), '--ratio', 'lots'], { stdin: '' });
    expect(r2.code).toBe(EXIT_USAGE);
    expect(r2.stderr).toContain('--ratio must be a number');
    const r3 = await jrn(['script', join(tempDir(), 'x'), '--layout', 'other'], { stdin: '' });
    expect(r3.stderr).toContain('--layout must be one of spec, upstream');
    const r4 = await jrn(['script', join(tempDir(), 'x'), '--initial-buffer-size', '8', '--raw-config'], { stdin: '' });
    expect(r4.code).toBe(EXIT_USAGE);
    expect(r4.stderr).toContain('cannot open the store');
    const r5 = await jrn(['script', join(tempDir(), 'x')]);
    expect(r5.code).toBe(EXIT_USAGE);
    expect(existsSync(join(tempDir(), 'x'))).toBe(false);
  });

  it('warns on stderr when an answer falls in incomplete history', async () => {
    const dir = join(tempDir(), 's');
    // A store whose first generation is gone: write, rotate, then delete the archive.
    await jrn(['script', dir, '--layout', 'upstream'], {
      stdin: ndjson([
        { op: 'put', scope: 2, key: 'a', value: { string: '1' }, ts: 100 },
        { op: 'put', scope: 2, key: 'b', value: { string: '2' }, ts: 110 },
        { op: 'delete', scope: 2, key: 'b', ts: 120 },
        { op: 'rotate' },
      ]),
    });
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'snapshots'), { recursive: true, force: true });
    const r = await jrn(['script', dir], { stdin: ndjson([{ op: 'state', at: 110 }, { op: 'state' }]) });
    expect(r.code).toBe(EXIT_OK);
    expect(r.stderr).toMatch(/warning: line 1: the answer falls in incomplete history/);
    expect(JSON.parse(r.stdout.split('\n')[0])).toEqual([{ scope: 2, key: 'a', value: { string: '1' }, validFrom: 100, validTo: null }]);
  });
});
