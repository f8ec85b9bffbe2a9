// The reference model the reliability tests hold the engine to: the writes a writer
// acknowledged, in order, and what they imply (the state at T, the latest state, the version
// after a given one). String values only; `null` is a DELETE.

export interface Write {
  scope: number;
  key: string;
  /** null = DELETE (a tombstone). */
  value: string | null;
  ts: number;
}

/** A live key in a state: [scope, key, value, validFrom]. */
export type StateRow = [number, string, string, number];

export const keyId = (scope: number, key: string): string => `${scope}\u0000${key}`;

/** The order the explorer lists keys in: scope, then the key's UTF-8 bytes. */
export function compareKeys(a: { scope: number; key: string }, b: { scope: number; key: string }): number {
  return a.scope - b.scope || Buffer.compare(Buffer.from(a.key, 'utf8'), Buffer.from(b.key, 'utf8'));
}

/** The latest write of each key, after applying writes in order (same-timestamp writes: last wins). */
export class Replay {
  readonly latest = new Map<string, Write>();

  apply(w: Write): void {
    this.latest.set(keyId(w.scope, w.key), w);
  }

  applyAll(writes: Iterable<Write>): this {
    for (const w of writes) this.apply(w);
    return this;
  }

  isLive(scope: number, key: string): boolean {
    const w = this.latest.get(keyId(scope, key));
    return w !== undefined && w.value !== null;
  }

  /** The live keys, in the explorer's order. */
  rows(): StateRow[] {
    return [...this.latest.values()]
      .filter((w) => w.value !== null)
      .sort(compareKeys)
      .map((w) => [w.scope, w.key, w.value!, w.ts]);
  }
}

/** Index of the first write with ts > t (writes are in journal order, so ts never decreases). */
export function upperBound(writes: readonly Write[], t: number): number {
  let lo = 0;
  let hi = writes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (writes[mid].ts <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The state at t: every key whose latest write at or before t is a value. */
export function stateAt(writes: readonly Write[], t: number): StateRow[] {
  return new Replay().applyAll(writes.slice(0, upperBound(writes, t))).rows();
}

/**
 * validTo of the version of (scope, key) that is current at t: the timestamp of the key's next
 * write after t (value or tombstone), or null when there is none among `writes`.
 */
export function nextVersionAfter(writes: readonly Write[], scope: number, key: string, t: number): number | null {
  for (let i = upperBound(writes, t); i < writes.length; i++) {
    const w = writes[i];
    if (w.scope === scope && w.key === key) return w.ts;
  }
  return null;
}

export const sameWrite = (a: Write, b: Write): boolean => a.scope === b.scope && a.key === b.key && a.value === b.value && a.ts === b.ts;

export const describeWrite = (w: Write): string => `${w.scope}/${JSON.stringify(w.key)}@${w.ts}=${w.value === null ? 'DELETE' : JSON.stringify(w.value.length > 24 ? w.value.slice(0, 24) + '…' : w.value)}`;
