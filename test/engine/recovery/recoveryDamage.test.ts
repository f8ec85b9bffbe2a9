import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { listStoreFiles } from '../../../src/engine/files/storeFiles';
import { VersionedRecovery } from '../../../src/engine/recovery';
import { fixtureDir, readManifest } from '../../support/fixtures';
import { encodeFrame } from '../../../src/engine/format/frame';
import { encodePayload } from '../../../src/engine/format/payload';
import { corruptCases, SMALL_FRAMES } from '../format/corruptCases';
import { journalOf } from '../format/journalBytes';
import { firstNewWrite, lastTimestamp, referenceFiles } from './referenceFrames';
import { copyStoreWithout, expectSoundAnswers, manifestRows, removeDir } from './support';

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach(removeDir));

const SMALL = readManifest(fixtureDir('reference-4255c9b1', 'small'));

describe('VersionedRecovery on the corrupt journals', () => {
  it.each(corruptCases().map((c) => [c.file, c] as const))('%s: problems with offsets, good prefix answered', async (_, c) => {
    const recovery = await VersionedRecovery.fromFiles([c.path]);
    expect(recovery.problems.map((p) => ({ reason: p.reason, offset: p.offset }))).toEqual(c.problems);
    expect(manifestRows(recovery.current())).toEqual(c.variant.store_state_after_open);
    const upstream = c.variant.versioned_recovery_recover_current;
    // Upstream recovery ignores the version field; everywhere else it keeps the same prefix.
    if (Array.isArray(upstream) && c.file !== 'bad_version.jrn.0') expect(manifestRows(recovery.current())).toEqual(upstream);

    const lastKept = c.keptFrames ? SMALL_FRAMES[c.keptFrames - 1].ts : null;
    expect(recovery.incompleteRanges).toMatchObject([{ from: lastKept, to: null, reason: 'damaged-file' }]);
    const { known } = expectSoundAnswers(recovery, SMALL);
    expect(known).toBe(SMALL.point_in_time.filter((p) => lastKept !== null && p.at_ts < lastKept).length);
  });
});

describe('VersionedRecovery on damaged archives', () => {
  const dir = fixtureDir('reference-4255c9b1', 'rotated');
  const manifest = readManifest(dir);
  const reference = referenceFiles('rotated');
  const generation1 = listStoreFiles(dir, 'store')[1];

  /** A copy of the rotated store whose generation 1 archive holds `bytes`. */
  function withGeneration1(bytes: Buffer): string {
    const folder = copyStoreWithout(dir, [generation1.relativePath]);
    temps.push(folder);
    writeFileSync(join(folder, generation1.relativePath), bytes);
    return folder;
  }

  /** Generation 1 lost entirely: unknown from generation 0's last write to generation 2's first. */
  const lostGeneration1 = { from: lastTimestamp(reference[0]), to: firstNewWrite(reference, 2) };

  it('reports an archive that inflates beyond the limit, and uses the other files', async () => {
    const bomb = deflateSync(Buffer.alloc(4 * 1024 * 1024));
    const folder = withGeneration1(bomb);
    const recovery = await VersionedRecovery.fromFolder(folder, { maxInflatedBytes: 1024 * 1024 });
    expect(recovery.problems).toMatchObject([{ reason: 'inflated-too-large', file: join(folder, generation1.relativePath) }]);
    // Unreadable: nothing read from it, and the generation after it does not join it.
    expect(recovery.generations[1]).toMatchObject({ generation: 1, frames: 0, problems: [{ reason: 'inflated-too-large', severity: 'error' }] });
    expect(recovery.generations[2]).toMatchObject({ generation: 2, gapBefore: true });
    expect(recovery.incompleteRanges).toMatchObject([{ ...lostGeneration1, reason: 'unreadable-file' }]);
    expect(manifestRows(recovery.current())).toEqual(manifest.final_state);
    expectSoundAnswers(recovery, manifest);
  });

  it('reports an archive that is not zlib, and uses the other files', async () => {
    const folder = withGeneration1(Buffer.from('this is not a zlib stream'));
    const recovery = await VersionedRecovery.fromFolder(folder);
    expect(recovery.problems).toMatchObject([{ reason: 'not-zlib', file: join(folder, generation1.relativePath), offset: -1 }]);
    expect(recovery.incompleteRanges).toMatchObject([{ ...lostGeneration1, reason: 'unreadable-file' }]);
    expectSoundAnswers(recovery, manifest);
  });

  it('keeps the good prefix of a damaged archive and marks only what it lost', async () => {
    const inflated = inflateSync(readFileSync(generation1.path));
    const damaged = Buffer.from(inflated);
    const lastFrame = (reference[1].frames as unknown as { offset: number; len: number }[]).at(-1)!;
    damaged[lastFrame.offset + lastFrame.len - 6] ^= 0x01; // inside the last frame's payload
    const recovery = await VersionedRecovery.fromFolder(withGeneration1(deflateSync(damaged)));
    expect(recovery.problems).toMatchObject([{ reason: 'crc-mismatch', offset: lastFrame.offset }]);
    // Damaged: the good prefix read, stopped by an error at the bad frame.
    expect(recovery.generations[1]).toMatchObject({ frames: reference[1].frames.length - 1, problems: [{ reason: 'crc-mismatch', severity: 'error' }] });
    // Lost from the last good frame's timestamp until generation 2's first new write.
    const lastGood = reference[1].frames.at(-2)!.ts;
    expect(recovery.incompleteRanges).toMatchObject([{ from: lastGood, to: firstNewWrite(reference, 2), reason: 'damaged-file' }]);
    const { unknown } = expectSoundAnswers(recovery, manifest);
    expect(unknown).toBeGreaterThan(0);
  });

  it('reports a path that cannot be read and answers from the rest', async () => {
    const paths = listStoreFiles(dir, 'store').map((f) => f.path);
    const recovery = await VersionedRecovery.fromFiles([...paths, join(dir, 'store.jrn.5')]);
    // Naming a generation 5 makes store.jrn.4 an old generation left uncompressed: said too.
    expect(recovery.problems).toMatchObject([
      { reason: 'uncompressed-archive', severity: 'warning', file: join(dir, 'store.jrn.4') },
      { reason: 'unreadable-file', severity: 'error', file: join(dir, 'store.jrn.5') },
    ]);
    expect(recovery.generations.at(-1)).toMatchObject({
      file: join(dir, 'store.jrn.5'),
      generation: 5,
      active: true,
      frames: 0,
      problems: [{ reason: 'unreadable-file', severity: 'error' }],
    });
    expect(recovery.incompleteRanges).toMatchObject([{ from: lastTimestamp(reference[4]), to: null, reason: 'unreadable-file' }]);
    expectSoundAnswers(recovery, manifest);
  });
});

describe('VersionedRecovery on a writer that broke the clock rule', () => {
  it('orders a write older than the one before it at that earlier timestamp, and warns', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'recovery-test-'));
    temps.push(folder);
    const set = (key: string, ts: number) => encodeFrame(2, key, ts, encodePayload('state-value', key, { kind: 'string', value: key }));
    const frames = [set('a', 10), set('b', 5), set('c', 20)];
    writeFileSync(join(folder, 's.jrn.0'), journalOf(frames));
    const recovery = await VersionedRecovery.fromFolder(folder);
    expect(recovery.problems).toMatchObject([{ reason: 'timestamp-out-of-order', severity: 'warning', offset: 17 + frames[0].length }]);
    expect(recovery.stateAt(9).map((r) => r.key)).toEqual([]);
    expect(recovery.stateAt(10).map((r) => [r.key, r.timestamp])).toEqual([['a', 10], ['b', 10]]);
    expect(recovery.incompleteRanges).toEqual([]);
  });
});

describe('VersionedRecovery on a payload that does not decode', () => {
  it('leaves the key out and says so in problems, with the frame offset', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'recovery-test-'));
    temps.push(folder);
    const good = encodeFrame(2, 'a', 10, encodePayload('state-value', 'a', { kind: 'string', value: 'a' }));
    // A string field that claims 5 bytes and has 1: the CRC is right, the protobuf is not.
    const broken = encodeFrame(2, 'b', 11, Buffer.from([0x0a, 0x05, 0x61]));
    writeFileSync(join(folder, 's.jrn.0'), journalOf([good, broken]));
    const recovery = await VersionedRecovery.fromFolder(folder);
    expect(recovery.current().map((r) => r.key)).toEqual(['a']);
    expect(recovery.problems).toMatchObject([{ reason: 'bad-payload', offset: 17 + good.length, file: join(folder, 's.jrn.0') }]);
    recovery.current(); // asking again reports it once
    expect(recovery.problems).toHaveLength(1);
  });
});
