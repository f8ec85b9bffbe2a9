import { crc32 } from '../../../src/engine/format/crc32';
import { HEADER_SIZE, writeHeader, type HeaderVariant } from '../../../src/engine/format/header';

/** Test-only builders for journal bytes, including damage no writer would produce. */

/** LEB128 of any non-negative bigint, so tests can write varints beyond 2^53 or 10 bytes. */
export function bigVarint(value: bigint): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/** A frame around an arbitrary body (scope .. payload): a valid CRC and length, whatever the body says. */
export function frameAround(body: Uint8Array): Buffer {
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body));
  return Buffer.concat([bigVarint(BigInt(body.length + 4)), body, crc]);
}

/** A journal: header, the given chunks back to back, `position` just past them, then a zero tail. */
export function journalOf(chunks: Uint8Array[], variant: HeaderVariant = 'v17', zeroTail = 32): Buffer {
  const body = Buffer.concat(chunks);
  const buf = Buffer.alloc(HEADER_SIZE[variant] + body.length + zeroTail);
  writeHeader(buf, variant, HEADER_SIZE[variant] + body.length);
  body.copy(buf, HEADER_SIZE[variant]);
  return buf;
}

/** Offsets at which each chunk starts in `journalOf(chunks, variant)`. */
export function chunkOffsets(chunks: Uint8Array[], variant: HeaderVariant = 'v17'): number[] {
  const offsets: number[] = [];
  let at = HEADER_SIZE[variant];
  for (const c of chunks) {
    offsets.push(at);
    at += c.length;
  }
  return offsets;
}
