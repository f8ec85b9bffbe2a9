import { grow } from './growable';

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * Interns every (scope, key) of a store as a dense id, in first-seen order, so the rest of the
 * index stores 4-byte ids instead of strings. Lookups hash the key's bytes straight from the
 * journal buffer (FNV-1a, open addressing): most frames restate keys already known, and
 * making a string for each of them would cost more than the rest of the scan. Sorted order
 * (scope, then key by UTF-8 bytes, i.e. by code point) is a permutation rebuilt lazily.
 */
/** Ints a hash-table slot takes, and the key bytes it holds inline (see `table`). */
const SLOT = 8;
const INLINE_BYTES = 16;

export class KeyTable {
  /**
   * Open addressing, SLOT ints a slot: [hash, id + 1 (0 = empty), start in `bytes`,
   * length << 8 | scope, then the key's first INLINE_BYTES bytes]. A lookup of a key that short
   * reads one slot and nothing else: with a hundred thousand keys every other array touched is
   * a cache miss per write indexed.
   */
  private table = new Int32Array(SLOT << 12);
  private scopes = new Uint8Array(1024);
  /** Per id: [start in `bytes`, length << 8 | scope], side by side for the lookup's sake. */
  private meta = new Uint32Array(2048);
  private bytes = new Uint8Array(64 * 1024);
  private bytesUsed = 0;
  /**
   * Each key as a string, made when first asked for: an open interns a hundred thousand keys
   * and a query shows a page of them.
   */
  private readonly names: (string | undefined)[] = [];
  private count = 0;
  private sorted: Uint32Array | null = null;
  private ranks: Uint32Array | null = null;

  get size(): number {
    return this.count;
  }

  /**
   * Room for `keys` keys without rehashing. A store's first generation brings tens of
   * thousands of keys before the code that interns them is optimized, and rehashing the
   * table as it doubles, in cold code, took about 40 ms of an open's first 250.
   */
  reserve(keys: number): void {
    let length = this.table.length;
    while (keys * 2 * SLOT > length) length *= 2;
    if (length > this.table.length) this.rehash(length);
    this.scopes = grow(this.scopes, keys, Uint8Array);
    this.meta = grow(this.meta, 2 * keys, Uint32Array);
  }

  /** Id of (scope, key bytes at buf[start, start+length)), adding it when new. */
  internBytes(scope: number, buf: Uint8Array, start: number, length: number): number {
    const hash = hashOf(scope, buf, start, length) | 0;
    const slot = this.slotOf(hash, scope, buf, start, length);
    const entry = this.table[SLOT * slot + 1];
    return entry === 0 ? this.add(slot, hash, scope, buf, start, length) : entry - 1;
  }

  /** The slot holding (scope, key bytes), or the empty slot where it would go. */
  private slotOf(hash: number, scope: number, buf: Uint8Array, start: number, length: number): number {
    const mask = this.table.length / SLOT - 1;
    const table = this.table;
    const lengthScope = (length << 8) | scope;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = SLOT * slot;
      if (table[at + 1] === 0) return slot;
      if (table[at] === hash && table[at + 3] === lengthScope && this.sameKey(at, buf, start, length)) return slot;
    }
  }

  intern(scope: number, key: string): number {
    const b = encoder.encode(key);
    return this.internBytes(scope, b, 0, b.length);
  }

  find(scope: number, key: string): number | undefined {
    const b = encoder.encode(key);
    const entry = this.table[SLOT * this.slotOf(hashOf(scope, b, 0, b.length) | 0, scope, b, 0, b.length) + 1];
    return entry === 0 ? undefined : entry - 1;
  }

  scopeOf(id: number): number {
    return this.scopes[id];
  }

  keyOf(id: number): string {
    let name = this.names[id];
    if (name === undefined) {
      const start = this.meta[2 * id];
      name = this.names[id] = utf8.decode(this.bytes.subarray(start, start + (this.meta[2 * id + 1] >>> 8)));
    }
    return name;
  }

  /** Whether key `id`'s bytes start with `prefix` and contain `part` (either may be empty). */
  keyBytesMatch(id: number, prefix: Uint8Array, part: Uint8Array): boolean {
    const bytes = this.bytes;
    const start = this.meta[2 * id];
    const end = start + (this.meta[2 * id + 1] >>> 8);
    if (start + prefix.length > end) return false;
    for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
    if (part.length === 0) return true;
    search: for (let at = start; at + part.length <= end; at++) {
      for (let i = 0; i < part.length; i++) if (bytes[at + i] !== part[i]) continue search;
      return true;
    }
    return false;
  }

  /** Scopes that occur, ascending. */
  scopeList(): number[] {
    const seen = new Set<number>();
    for (let id = 0; id < this.count; id++) seen.add(this.scopes[id]);
    return [...seen].sort((a, b) => a - b);
  }

  /** Ids in sorted order. */
  sortedIds(): Uint32Array {
    if (!this.sorted) this.buildOrder();
    return this.sorted!;
  }

  /** Rank of each id in sorted order. */
  rankOf(): Uint32Array {
    if (!this.ranks) this.buildOrder();
    return this.ranks!;
  }

  /** Whether the key in the slot at `at` has these bytes (its length already matched). */
  private sameKey(at: number, buf: Uint8Array, start: number, length: number): boolean {
    const table = this.table;
    const inline = length < INLINE_BYTES ? length : INLINE_BYTES;
    // Four bytes to a compare, as `fill` packs them (little endian, zeros past the key).
    let i = 0;
    for (; i + 4 <= inline; i += 4) {
      const word = buf[start + i] | (buf[start + i + 1] << 8) | (buf[start + i + 2] << 16) | (buf[start + i + 3] << 24);
      if (table[at + 4 + (i >> 2)] !== word) return false;
    }
    for (; i < inline; i++) {
      if (((table[at + 4 + (i >> 2)] >>> ((i & 3) << 3)) & 0xff) !== buf[start + i]) return false;
    }
    const bytes = this.bytes;
    const base = table[at + 2];
    for (let i = inline; i < length; i++) if (bytes[base + i] !== buf[start + i]) return false;
    return true;
  }

  private add(slot: number, hash: number, scope: number, buf: Uint8Array, start: number, length: number): number {
    const id = this.count++;
    this.names.push(undefined);
    this.scopes = grow(this.scopes, id + 1, Uint8Array);
    this.meta = grow(this.meta, 2 * id + 2, Uint32Array);
    const bytes = (this.bytes = grow(this.bytes, this.bytesUsed + length, Uint8Array));
    // Keys are short: a loop, not a view object per key for `set`.
    for (let i = 0; i < length; i++) bytes[this.bytesUsed + i] = buf[start + i];
    this.scopes[id] = scope;
    this.meta[2 * id] = this.bytesUsed;
    this.meta[2 * id + 1] = ((length << 8) | scope) >>> 0;
    this.bytesUsed += length;
    this.fill(this.table, slot, id, hash);
    // Rehash at half full.
    if ((id + 1) * 2 * SLOT > this.table.length) this.rehash(this.table.length * 2);
    this.sorted = null;
    this.ranks = null;
    return id;
  }

  private fill(table: Int32Array, slot: number, id: number, hash: number): void {
    const at = SLOT * slot;
    const start = this.meta[2 * id];
    const length = this.meta[2 * id + 1] >>> 8;
    table[at] = hash;
    table[at + 1] = id + 1;
    table[at + 2] = start;
    table[at + 3] = this.meta[2 * id + 1];
    for (let i = 0; i < length && i < INLINE_BYTES; i++) table[at + 4 + (i >> 2)] |= this.bytes[start + i] << ((i & 3) << 3);
  }

  /** A table of `length` ints; each entry moves whole (a slot holds all a lookup needs), in slot order. */
  private rehash(length: number): void {
    const old = this.table;
    const table = new Int32Array(length);
    const mask = table.length / SLOT - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      if (old[from + 1] === 0) continue;
      let slot = old[from] & mask;
      while (table[SLOT * slot + 1] !== 0) slot = (slot + 1) & mask;
      for (let k = 0; k < SLOT; k++) table[SLOT * slot + k] = old[from + k];
    }
    this.table = table;
  }

  private buildOrder(): void {
    const n = this.count;
    const order = Array.from({ length: n }, (_, i) => i);
    const { scopes, meta, bytes } = this;
    order.sort((a, b) => {
      if (scopes[a] !== scopes[b]) return scopes[a] - scopes[b];
      const la = meta[2 * a + 1] >>> 8;
      const lb = meta[2 * b + 1] >>> 8;
      const sa = meta[2 * a];
      const sb = meta[2 * b];
      const len = Math.min(la, lb);
      for (let i = 0; i < len; i++) {
        const d = bytes[sa + i] - bytes[sb + i];
        if (d !== 0) return d;
      }
      return la - lb;
    });
    this.sorted = Uint32Array.from(order);
    this.ranks = new Uint32Array(n);
    for (let r = 0; r < n; r++) this.ranks[this.sorted[r]] = r;
  }
}

/**
 * FNV-1a over the scope byte and the key, four bytes a step, then MurmurHash3's finalizer:
 * a multiply only carries low bits upwards, and the table indexes by the low bits.
 */
function hashOf(scope: number, buf: Uint8Array, start: number, length: number): number {
  let h = Math.imul(0x811c9dc5 ^ scope, 0x01000193);
  const end = start + length;
  let i = start;
  for (; i + 4 <= end; i += 4) h = Math.imul(h ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)), 0x01000193);
  for (; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
