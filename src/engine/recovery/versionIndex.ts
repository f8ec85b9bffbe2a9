import type { KeyTable } from '../timeline/keyTable';
import type { PayloadStore } from './payloadStore';
import type { StateRow } from './types';

/** A version whose payload is nowhere: a tombstone recovery inferred (see `addInferredTombstone`). */
const NO_SOURCE = -1;

/**
 * Every known version of every (scope, key), as columns plus one chain of version indexes per
 * key. Versions are appended in store order (generation, then file order), which is also the
 * tie-break among equal timestamps: the one appended last is the version.
 */
export class VersionIndex {
  private readonly timestamps: number[] = [];
  private readonly tombstones: boolean[] = [];
  private readonly sources: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly chains: number[][] = [];
  private outOfOrder = false;
  /** Keys whose latest appended version is a value. */
  readonly live = new Set<number>();

  constructor(
    private readonly keys: KeyTable,
    private readonly payloads: PayloadStore,
  ) {}

  add(keyId: number, timestamp: number, tombstone: boolean, source: number, start: number, end: number): void {
    const index = this.timestamps.length;
    this.timestamps.push(timestamp);
    this.tombstones.push(tombstone);
    this.sources.push(source);
    this.starts.push(start);
    this.ends.push(end);
    const chain = (this.chains[keyId] ??= []);
    if (chain.length > 0 && this.timestamps[chain[chain.length - 1]] > timestamp) this.outOfOrder = true;
    chain.push(index);
    if (tombstone) this.live.delete(keyId);
    else this.live.add(keyId);
  }

  /**
   * A key we know as live that a complete compacted prefix does not restate was deleted while
   * we were not looking. Without this tombstone it would stay live forever after a gap.
   */
  addInferredTombstone(keyId: number, timestamp: number): void {
    this.add(keyId, timestamp, true, NO_SOURCE, 0, 0);
  }

  /**
   * Sorts chains left out of timestamp order, which only files that do not belong together
   * produce (new writes are clamped; a restated version is never older than known history in a
   * real store). Stable: ties keep store order.
   */
  finish(): void {
    if (!this.outOfOrder) return;
    for (const chain of this.chains) chain?.sort((a, b) => this.timestamps[a] - this.timestamps[b] || a - b);
    this.outOfOrder = false;
  }

  /** Every (scope, key) whose latest version at or before `at` is a value, in `order`. */
  stateAt(at: number, order: ArrayLike<number>): StateRow[] {
    const rows: StateRow[] = [];
    for (let i = 0; i < order.length; i++) {
      const keyId = order[i];
      const chain = this.chains[keyId];
      if (!chain) continue;
      const v = this.latestAtOrBefore(chain, at);
      if (v < 0 || this.tombstones[v]) continue;
      const value = this.payloads.decode(this.sources[v], this.starts[v], this.ends[v]);
      if (value === null) continue;
      rows.push({ scope: this.keys.scopeOf(keyId), key: this.keys.keyOf(keyId), value, timestamp: this.timestamps[v] });
    }
    return rows;
  }

  /** Binary search: the last version in the chain with timestamp <= at, or -1. */
  private latestAtOrBefore(chain: number[], at: number): number {
    let lo = 0;
    let hi = chain.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timestamps[chain[mid]] <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? -1 : chain[lo - 1];
  }
}
