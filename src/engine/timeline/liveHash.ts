const MODULUS = 2 ** 48;

function mix(crc: number): number {
  return Math.imul(crc ^ (crc >>> 15), 0x2c1b3c6d) >>> 0;
}

/**
 * A multiset hash of frame CRCs (two independent sums, so a chance collision needs both to
 * collide): adding and removing are O(1), and equal multisets hash equal in any order.
 */
export class LiveHash {
  private a = 0;
  private b = 0;

  add(crc: number): void {
    this.a = (this.a + crc) % MODULUS;
    this.b = (this.b + mix(crc)) % MODULUS;
  }

  remove(crc: number): void {
    this.a = (this.a - crc + MODULUS) % MODULUS;
    this.b = (this.b - mix(crc) + MODULUS) % MODULUS;
  }

  equals(other: LiveHash): boolean {
    return this.a === other.a && this.b === other.b;
  }
}
