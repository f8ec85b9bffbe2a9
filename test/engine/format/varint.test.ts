import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_VARINT_BYTES, readVarint, varintLength, writeVarint, type VarintRead } from '../../../src/engine/format/varint';
import { bigVarint } from './journalBytes';

const read = (bytes: number[] | Uint8Array, offset = 0, end = bytes.length): VarintRead =>
  readVarint(Uint8Array.from(bytes), offset, end, { value: 0, length: 0 });

describe('varint', () => {
  it('round-trips every safe integer, with the length varintLength predicts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.maxSafeNat()), (value) => {
        const buf = new Uint8Array(MAX_VARINT_BYTES + 3);
        const written = writeVarint(buf, 3, value);
        expect(written).toBe(varintLength(value));
        expect(read(buf, 3)).toEqual({ value, length: written });
      }),
    );
  });

  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
  ])('encodes %d as protobuf does', (value, bytes) => {
    const buf = new Uint8Array(10);
    const n = writeVarint(buf, 0, value);
    expect([...buf.subarray(0, n)]).toEqual(bytes);
  });

  it('keeps 2^53 - 1 exact (8 bytes) and matches a bigint encoding', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const buf = new Uint8Array(10);
    const n = writeVarint(buf, 0, max);
    expect(n).toBe(8);
    expect(Buffer.from(buf.subarray(0, n))).toEqual(bigVarint(BigInt(max)));
    expect(read(buf)).toEqual({ value: max, length: 8 });
  });

  it('refuses values a number cannot hold exactly, and negatives', () => {
    const buf = new Uint8Array(10);
    expect(() => writeVarint(buf, 0, 2 ** 53)).toThrow(RangeError);
    expect(() => writeVarint(buf, 0, -1)).toThrow(RangeError);
    expect(() => writeVarint(buf, 0, 1.5)).toThrow(RangeError);
  });

  it('reads the 10-byte maximum (2^64 - 1), inexactly but above every safe integer', () => {
    const bytes = bigVarint(2n ** 64n - 1n);
    expect(bytes.length).toBe(10);
    expect(varintLength(2n ** 64n - 1n)).toBe(10);
    const r = read(bytes);
    expect(r.length).toBe(10);
    expect(r.value).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
  });

  it('reports a varint longer than 10 bytes with length -1', () => {
    expect(read([...Array(10).fill(0x80), 0x01]).length).toBe(-1);
    expect(read(Array(12).fill(0xff)).length).toBe(-1);
  });

  it('reports a varint cut off by `end` with length 0, even when the buffer goes on', () => {
    expect(read([0x80, 0x80]).length).toBe(0);
    expect(read([0x80, 0x80, 0x01], 0, 2).length).toBe(0);
    expect(read([0x80, 0x80, 0x01], 0, 3)).toEqual({ value: 2 ** 14, length: 3 });
    expect(read([], 0, 0).length).toBe(0);
  });
});
