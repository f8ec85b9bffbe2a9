/** LEB128 varints, at most 10 bytes, as the frame format uses them. */

export const MAX_VARINT_BYTES = 10;

/** Bytes needed to encode a non-negative integer (number up to 2^53, or bigint up to 2^64). */
export function varintLength(value: number | bigint): number {
  let v = BigInt(value);
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** Writes `value` at `offset`; returns the number of bytes written. */
export function writeVarint(buf: Uint8Array, offset: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`varint value must be a non-negative safe integer, got ${value}`);
  }
  let pos = offset;
  // Division keeps this exact above 2^32, where bitwise operators would truncate.
  while (value >= 0x80) {
    buf[pos++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  buf[pos++] = value;
  return pos - offset;
}

/** Result of reading a varint: `length` 0 means it ran past `end`, -1 that it exceeded 10 bytes. */
export interface VarintRead {
  value: number;
  length: number;
}

/**
 * Reads a varint as a JavaScript number. Values beyond 2^53 are returned inexact; callers that
 * care (timestamps) compare against Number.MAX_SAFE_INTEGER, which such values exceed.
 */
export function readVarint(buf: Uint8Array, offset: number, end: number, out: VarintRead): VarintRead {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const pos = offset + i;
    if (pos >= end) {
      out.value = 0;
      out.length = 0;
      return out;
    }
    const byte = buf[pos];
    value += (byte & 0x7f) * multiplier; // multiply, not 2 ** shift: far faster in a hot loop
    if (byte < 0x80) {
      out.value = value;
      out.length = i + 1;
      return out;
    }
    multiplier *= 128;
  }
  out.value = 0;
  out.length = -1;
  return out;
}
