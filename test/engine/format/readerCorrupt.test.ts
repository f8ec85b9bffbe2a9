import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { corruptFiles, manifestValue } from '../../support/fixtures';
import { readJournal } from '../../../src/engine/format/reader';
import { corruptCases, CORRUPT_VARIANTS, SMALL_FRAMES } from './corruptCases';

describe('reader on the corrupt fixtures', () => {
  it('has an expectation for every corrupt file', () => {
    expect(CORRUPT_VARIANTS.map((v) => v.file).sort()).toEqual(corruptFiles().sort());
  });

  it.each(corruptCases().map((c) => [c.file, c] as const))('%s: reported at the right offset, good prefix kept', async (_, c) => {
    const bytes = await readFile(c.path);
    const contents = readJournal(bytes, { file: c.path });
    expect(contents.problems.map((p) => ({ reason: p.reason, offset: p.offset }))).toEqual(c.problems);
    expect(contents.problems.every((p) => p.severity === 'error' && p.file === c.path)).toBe(true);
    const kept = contents.frames.map((f) => ({ offset: f.offset, len: f.length, scope: f.scope, key: f.key, ts: f.timestamp, value: manifestValue(f.value) }));
    expect(kept).toEqual(SMALL_FRAMES.slice(0, c.keptFrames).map(({ offset, len, scope, key, ts, value }) => ({ offset, len, scope, key, ts, value })));
    expect(contents.goodEnd).toBe(c.keptFrames ? SMALL_FRAMES[c.keptFrames - 1].offset + SMALL_FRAMES[c.keptFrames - 1].len : contents.header ? 17 : 0);
    // The reader leaves the bytes it was given as they are (they equal the file still).
    expect((await readFile(c.path)).equals(bytes)).toBe(true);
  });
});
