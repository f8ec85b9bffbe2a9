import type { Problem } from '../format/problems';
import { grow } from './growable';
import { KeyChains } from './keyChains';
import { KeyTable } from './keyTable';
import { LiveSets } from './liveSets';
import { DELETE, SUPERSEDED, VersionLog } from './versionLog';
import { LiveHash } from './liveHash';
import type { GenerationInfo, IncompleteRange } from './types';

/**
 * Everything the timeline index knows about a store. Versions are appended strictly in
 * timestamp order; `append` keeps the derived structures (latest version per key, live sets,
 * superseded marks) up to date in the same step.
 */
export class IndexState {
  readonly keys = new KeyTable();
  readonly log = new VersionLog();
  readonly chains = new KeyChains();
  readonly live = new LiveSets();
  /** Latest non-superseded version per key id, -1 for none. */
  latest = new Int32Array(1024).fill(-1);
  /** CRC of the frame of each key's latest version, and their multiset hash over live keys. */
  private latestCrc = new Uint32Array(1024);
  readonly liveHash = new LiveHash();
  readonly generations: GenerationInfo[] = [];
  readonly incomplete: IncompleteRange[] = [];
  /** Incomplete ranges whose end is not known yet; a later generation may close them. */
  readonly openEnded = new Set<IncompleteRange>();
  readonly problems: Problem[] = [];

  internKey(scope: number, key: string): number {
    return this.track(this.keys.intern(scope, key));
  }

  /** Interns a key straight from journal bytes (no string made for keys already known). */
  internKeyBytes(scope: number, buf: Uint8Array, start: number, length: number): number {
    return this.track(this.keys.internBytes(scope, buf, start, length));
  }

  private track(id: number): number {
    if (id >= this.latest.length) {
      const old = this.latest.length;
      this.latest = grow(this.latest, id + 1, Int32Array);
      this.latest.fill(-1, old);
      this.latestCrc = grow(this.latestCrc, id + 1, Uint32Array);
    }
    return id;
  }

  /** Last appended timestamp, or -Infinity. */
  lastTimestamp(): number {
    return this.log.count ? this.log.ts[this.log.count - 1] : -Infinity;
  }

  append(
    keyId: number,
    ts: number,
    flags: number,
    generation: number,
    fileOffset: number,
    source: Uint8Array,
    payloadStart: number,
    payloadEnd: number,
    crc: number,
  ): number {
    const previous = this.latest[keyId];
    if (previous >= 0 && this.log.ts[previous] === ts) this.log.flags[previous] |= SUPERSEDED;
    if (previous >= 0 && !(this.log.flags[previous] & DELETE)) this.liveHash.remove(this.latestCrc[keyId]);
    if (!(flags & DELETE)) {
      this.latestCrc[keyId] = crc;
      this.liveHash.add(crc);
    }
    const i = this.log.append(keyId, ts, flags, generation, fileOffset, source, payloadStart, payloadEnd);
    this.latest[keyId] = i;
    this.live.apply(i, keyId, (flags & DELETE) === 0);
    return i;
  }

  /** Whether the key's latest version is a value (it is in the live state now). */
  isLive(keyId: number): boolean {
    const v = this.latest[keyId];
    return v >= 0 && (this.log.flags[v] & DELETE) === 0;
  }

  private marks = new Uint32Array(0);
  private epoch = 0;

  /** A per-key mark array that is "cleared" by bumping the epoch: marks[id] === epoch is set. */
  scratchStamp(): { marks: Uint32Array; epoch: number } {
    if (this.marks.length < this.keys.size) {
      this.marks = new Uint32Array(Math.max(1024, this.keys.size * 2));
      this.epoch = 0;
    }
    return { marks: this.marks, epoch: ++this.epoch };
  }

  private positions: Uint32Array[] = [new Uint32Array(0), new Uint32Array(0)];

  /** Scratch per-key arrays (two of them), sized to the key count; contents undefined. */
  scratchPositions(which: 0 | 1): Uint32Array {
    if (this.positions[which].length < this.keys.size) this.positions[which] = new Uint32Array(this.keys.size * 2);
    return this.positions[which];
  }

  ensureChains(): KeyChains {
    this.chains.ensure(this.log, this.keys.size);
    return this.chains;
  }
}
