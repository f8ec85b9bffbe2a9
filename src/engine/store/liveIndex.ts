/**
 * The live state as positions in the active buffer: per live key, where its latest frame is.
 * Rotation copies those frame bytes instead of re-encoding (original timestamps come along),
 * and values are decoded only when asked for. One Map per scope avoids building a composite
 * key string on every write.
 */
export class LiveSlot {
  constructor(
    /** Offset of the key's latest frame in the active buffer. */
    public offset: number,
    public length: number,
    public timestamp: number,
    /** UTF-8 length of the key, cached so a write of a known key needs no measuring. */
    readonly keyLength: number,
  ) {}
}

export class LiveIndex {
  private readonly scopes: (Map<string, LiveSlot> | undefined)[] = new Array(256);
  /** Number of live keys. */
  size = 0;
  /** Sum of the live frames' lengths: the size of the compacted state. */
  bytes = 0;

  get(scope: number, key: string): LiveSlot | undefined {
    return this.scopes[scope]?.get(key);
  }

  /** Records a key's new latest frame. */
  set(scope: number, key: string, offset: number, length: number, timestamp: number, keyLength: number): void {
    const slot = this.scopes[scope]?.get(key);
    if (slot === undefined) this.insert(scope, key, offset, length, timestamp, keyLength);
    else this.update(slot, offset, length, timestamp);
  }

  /** Adds a key that is not live (the caller checked). */
  insert(scope: number, key: string, offset: number, length: number, timestamp: number, keyLength: number): void {
    let map = this.scopes[scope];
    if (map === undefined) map = this.scopes[scope] = new Map();
    map.set(key, new LiveSlot(offset, length, timestamp, keyLength));
    this.size++;
    this.bytes += length;
  }

  /** Moves a live key's slot to its new latest frame (saves a second lookup on the write path). */
  update(slot: LiveSlot, offset: number, length: number, timestamp: number): void {
    this.bytes += length - slot.length;
    slot.offset = offset;
    slot.length = length;
    slot.timestamp = timestamp;
  }

  delete(scope: number, key: string): boolean {
    const map = this.scopes[scope];
    const slot = map?.get(key);
    if (slot === undefined) return false;
    map!.delete(key);
    this.size--;
    this.bytes -= slot.length;
    return true;
  }

  clear(): void {
    this.scopes.fill(undefined);
    this.size = 0;
    this.bytes = 0;
  }

  /** Live keys, scopes ascending, each scope in insertion order. */
  *entries(): IterableIterator<[number, string, LiveSlot]> {
    for (let scope = 0; scope < 256; scope++) {
      const map = this.scopes[scope];
      if (map) for (const [key, slot] of map) yield [scope, key, slot];
    }
  }

  /** Calls `f` for every live key without allocating an iterator entry per key. */
  forEach(f: (scope: number, key: string, slot: LiveSlot) => void): void {
    for (let scope = 0; scope < 256; scope++) {
      const map = this.scopes[scope];
      if (map) for (const [key, slot] of map) f(scope, key, slot);
    }
  }

  /** Largest timestamp among live keys; 0 when the state is empty. */
  maxTimestamp(): number {
    let max = 0;
    this.forEach((_s, _k, slot) => {
      if (slot.timestamp > max) max = slot.timestamp;
    });
    return max;
  }
}
