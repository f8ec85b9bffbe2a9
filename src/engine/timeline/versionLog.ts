import { grow } from './growable';

/** Payloads up to this many bytes are copied byte by byte. */
const SHORT_COPY = 64;

/** What a version is, as bit flags. */
export const DELETE = 1;
/** A later write of the same key has the same timestamp: never an as-of answer (still a write). */
export const SUPERSEDED = 2;
/** First known from a generation's compacted prefix (its predecessor is missing): not a write seen. */
export const RESTATED = 4;
/** Made up to end a version that a gap in history proves ended, at an unknown time inside the gap. */
export const SYNTHETIC = 8;

/**
 * Every version of every key, in timestamp order (file order breaks ties), as parallel typed
 * arrays: about 27 bytes a version plus its payload bytes, and no per-version objects for the
 * garbage collector to trace. Payloads are copied into one arena so that archives need not stay
 * inflated, and values are decoded only when a query returns them.
 */
export class VersionLog {
  count = 0;
  key = new Uint32Array(1024);
  ts = new Float64Array(1024);
  flags = new Uint8Array(1024);
  generation = new Uint16Array(1024);
  /** Offset of the frame in its (inflated) file. */
  fileOffset = new Uint32Array(1024);
  payloadStart = new Uint32Array(1024);
  payloadLength = new Uint32Array(1024);
  arena = Buffer.alloc(64 * 1024);
  arenaUsed = 0;

  append(
    keyId: number,
    ts: number,
    flags: number,
    generation: number,
    fileOffset: number,
    source: Uint8Array,
    payloadStart: number,
    payloadEnd: number,
  ): number {
    const i = this.count;
    if (i === this.key.length) this.growTo(i + 1);
    const length = payloadEnd - payloadStart;
    if (this.arenaUsed + length > this.arena.length) {
      let size = this.arena.length * 2;
      while (size < this.arenaUsed + length) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.arena.copy(next, 0, 0, this.arenaUsed);
      this.arena = next;
    }
    if (length > SHORT_COPY) {
      this.arena.set(source.subarray(payloadStart, payloadEnd), this.arenaUsed);
    } else {
      // Most payloads are a few bytes: a loop beats making a view object per version.
      const arena = this.arena;
      for (let j = 0, at = this.arenaUsed; j < length; j++) arena[at + j] = source[payloadStart + j];
    }
    this.key[i] = keyId;
    this.ts[i] = ts;
    this.flags[i] = flags;
    this.generation[i] = generation;
    this.fileOffset[i] = fileOffset;
    this.payloadStart[i] = this.arenaUsed;
    this.payloadLength[i] = length;
    this.arenaUsed += length;
    this.count = i + 1;
    return i;
  }

  payload(i: number): Buffer {
    return this.arena.subarray(this.payloadStart[i], this.payloadStart[i] + this.payloadLength[i]);
  }

  /** Whether version i's payload equals `source[start, end)` byte for byte. */
  payloadEquals(i: number, source: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (this.payloadLength[i] !== length) return false;
    const base = this.payloadStart[i];
    for (let j = 0; j < length; j++) if (this.arena[base + j] !== source[start + j]) return false;
    return true;
  }

  /** First index whose timestamp is > t (so index - 1 is the last version at or before t). */
  upperBound(t: number): number {
    let lo = 0;
    let hi = this.count;
    const ts = this.ts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose timestamp is >= t. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.count;
    const ts = this.ts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Bytes held, for reporting memory per version. */
  byteSize(): number {
    const perVersion = 4 + 8 + 1 + 2 + 4 + 4 + 4;
    return this.key.length * perVersion + this.arena.length;
  }

  private growTo(needed: number): void {
    this.key = grow(this.key, needed, Uint32Array);
    this.ts = grow(this.ts, needed, Float64Array);
    this.flags = grow(this.flags, needed, Uint8Array);
    this.generation = grow(this.generation, needed, Uint16Array);
    this.fileOffset = grow(this.fileOffset, needed, Uint32Array);
    this.payloadStart = grow(this.payloadStart, needed, Uint32Array);
    this.payloadLength = grow(this.payloadLength, needed, Uint32Array);
  }
}
