function mix(crc: number): number {
  return Math.imul(crc ^ (crc >>> 15), 0x2c1b3c6d) >>> 0;
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

  /** Whether the multiset of `crcs[0, count)` hashes equal to this one. */
  equalsPrefix(crcs: Uint32Array, count: number): boolean {
    let a = 0;
    let b = 0;
    for (let i = 0; i < count; i++) {
      const crc = crcs[i];
      a = (a + crc) >>> 0;
      b = (b + Math.imul(crc ^ (crc >>> 15), 0x2c1b3c6d)) >>> 0;
    }
    return a === this.a && b === this.b;
  }
}
