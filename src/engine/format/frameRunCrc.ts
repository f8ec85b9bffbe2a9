import { crc32 } from './crc32';
import { varintLength, writeVarint } from './varint';

/**
 * Checks the CRCs of a run of frames with one CRC-32 over the run's bytes (native for all but
 * the shortest runs, see crc32.ts), instead of one CRC per frame (a third of a scan's time when
 * done per frame in JavaScript).
 *
 * It works because a good frame's CRC-32 depends on its length alone:
 * - crc32(body ‖ crc32(body) as u32 LE) is CRC-32's residue 0x2144df1c, whatever the body;
 * - crc32(A ‖ B) = crc32(A)·x^(8·|B|) ⊕ crc32(B) mod the polynomial (zlib's crc32_combine).
 * A frame is `varint L ‖ body ‖ crc`, with L = |body ‖ crc|, so crc32(frame) = crc32(varint L)·x^(8L)
 * ⊕ residue, and a run of good frames has a CRC-32 folded from their lengths. A run with one
 * bad frame always differs from it (multiplying by x^k mod the polynomial loses nothing); two
 * or more bad frames can cancel out with probability 2^-32, the chance that any single frame's
 * CRC passes damaged bytes.
 */
const RESIDUE = 0x2144df1c;
const POLY = 0xedb88320;

/** a·b mod the CRC-32 polynomial, bit-reflected (zlib's multmodp). */
function multModP(a: number, b: number): number {
  let product = 0;
  for (let m = 0x80000000; m !== 0 && a !== 0; m >>>= 1) {
    if (a & m) {
      product ^= b;
      a ^= m;
    }
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) mod the polynomial, k = 0..31 (zlib's x2n_table). */
const X2N: number[] = (() => {
  const table: number[] = [];
  let p = 0x40000000; // x^1
  for (let k = 0; k < 32; k++) {
    table.push(p);
    p = multModP(p, p);
  }
  return table;
})();

/** x^(8·bytes) mod the polynomial: what appending `bytes` bytes multiplies a CRC by. */
function shiftForBytes(bytes: number): number {
  let p = 0x80000000; // x^0
  let k = 3; // 8 = 2^3
  for (let n = bytes; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = multModP(X2N[k & 31], p);
  return p;
}

/** CRC-32 of a length's varint, as a frame starts with it. */
function varintCrc(value: number): number {
  const bytes = new Uint8Array(varintLength(value));
  writeVarint(bytes, 0, value);
  return crc32(bytes);
}

/** Frame lengths below this get lookup tables (4 KiB each, made when first seen: 8 MiB at most). */
const TABLED_LENGTHS = 2048;

/**
 * For body length L: four byte tables that multiply a CRC by x^(8·|frame|), followed by the
 * frame's own CRC (at index 1024).
 */
const tables: (Uint32Array | undefined)[] = [];

function tableFor(bodyLength: number, frameBytes: number): Uint32Array {
  const table = new Uint32Array(1025);
  const shift = shiftForBytes(frameBytes);
  for (let j = 0; j < 4; j++) {
    const row = j * 256;
    // Linear in the byte: each entry is the previous one with its lowest set bit's image added.
    for (let bit = 0; bit < 8; bit++) {
      const image = multModP((1 << (8 * j + bit)) >>> 0, shift);
      const step = 1 << bit;
      for (let b = step; b < 2 * step; b++) table[row + b] = table[row + b - step] ^ image;
    }
  }
  table[1024] = frameCrc(bodyLength);
  return table;
}

function frameCrc(bodyLength: number): number {
  return (multModP(varintCrc(bodyLength), shiftForBytes(bodyLength)) ^ RESIDUE) >>> 0;
}

/**
 * Longer frames: their shift and CRC, remembered for the last length seen in each of 256
 * places (direct-mapped by length), so that a store of big values of a few sizes computes
 * each once, and one of many sizes keeps 6 KiB here, not a table per size.
 */
const LONG_SLOTS = 256;
const longLength = new Float64Array(LONG_SLOTS).fill(-1);
const longShift = new Uint32Array(LONG_SLOTS);
const longCrc = new Uint32Array(LONG_SLOTS);

function addLong(crc: number, bodyLength: number, frameBytes: number): number {
  const slot = bodyLength & (LONG_SLOTS - 1);
  if (longLength[slot] !== bodyLength) {
    longLength[slot] = bodyLength;
    longShift[slot] = shiftForBytes(frameBytes);
    longCrc[slot] = frameCrc(bodyLength);
  }
  return (multModP(crc, longShift[slot]) ^ longCrc[slot]) >>> 0;
}

/**
 * The CRC-32 a run of good frames must have, built frame by frame from their lengths:
 * `add(bodyLength)` for each, then `matches(bytes, start, end)` over the run's bytes.
 */
export class FrameRunCrc {
  private expected = 0;

  reset(): void {
    this.expected = 0;
  }

  /** Appends a frame whose length varint holds `bodyLength` and takes `frameBytes` in all. */
  add(bodyLength: number, frameBytes: number): void {
    const crc = this.expected;
    if (bodyLength < TABLED_LENGTHS) {
      let t = tables[bodyLength];
      if (t === undefined) t = tables[bodyLength] = tableFor(bodyLength, frameBytes);
      this.expected = t[crc & 0xff] ^ t[256 + ((crc >>> 8) & 0xff)] ^ t[512 + ((crc >>> 16) & 0xff)] ^ t[768 + (crc >>> 24)] ^ t[1024];
    } else {
      this.expected = addLong(crc, bodyLength, frameBytes);
    }
  }

  /** Whether bytes [start, end), the frames added since the last reset, are all good. */
  matches(bytes: Uint8Array, start: number, end: number): boolean {
    return crc32(bytes, start, end) === this.expected >>> 0;
  }
}
