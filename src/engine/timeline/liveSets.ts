import { grow } from './growable';

/**
 * Which keys are live, as bitsets over key ids: the running set while versions are appended,
 * and a snapshot every `interval` versions. "State at T" starts from the snapshot before T and
 * applies at most `interval` versions, so it costs the same anywhere on the timeline. The
 * interval doubles whenever snapshots would exceed ~2 bytes per version.
 */
export class LiveSets {
  interval = 4096;
  bits = new Uint32Array(32);
  liveCount = 0;
  /** snapshots[j] = live set after the first (j + 1) * interval versions. */
  snapshots: { bits: Uint32Array; liveCount: number }[] = [];
  private snapshotBytes = 0;

  /** Records the liveness of `keyId` after version number `index` (0-based) is applied. */
  apply(index: number, keyId: number, live: boolean): void {
    const word = keyId >>> 5;
    if (word >= this.bits.length) this.bits = grow(this.bits, word + 1, Uint32Array);
    const mask = 1 << (keyId & 31);
    const was = (this.bits[word] & mask) !== 0;
    if (live && !was) {
      this.bits[word] |= mask;
      this.liveCount++;
    } else if (!live && was) {
      this.bits[word] &= ~mask;
      this.liveCount--;
    }
    // The interval is a power of two: a mask, not a division, on every version appended.
    if (((index + 1) & (this.interval - 1)) === 0) this.snapshot(index + 1);
  }

  /** The snapshot covering the most versions, at most `versions`; null = start from empty. */
  baseFor(versions: number): { bits: Uint32Array; liveCount: number; versions: number } | null {
    const j = Math.floor(versions / this.interval) - 1;
    if (j < 0) return null;
    const s = this.snapshots[j];
    return { ...s, versions: (j + 1) * this.interval };
  }

  byteSize(): number {
    return this.snapshotBytes + this.bits.byteLength;
  }

  private snapshot(versions: number): void {
    const bits = this.bits.slice(0, this.usedWords());
    this.snapshots.push({ bits, liveCount: this.liveCount });
    this.snapshotBytes += bits.byteLength;
    if (this.snapshotBytes > 2 * versions + (1 << 20)) this.coarsen();
  }

  private usedWords(): number {
    let n = this.bits.length;
    while (n > 0 && this.bits[n - 1] === 0) n--;
    return n;
  }

  private coarsen(): void {
    this.interval *= 2;
    this.snapshots = this.snapshots.filter((_, j) => j % 2 === 1);
    this.snapshotBytes = this.snapshots.reduce((sum, s) => sum + s.bits.byteLength, 0);
  }
}

export function testBit(bits: Uint32Array, id: number): boolean {
  const word = id >>> 5;
  return word < bits.length && (bits[word] & (1 << (id & 31))) !== 0;
}

export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of ids set in both `a` and `b` (b null = all). */
export function countAnd(a: Uint32Array, b: Uint32Array | null): number {
  let n = 0;
  if (b === null) {
    for (let i = 0; i < a.length; i++) if (a[i]) n += popcount32(a[i]);
    return n;
  }
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    const w = a[i] & b[i];
    if (w) n += popcount32(w);
  }
  return n;
}
