import { describe, expect, it } from 'vitest';
import { listStoreFiles } from '../../../src/engine/files/storeFiles';
import { VersionedRecovery } from '../../../src/engine/recovery';
import { allFixtureStores, fixtureDir, readManifest } from '../../support/fixtures';
import { liveCountAtEnd, referenceFiles } from './referenceFrames';
import { manifestRows } from './support';

describe.each(allFixtureStores())('VersionedRecovery on fixture $layout/$scenario', ({ dir, scenario }) => {
  const manifest = readManifest(dir);
  const store = readManifest(fixtureDir('reference-4255c9b1', scenario)).store_name;

  it('current() is the final state, exactly', async () => {
    const recovery = await VersionedRecovery.fromFolder(dir);
    expect(manifestRows(recovery.current())).toEqual(manifest.final_state);
  });

  it('stateAt(at_ts) is every point_in_time answer, exactly, and known complete', async () => {
    const recovery = await VersionedRecovery.fromFolder(dir);
    for (const point of manifest.point_in_time) {
      expect(manifestRows(recovery.stateAt(point.at_ts)), `state at ${point.at_ts}`).toEqual(point.recovered);
      expect(recovery.isCompleteAt(point.at_ts)).toBe(true);
    }
    expect(recovery.stateAt(manifest.point_in_time[0].at_ts - 1)).toEqual([]);
    expect(recovery.problems).toEqual([]);
    expect(recovery.incompleteRanges).toEqual([]);
  });

  it('identifies each compacted prefix as exactly the previous generation’s live state', async () => {
    const recovery = await VersionedRecovery.fromFolder(dir);
    const files = referenceFiles(scenario);
    expect(recovery.generations.map((g) => g.restated)).toEqual(files.map((_, i) => (i === 0 ? 0 : liveCountAtEnd(files[i - 1]))));
    // Generation 0 restates nothing; every later prefix was matched against the one before.
    expect(recovery.generations.map((g) => g.prefixVerified)).toEqual(files.map((_, i) => i > 0));
    expect(recovery.generations.map((g) => g.gapBefore)).toEqual(files.map(() => false));
    expect(recovery.generations.map((g) => g.generation)).toEqual(files.map((f) => f.generation));
  });

  it('gives the same answers from an explicit file list in any order', async () => {
    const paths = listStoreFiles(dir, store).map((f) => f.path);
    expect(paths.length).toBeGreaterThan(0);
    const recovery = await VersionedRecovery.fromFiles([...paths].reverse());
    expect(manifestRows(recovery.current())).toEqual(manifest.final_state);
    for (const point of manifest.point_in_time) expect(manifestRows(recovery.stateAt(point.at_ts))).toEqual(point.recovered);
    expect(recovery.incompleteRanges).toEqual([]);
  });

  it('accepts the store name and rejects an unknown one', async () => {
    await expect(VersionedRecovery.fromFolder(dir, { store })).resolves.toBeInstanceOf(VersionedRecovery);
    await expect(VersionedRecovery.fromFolder(dir, { store: 'nope' })).rejects.toThrow(/no store named "nope"/);
  });
});
