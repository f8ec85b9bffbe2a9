import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/engine/format/crc32';

describe('crc32', () => {
  it('is the standard CRC-32 (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('equals zlib.crc32 on random inputs across the JS/native threshold', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 1200 }), (bytes) => {
        expect(crc32(bytes)).toBe(zlib.crc32(bytes) >>> 0);
      }),
      { numRuns: 500 },
    );
  });

  it.each([1, 7, 8, 9, 15, 16, 17, 63, 255, 256, 257, 4096, 65537])('equals zlib.crc32 at length %d', (length) => {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + 7) & 0xff);
    expect(crc32(bytes)).toBe(zlib.crc32(bytes) >>> 0);
  });

  it('checksums exactly the [start, end) range asked for', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length ? a % (bytes.length + 1) : 0;
        const end = start + (bytes.length - start ? b % (bytes.length - start + 1) : 0);
        expect(crc32(bytes, start, end)).toBe(zlib.crc32(bytes.subarray(start, end)) >>> 0);
      }),
      { numRuns: 300 },
    );
  });
});
