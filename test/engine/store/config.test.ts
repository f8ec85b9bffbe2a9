import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GIB, KIB, MIB, normalizeConfig, rawConfig } from '../../../src/engine/store/config';
import { highWaterMark, rotationBufferSize } from '../../../src/engine/store/sizing';

describe('normalizeConfig', () => {
  it('fills every missing field with the defaults', () => {
    expect(normalizeConfig({})).toEqual({ initialBufferSize: 8 * KIB, maxCapacityBytes: MIB, highWaterMarkRatio: 0.7 });
  });

  it('replaces an initial size outside [4 KiB, 1 GiB] by 8 KiB and rounds others up to a power of two', () => {
    expect(normalizeConfig({ initialBufferSize: 1024 }).initialBufferSize).toBe(8 * KIB);
    expect(normalizeConfig({ initialBufferSize: 4 * KIB - 1 }).initialBufferSize).toBe(8 * KIB);
    expect(normalizeConfig({ initialBufferSize: GIB + 1 }).initialBufferSize).toBe(8 * KIB);
    expect(normalizeConfig({ initialBufferSize: Number.NaN }).initialBufferSize).toBe(8 * KIB);
    expect(normalizeConfig({ initialBufferSize: 4 * KIB }).initialBufferSize).toBe(4 * KIB);
    expect(normalizeConfig({ initialBufferSize: 5000 }).initialBufferSize).toBe(8 * KIB);
    expect(normalizeConfig({ initialBufferSize: 9000 }).initialBufferSize).toBe(16 * KIB);
    expect(normalizeConfig({ initialBufferSize: GIB }).initialBufferSize).toBe(GIB);
  });

  it('replaces a max that is missing, below the initial size or above 1 GiB by 1 MiB', () => {
    expect(normalizeConfig({ initialBufferSize: 8 * KIB, maxCapacityBytes: 4 * KIB }).maxCapacityBytes).toBe(MIB);
    expect(normalizeConfig({ maxCapacityBytes: GIB + 1 }).maxCapacityBytes).toBe(MIB);
    expect(normalizeConfig({ maxCapacityBytes: Number.NaN }).maxCapacityBytes).toBe(MIB);
    expect(normalizeConfig({ maxCapacityBytes: 10 * MIB }).maxCapacityBytes).toBe(10 * MIB);
    expect(normalizeConfig({ maxCapacityBytes: GIB }).maxCapacityBytes).toBe(GIB);
    // Compared with the normalized initial size: 5000 became 8 KiB, so 6000 is below it.
    expect(normalizeConfig({ initialBufferSize: 5000, maxCapacityBytes: 6000 }).maxCapacityBytes).toBe(MIB);
  });

  it('replaces a ratio that is NaN or outside [0.1, 1.0] by 0.7', () => {
    for (const bad of [Number.NaN, 0, 0.05, 1.01, -1, Infinity]) expect(normalizeConfig({ highWaterMarkRatio: bad }).highWaterMarkRatio).toBe(0.7);
    for (const good of [0.1, 0.5, 0.8, 1.0]) expect(normalizeConfig({ highWaterMarkRatio: good }).highWaterMarkRatio).toBe(good);
  });

  it('always yields a usable config', () => {
    const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constant(undefined));
    fc.assert(
      fc.property(anyNumber, anyNumber, anyNumber, (initial, max, ratio) => {
        const c = normalizeConfig({ initialBufferSize: initial, maxCapacityBytes: max, highWaterMarkRatio: ratio });
        expect(c.initialBufferSize).toBeGreaterThanOrEqual(4 * KIB);
        expect(c.initialBufferSize).toBeLessThanOrEqual(GIB);
        expect(Math.log2(c.initialBufferSize) % 1).toBe(0);
        expect(c.maxCapacityBytes).toBeLessThanOrEqual(GIB);
        expect(c.highWaterMarkRatio).toBeGreaterThanOrEqual(0.1);
        expect(c.highWaterMarkRatio).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('rawConfig (normalize: false)', () => {
  it('keeps values normalize would change, as upstream did', () => {
    expect(rawConfig({ initialBufferSize: 1024, maxCapacityBytes: 4096, highWaterMarkRatio: 0.5 })).toEqual({
      initialBufferSize: 1024,
      maxCapacityBytes: 4096,
      highWaterMarkRatio: 0.5,
    });
  });

  it('refuses values no store can work with', () => {
    expect(() => rawConfig({ initialBufferSize: 10 })).toThrow(RangeError);
    expect(() => rawConfig({ highWaterMarkRatio: 0 })).toThrow(RangeError);
    expect(() => rawConfig({ maxCapacityBytes: Number.NaN })).toThrow(RangeError);
  });
});

describe('rotation sizing', () => {
  const base = { currentSize: 1024, maxCapacityBytes: 4096, ratio: 0.5, headerSize: 17, pendingBytes: 0 };

  it('upstream policy: next power of two of (compacted + pending) / ratio, never smaller, capped', () => {
    expect(rotationBufferSize({ ...base, policy: 'upstream', compactedBytes: 441 })).toBe(1024);
    expect(rotationBufferSize({ ...base, policy: 'upstream', compactedBytes: 539 })).toBe(2048);
    expect(rotationBufferSize({ ...base, policy: 'upstream', compactedBytes: 100 })).toBe(1024);
    expect(rotationBufferSize({ ...base, policy: 'upstream', compactedBytes: 3000 })).toBe(4096);
    expect(rotationBufferSize({ ...base, policy: 'upstream', compactedBytes: 300, pendingBytes: 300 })).toBe(2048);
  });

  it('headroom policy keeps the compacted state within half of the new buffer', () => {
    // 0.8 would put 700 bytes in a 1024 buffer (upstream); headroom asks for 2048.
    expect(rotationBufferSize({ ...base, ratio: 0.8, policy: 'upstream', compactedBytes: 700 })).toBe(1024);
    expect(rotationBufferSize({ ...base, ratio: 0.8, policy: 'headroom', compactedBytes: 700 })).toBe(2048);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0.1, max: 1, noNaN: true }), (compacted, ratio) => {
        const size = rotationBufferSize({ ...base, currentSize: 4096, maxCapacityBytes: 1 << 30, ratio, policy: 'headroom', compactedBytes: compacted });
        expect(2 * (compacted + 17)).toBeLessThanOrEqual(size);
        expect(compacted + 17).toBeLessThanOrEqual(highWaterMark(size, ratio));
      }),
    );
  });

  it('never shrinks a buffer that is already larger than the max (a reopened file)', () => {
    expect(rotationBufferSize({ ...base, currentSize: 8192, policy: 'headroom', compactedBytes: 10 })).toBe(8192);
  });
});
