import { grow } from './growable';

/**
 * Interns every (scope, key) of a store as a dense id, in first-seen order, so the rest of the
 * index stores 4-byte ids instead of strings. Sorted order (scope, then key by UTF-8 bytes,
 * i.e. by code point) is kept as a permutation, rebuilt lazily when keys were added.
 */
export class KeyTable {
  private readonly ids: Map<string, number>[] = [];
  private scopes = new Uint8Array(1024);
  private readonly keys: string[] = [];
  private sorted: Uint32Array | null = null;
  private ranks: Uint32Array | null = null;

  get size(): number {
    return this.keys.length;
  }

  /** Id of (scope, key), adding it when new. */
  intern(scope: number, key: string): number {
    let byKey = this.ids[scope];
    if (!byKey) byKey = this.ids[scope] = new Map();
    let id = byKey.get(key);
    if (id === undefined) {
      id = this.keys.length;
      byKey.set(key, id);
      this.keys.push(key);
      this.scopes = grow(this.scopes, id + 1, Uint8Array);
      this.scopes[id] = scope;
      this.sorted = null;
      this.ranks = null;
    }
    return id;
  }

  find(scope: number, key: string): number | undefined {
    return this.ids[scope]?.get(key);
  }

  scopeOf(id: number): number {
    return this.scopes[id];
  }

  keyOf(id: number): string {
    return this.keys[id];
  }

  /** Scopes that occur, ascending. */
  scopeList(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.ids.length; s++) if (this.ids[s]?.size) out.push(s);
    return out;
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

  private buildOrder(): void {
    const n = this.keys.length;
    const bytes = this.keys.map((k) => Buffer.from(k, 'utf8'));
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => this.scopes[a] - this.scopes[b] || Buffer.compare(bytes[a], bytes[b]));
    this.sorted = Uint32Array.from(order);
    this.ranks = new Uint32Array(n);
    for (let r = 0; r < n; r++) this.ranks[this.sorted[r]] = r;
  }
}
