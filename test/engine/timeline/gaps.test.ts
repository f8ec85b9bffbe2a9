import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TimelineIndex } from '../../../src/engine/timeline';
import { FIXTURES, fixtureDir, manifestValue, readManifest } from '../../support/fixtures';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A copy of a fixture store without the files whose names match `drop`. */
function copyWithout(layout: string, scenario: string, drop: RegExp): string {
  const dir = mkdtempSync(join(tmpdir(), 'jrn-gap-'));
  temps.push(dir);
  cpSync(fixtureDir(layout, scenario), dir, { recursive: true, filter: (src) => !drop.test(src) });
  return dir;
}

const rows = (page: { rows: { scope: number; key: string; value: unknown; validFrom: number }[] }) =>
  page.rows.map((r) => ({ scope: r.scope, key: r.key, value: manifestValue(r.value as never), ts: r.validFrom }));

describe.each([
  ['reference-4255c9b1', /store\.jrn\.g2\./],
  ['upstream-head', /store\.jrn\.g2\./],
])('a missing middle archive (%s)', (layout, drop) => {
  it('answers outside the gap exactly and marks answers inside it incomplete', async () => {
    const dir = copyWithout(layout, 'rotated', drop);
    const manifest = readManifest(fixtureDir(layout, 'rotated'));
    const index = await TimelineIndex.open(dir);
    const { incomplete } = index.summary();
    expect(incomplete).toHaveLength(1);
    const gap = incomplete[0];
    expect(gap).toMatchObject({ reason: 'missing-generation', detail: expect.stringMatching(/generations 2\.\.2 are missing/) });
    let inside = 0;
    for (const point of manifest.point_in_time) {
      const page = index.stateAt(point.at_ts, { limit: 1000 });
      if (point.at_ts >= gap.from! && point.at_ts < gap.to!) {
        inside++;
        expect(page.complete).toBe(false);
      } else {
        expect(page.complete, `at ${point.at_ts}`).toBe(true);
        expect(rows(page), `state at ${point.at_ts}`).toEqual(point.recovered);
      }
    }
    expect(inside).toBeGreaterThan(0);
  });
});

describe('a missing middle archive in the spec layout (archives carry no generation number)', () => {
  it('cannot tell where generations are missing, so marks every join unknown, and is exact elsewhere', async () => {
    const dir = copyWithout('spec', 'rotated', /store\.jrn\.t1704067223000000\.zz/);
    const manifest = readManifest(fixtureDir('spec', 'rotated'));
    const index = await TimelineIndex.open(dir);
    const { incomplete } = index.summary();
    expect(incomplete.length).toBeGreaterThan(1);
    expect(incomplete[0].from).toBeNull();
    let known = 0;
    for (const point of manifest.point_in_time) {
      const page = index.stateAt(point.at_ts, { limit: 1000 });
      if (!page.complete) continue;
      known++;
      expect(rows(page), `state at ${point.at_ts}`).toEqual(point.recovered);
    }
    expect(known).toBeGreaterThan(0);
    // The complete store numbers its archives with certainty: no range at all.
    const whole = await TimelineIndex.open(fixtureDir('spec', 'rotated'));
    expect(whole.summary().incomplete).toEqual([]);
  });
});

describe('a missing oldest archive', () => {
  it('says where known history begins, and is exact from there on', async () => {
    const dir = copyWithout('reference-4255c9b1', 'rotated', /store\.jrn\.g0\./);
    const manifest = readManifest(fixtureDir('reference-4255c9b1', 'rotated'));
    const index = await TimelineIndex.open(dir);
    const summary = index.summary();
    expect(summary.knownFrom).not.toBeNull();
    expect(summary.incomplete[0].from).toBeNull();
    for (const point of manifest.point_in_time) {
      const page = index.stateAt(point.at_ts, { limit: 1000 });
      if (point.at_ts < summary.knownFrom!) expect(page.complete).toBe(false);
      else expect(rows(page), `state at ${point.at_ts}`).toEqual(point.recovered);
    }
  });
});

describe('an explicitly named file that cannot be read', () => {
  it('is an unreadable generation, and what came after the last file read is unknown', async () => {
    const dir = fixtureDir('reference-4255c9b1', 'rotated');
    const manifest = readManifest(dir);
    const files = ['snapshots/store.jrn.g0.t1704067210000000.zz', 'snapshots/store.jrn.g1.t1704067212000000.zz', 'store.jrn.2'];
    const index = await TimelineIndex.openFiles(files.map((f) => join(dir, f)));
    const summary = index.summary();
    expect(summary.problems).toMatchObject([{ reason: 'unreadable-file', severity: 'error', file: join(dir, 'store.jrn.2') }]);
    expect(summary.generations.map((g) => [g.generation, g.frames > 0])).toEqual([[0, true], [1, true], [2, false]]);
    const last = summary.lastTimestamp!;
    expect(summary.incomplete).toMatchObject([{ from: last, to: null, reason: 'unreadable-file' }]);
    for (const point of manifest.point_in_time) {
      const page = index.stateAt(point.at_ts, { limit: 1000 });
      expect(page.complete, `at ${point.at_ts}`).toBe(point.at_ts < last);
      if (page.complete) expect(rows(page), `state at ${point.at_ts}`).toEqual(point.recovered);
    }
  });
});

describe('damaged journals', () => {
  const corrupt = resolve(FIXTURES, 'reference-4255c9b1/corrupt');
  const source = readManifest(fixtureDir('reference-4255c9b1', 'small'));
  const expectations: Record<string, { frames: number; reason: string; offset: number }> = {
    crc_flip_frame2: { frames: 2, reason: 'crc-mismatch', offset: 73 },
    payload_bitflip_frame4: { frames: 4, reason: 'crc-mismatch', offset: 124 },
    truncated_mid_frame3: { frames: 3, reason: 'truncated-frame', offset: 95 },
    position_mid_frame5: { frames: 5, reason: 'length-past-end', offset: 147 },
    bad_scope_frame1: { frames: 1, reason: 'crc-mismatch', offset: 42 },
    zeroed_tail_from_frame6: { frames: 6, reason: 'zero-length', offset: 173 },
  };
  it.each(Object.entries(expectations))('%s keeps its good prefix and says what is unknown', async (store, expected) => {
    const index = await TimelineIndex.open(corrupt, { store });
    const summary = index.summary();
    const stop = summary.problems.find((p) => p.severity === 'error' && p.reason !== 'position-out-of-range');
    expect(stop).toMatchObject({ reason: expected.reason, offset: expected.offset });
    expect(summary.versions).toBe(expected.frames);
    // The state after the last good frame equals the manifest's point in time at that write,
    // and it is flagged incomplete from there on.
    const lastTs = index.summary().lastTimestamp!;
    const page = index.stateAt(lastTs + 1, { limit: 100 });
    expect(page.complete).toBe(false);
    const point = source.point_in_time.find((p) => p.at_ts === lastTs)!;
    if (expected.frames === source.point_in_time.findIndex((p) => p.at_ts === lastTs) + 1) {
      expect(rows(page)).toEqual(point.recovered);
    }
  });

  it('bad_version is reported and nothing is read from it', async () => {
    const index = await TimelineIndex.open(corrupt, { store: 'bad_version' });
    const summary = index.summary();
    expect(summary.problems[0]).toMatchObject({ reason: 'unknown-version', offset: 0 });
    expect(summary.versions).toBe(0);
  });

  it('lists every store of a folder that holds several', () => {
    expect(readdirSync(corrupt).filter((f) => f.includes('.jrn.')).length).toBe(7);
    return expect(TimelineIndex.open(corrupt)).rejects.toThrow(/several stores/);
  });
});
