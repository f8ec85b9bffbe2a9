function mix(crc: number): number {
  return Math.imul(crc ^ (crc >>> 15), 0x2c1b3c6d) >>> 0;
}

/** The two sums of a multiset hash of CRCs (see LiveHash), to compare or to carry on. */
export interface CrcSums {
  a: number;
  b: number;
}

/** Adds `crcs[from, to)` to `sums` (a fresh pair by default) and returns it. */
export function sumCrcs(crcs: Uint32Array, from: number, to: number, sums: CrcSums = { a: 0, b: 0 }): CrcSums {
  let a = sums.a;
  let b = sums.b;
  for (let i = from; i < to; i++) {
    a = (a + crcs[i]) >>> 0;
    b = (b + mix(crcs[i])) >>> 0;
  }
  sums.a = a;
  sums.b = b;
  return sums;
}

/**
 * A multiset hash of frame CRCs: two independent sums modulo 2^32 (the CRCs themselves and a
 * mix of them), so a chance collision needs both to collide. Adding and removing are O(1),
 * equal multisets hash equal in any order, and the arithmetic stays in 32-bit integers: it runs
 * once per restated frame, millions of times when a big store is opened.
 */
export class LiveHash {
  private a = 0;
  private b = 0;

  add(crc: number): void {
    this.a = (this.a + crc) >>> 0;
    this.b = (this.b + mix(crc)) >>> 0;
  }

  remove(crc: number): void {
    this.a = (this.a - crc) >>> 0;
    this.b = (this.b - mix(crc)) >>> 0;
  }

  /** Whether a multiset with these sums (see sumCrcs) hashes equal to this one. */
  equals(sums: CrcSums): boolean {
    return sums.a === this.a && sums.b === this.b;
  }
}
