import { SUPERSEDED, type VersionLog } from './versionLog';

/**
 * Each key's versions in time order, excluding superseded ones (at most one version per key
 * and timestamp), as one flat array of version indices with a start offset per key. Rebuilt
 * in one counting pass, O(versions + keys), whenever versions were appended since.
 */
export class KeyChains {
  start = new Uint32Array(1);
  versions = new Uint32Array(0);
  /**
   * For each version, its position in its key's chain; a superseded version gets the position
   * of the version that supersedes it (the next one of the key, at the same timestamp).
   */
  position = new Uint32Array(0);
  private builtFor = -1;

  ensure(log: VersionLog, keyCount: number): void {
    if (this.builtFor === log.count && this.start.length === keyCount + 1) return;
    const start = new Uint32Array(keyCount + 1);
    const { key, flags } = log;
    for (let i = 0; i < log.count; i++) if (!(flags[i] & SUPERSEDED)) start[key[i] + 1]++;
    for (let k = 0; k < keyCount; k++) start[k + 1] += start[k];
    const fill = start.slice(0, keyCount);
    const versions = new Uint32Array(start[keyCount]);
    const position = new Uint32Array(log.count);
    for (let i = 0; i < log.count; i++) {
      const k = key[i];
      position[i] = fill[k];
      if (!(flags[i] & SUPERSEDED)) versions[fill[k]++] = i;
    }
    this.start = start;
    this.versions = versions;
    this.position = position;
    this.builtFor = log.count;
  }

  /**
   * Position (in `versions`) of the key's version in force at t: the last with timestamp <= t,
   * or -1 when the key had no version yet.
   */
  at(log: VersionLog, keyId: number, t: number): number {
    let lo = this.start[keyId];
    let hi = this.start[keyId + 1];
    const first = lo;
    const ts = log.ts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[this.versions[mid]] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === first ? -1 : lo - 1;
  }

  /** Position of the first version with timestamp > t, or the chain end. */
  after(log: VersionLog, keyId: number, t: number): number {
    let lo = this.start[keyId];
    let hi = this.start[keyId + 1];
    const ts = log.ts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[this.versions[mid]] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  end(keyId: number): number {
    return this.start[keyId + 1];
  }

  begin(keyId: number): number {
    return this.start[keyId];
  }
}
