import { afterEach, describe, expect, it } from 'vitest';
import { listStoreFiles } from '../../../src/engine/files/storeFiles';
import { VersionedRecovery } from '../../../src/engine/recovery';
import { fixtureDir, LAYOUTS, readManifest } from '../../support/fixtures';
import { firstNewWrite, lastTimestamp, referenceFiles } from './referenceFrames';
import { copyStoreWithout, expectSoundAnswers, pointsWithin, removeDir } from './support';

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach(removeDir));

/** The files of a fixture store in generation order (relative paths). */
function storeFiles(dir: string, scenario: string) {
  return listStoreFiles(dir, readManifest(fixtureDir('reference-4255c9b1', scenario)).store_name);
}

describe.each(LAYOUTS)('missing generations in %s stores', (layout) => {
  const dir = fixtureDir(layout, 'rotated');
  const manifest = readManifest(dir);
  const reference = referenceFiles('rotated');

  it('answers around a missing middle archive and reports the gap', async () => {
    const files = storeFiles(dir, 'rotated');
    const missing = files[2]; // generation 2
    const folder = copyStoreWithout(dir, [missing.relativePath]);
    temps.push(folder);
    const recovery = await VersionedRecovery.fromFolder(folder);

    // Lost: from generation 1's last write (generation 2 may have written at that very
    // timestamp) until generation 3's first new write, after the state it restates.
    const gap = { from: lastTimestamp(reference[1]), to: firstNewWrite(reference, 3) };
    const { unknown, wrongUnknown } = expectSoundAnswers(recovery, manifest);
    expect(wrongUnknown).toBeGreaterThan(0); // the gap really hides history
    if (layout !== 'spec') {
      // Numbered generations show exactly the gap, by name.
      expect(recovery.incompleteRanges).toMatchObject([{ ...gap, reason: 'missing-generation' }]);
      // History is lost for certain: an error, as `jrn verify` says (one derivation for both).
      expect(recovery.problems.map((p) => [p.reason, p.severity])).toEqual([['missing-generation', 'error']]);
      expect(unknown).toBe(pointsWithin(manifest, gap.from, gap.to).length);
      expect(recovery.generations.map((g) => [g.generation, g.gapBefore])).toEqual([[0, false], [1, false], [3, true], [4, false]]);
      return;
    }
    // Spec archive names carry no number, and one generation of 0..3 is missing: nothing says
    // which (a prefix restating the archive before it does not prove the two adjacent), so
    // generation 0 may be the one, and every join of the archives is unknown.
    const [first, ...joins] = recovery.incompleteRanges;
    expect(first).toMatchObject({ from: null, reason: 'before-oldest-generation' });
    expect(joins.map((r) => r.reason)).toEqual(['missing-generation', 'missing-generation']);
    expect(recovery.incompleteRanges.some((r) => r.from !== null && r.from <= gap.from && r.to !== null && r.to >= gap.to)).toBe(true);
    expect(recovery.problems.map((p) => [p.reason, p.severity])).toEqual(Array(3).fill(['missing-generation', 'warning']));
    expect(unknown).toBeGreaterThanOrEqual(pointsWithin(manifest, gap.from, gap.to).length);
    expect(unknown).toBeLessThan(manifest.point_in_time.length);
    expect(recovery.generations.map((g) => [g.inferred, g.gapBefore])).toEqual([[true, false], [true, true], [true, true], [false, true]]);
  });

  it('reports history before the oldest file as incomplete when generation 0 is gone', async () => {
    const files = storeFiles(dir, 'rotated');
    const folder = copyStoreWithout(dir, [files[0].relativePath, files[1].relativePath]);
    temps.push(folder);
    const recovery = await VersionedRecovery.fromFolder(folder);
    const before = { from: null, reason: 'before-oldest-generation' };
    const { known } = expectSoundAnswers(recovery, manifest);
    if (layout !== 'spec') {
      expect(recovery.incompleteRanges).toMatchObject([{ ...before, to: firstNewWrite(reference, 2) }]);
      // Deleted oldest archives: a warning for the store folder, as `jrn verify` gives.
      expect(recovery.problems).toMatchObject([{ reason: 'missing-generation', severity: 'warning', file: folder }]);
      expect(known).toBe(pointsWithin(manifest, firstNewWrite(reference, 2), null).length);
      return;
    }
    // Two unnumbered archives for generations 0..3: which two is unknown, so their joins are too.
    expect(recovery.incompleteRanges).toMatchObject([before, { reason: 'missing-generation' }, { reason: 'missing-generation' }]);
    expect(recovery.problems.map((p) => [p.reason, p.severity])).toEqual(Array(2).fill(['missing-generation', 'warning']));
    expect(known).toBeGreaterThan(0);
    expect(known).toBeLessThanOrEqual(pointsWithin(manifest, firstNewWrite(reference, 2), null).length);
  });

  it('reports history after the newest archive as incomplete when the active journal is gone', async () => {
    const files = storeFiles(dir, 'rotated');
    const active = files[files.length - 1];
    expect(active.kind).toBe('journal');
    const folder = copyStoreWithout(dir, [active.relativePath]);
    temps.push(folder);
    const recovery = await VersionedRecovery.fromFolder(folder);
    const after = { from: lastTimestamp(reference[3]), to: null, reason: 'after-newest-generation' };
    if (layout === 'spec') {
      // Spec archive names carry no generation: without the active journal's number nothing
      // proves the oldest archive is generation 0, nor that two archives are adjacent.
      const ranges = recovery.incompleteRanges;
      expect(ranges[0]).toMatchObject({ from: null, reason: 'before-oldest-generation' });
      expect(ranges.at(-1)).toMatchObject(after);
      // (a join's range may lie inside the one before it, and is then not listed twice)
      expect(ranges.slice(1, -1).map((r) => r.reason)).toContain('missing-generation');
      expect(new Set(ranges.slice(1, -1).map((r) => r.reason))).toEqual(new Set(['missing-generation']));
    } else {
      expect(recovery.incompleteRanges).toMatchObject([after]);
    }
    expectSoundAnswers(recovery, manifest);
  });
});

describe.each(LAYOUTS.flatMap((layout) => ['manual', 'rotated'].map((scenario) => ({ layout, scenario }))))(
  'every subset of the $layout/$scenario files',
  ({ layout, scenario }) => {
    it('is answered exactly wherever it is claimed complete, and the whole store everywhere', async () => {
      const dir = fixtureDir(layout, scenario);
      const manifest = readManifest(dir);
      const paths = storeFiles(dir, scenario).map((f) => f.path);
      let unknownPoints = 0;
      for (let mask = 1; mask < 1 << paths.length; mask++) {
        const subset = paths.filter((_, i) => mask & (1 << i));
        const recovery = await VersionedRecovery.fromFiles(subset);
        const label = subset.map((p) => p.slice(dir.length + 1)).join(', ');
        const { unknown } = expectSoundAnswers(recovery, manifest, label);
        if (subset.length === paths.length) expect(unknown, 'all files present').toBe(0);
        unknownPoints += unknown;
      }
      expect(unknownPoints).toBeGreaterThan(0);
    });
  },
);
