import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalReader } from '../../../src/engine/format/reader';
import { TimelineIndex } from '../../../src/engine/timeline';
import { verifyStore } from '../../../src/engine/verify';
import { FIXTURES, fixtureDir, manifestValue, readManifest } from '../../support/fixtures';
import { readFileSync } from 'node:fs';

const corrupt = resolve(FIXTURES, 'reference-4255c9b1/corrupt');
const small = readManifest(fixtureDir('reference-4255c9b1', 'small'));
const allFrames = readManifest(fixtureDir('reference-4255c9b1', 'small')) as unknown as {
  files: { frames: { offset: number; len: number; key: string; ts: number }[] }[];
};
const frames = allFrames.files[0].frames;

describe('salvage mode', () => {
  it('skips a frame with a bad CRC to the next valid frame and reports the skipped bytes', () => {
    const reader = new JournalReader(readFileSync(resolve(corrupt, 'crc_flip_frame2.jrn.0')), { file: 'crc', salvage: true });
    const offsets: number[] = [];
    while (reader.next()) offsets.push(reader.frameStart);
    expect(offsets).toEqual(frames.filter((_, i) => i !== 2).map((f) => f.offset));
    expect(reader.skipped).toEqual([{ from: 73, to: 95 }]);
    expect(reader.problems.map((p) => [p.reason, p.offset])).toEqual([
      ['crc-mismatch', 73],
      ['skipped-bytes', 73],
    ]);
  });

  it('is off by default: reading stops at the bad frame', () => {
    const reader = new JournalReader(readFileSync(resolve(corrupt, 'crc_flip_frame2.jrn.0')), { file: 'crc' });
    let count = 0;
    while (reader.next()) count++;
    expect(count).toBe(2);
    expect(reader.skipped).toEqual([]);
  });

  it('shows the writes after the damage in history, never as a complete state', async () => {
    const normal = await TimelineIndex.open(corrupt, { store: 'crc_flip_frame2' });
    const salvaged = await TimelineIndex.open(corrupt, { store: 'crc_flip_frame2', salvage: true });
    expect(normal.summary().versions).toBe(2);
    expect(salvaged.summary().versions).toBe(frames.length - 1);
    const lastGood = frames[1].ts;
    expect(salvaged.summary().incomplete).toMatchObject([{ from: lastGood, to: null, reason: 'damaged-file' }]);
    // Before the damage the state is exact; after it every answer says it is incomplete.
    const before = salvaged.stateAt(frames[0].ts, { limit: 100 });
    expect(before.complete).toBe(true);
    const point = small.point_in_time.find((p) => p.at_ts === frames[0].ts)!;
    expect(before.rows.map((r) => ({ scope: r.scope, key: r.key, value: manifestValue(r.value), ts: r.validFrom }))).toEqual(point.recovered);
    expect(salvaged.stateAt(frames[12].ts, { limit: 100 }).complete).toBe(false);
    // The history of a key written after the damage is there.
    const history = salvaged.history(2, 'neg').versions;
    expect(history.map((v) => manifestValue(v.value))).toEqual([{ int: '-1' }]);
  });

  it('verify in salvage mode lists the skipped ranges and counts the frames after them', async () => {
    const report = await verifyStore(corrupt, 'crc_flip_frame2', { salvage: true });
    expect(report.ok).toBe(false);
    expect(report.files[0].skipped).toEqual([{ from: 73, to: 95 }]);
    expect(report.files[0].frames).toBe(frames.length - 1);
  });
});
