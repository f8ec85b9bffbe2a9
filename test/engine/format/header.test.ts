import { describe, expect, it } from 'vitest';
import { loadJournalBytes } from '../../../src/engine/files/inflate';
import { HEADER_SIZE, positionFieldOffset, readHeader, writeHeader, type HeaderVariant } from '../../../src/engine/format/header';
import { allFixtureStores, readManifest } from '../../support/fixtures';
import { resolve } from 'node:path';

function headerBytes(variant: HeaderVariant, position: number, length = 64): Buffer {
  const buf = Buffer.alloc(length);
  writeHeader(buf, variant, position);
  return buf;
}

describe('header', () => {
  it('writes the documented byte layouts', () => {
    expect(headerBytes('v17', 0x0102, 17).toString('hex')).toBe('0100000000000000' + '0201000000000000' + '00');
    expect(headerBytes('v9', 0x0102, 9).toString('hex')).toBe('01' + '0201000000000000');
  });

  it.each(['v17', 'v9'] as const)('detects and reads a %s header', (variant) => {
    const { header, problems } = readHeader(headerBytes(variant, 40), 'f');
    expect(problems).toEqual([]);
    expect(header).toEqual({ variant, size: HEADER_SIZE[variant], version: 1, position: 40 });
  });

  it('tells the variants apart even when a v9 position makes byte 0 look like a v17 version', () => {
    // v9: 01 | position 0x100 → the u64 at offset 0 is 0x10001, not 1.
    expect(readHeader(headerBytes('v9', 0x100, 0x200), 'f').header?.variant).toBe('v9');
    expect(readHeader(headerBytes('v9', 9, 9), 'f').header?.variant).toBe('v9');
  });

  it('honours a forced variant', () => {
    const v9 = headerBytes('v9', 9, 32);
    expect(readHeader(v9, 'f', 'v9').header?.variant).toBe('v9');
    // The same bytes read as v17 have a u64 version of 0x901, which is not 1.
    expect(readHeader(v9, 'f', 'v17').problems.map((p) => p.reason)).toEqual(['unknown-version']);
  });

  it('reports an unknown version at offset 0 and returns no header', () => {
    const v17 = headerBytes('v17', 17);
    v17[0] = 2;
    expect(readHeader(v17, 'f')).toMatchObject({ header: null, problems: [{ offset: 0, reason: 'unknown-version' }] });
    const v9 = headerBytes('v9', 9, 12);
    v9[0] = 7;
    expect(readHeader(v9, 'f')).toMatchObject({ header: null, problems: [{ offset: 0, reason: 'unknown-version' }] });
  });

  it('reports a file shorter than its header as truncated', () => {
    expect(readHeader(Buffer.from([1, 0, 0]), 'f').problems.map((p) => p.reason)).toEqual(['truncated-header']);
    expect(readHeader(Buffer.alloc(0), 'f').header).toBeNull();
    const short17 = headerBytes('v17', 17, 17).subarray(0, 12);
    expect(readHeader(short17, 'f', 'v17').problems.map((p) => p.reason)).toEqual(['truncated-header']);
  });

  it.each(['v17', 'v9'] as const)('reports a %s position inside the header or past the end, keeping the header', (variant) => {
    const inside = readHeader(headerBytes(variant, 3, 40), 'f');
    expect(inside.header?.position).toBe(3);
    expect(inside.problems).toMatchObject([{ reason: 'position-out-of-range', offset: positionFieldOffset(variant) }]);
    const past = readHeader(headerBytes(variant, 41, 40), 'f');
    expect(past.header?.position).toBe(41);
    expect(past.problems).toMatchObject([{ reason: 'position-out-of-range', offset: positionFieldOffset(variant) }]);
    expect(readHeader(headerBytes(variant, 40, 40), 'f').problems).toEqual([]);
  });

  describe.each(allFixtureStores())('fixture $layout/$scenario', ({ layout, dir }) => {
    const manifest = readManifest(dir) as unknown as { header_bytes?: number; files: { path: string; header?: { position: number } }[] };
    const expected: HeaderVariant = (manifest.header_bytes ?? 17) === 9 ? 'v9' : 'v17';
    it.each(manifest.files.map((f) => [f.path, f]))(`%s has a ${expected} header`, async (_, file) => {
      const loaded = await loadJournalBytes(resolve(dir, file.path));
      if (!loaded.ok) throw new Error(loaded.problem.message);
      const { header, problems } = readHeader(loaded.bytes, file.path);
      expect(problems).toEqual([]);
      expect(header?.variant).toBe(expected);
      if (layout === 'reference-4255c9b1') expect(header?.position).toBe(file.header!.position);
    });
  });
});
