import { decodePayload, type PayloadDecode, type PayloadLayout } from '../format/payload';
import type { Problem } from '../format/problems';
import { grow } from './growable';
import { KeyChains } from './keyChains';
import { KeyTable } from './keyTable';
import { LiveSets } from './liveSets';
import { DELETE, SUPERSEDED, VersionLog } from './versionLog';
import { LiveHash } from './liveHash';
import type { GenerationInfo, IncompleteRange } from './types';

/** Fields of `IndexState.latestOf` per key. */
const LATEST_FIELDS = 3;

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
  /**
   * Per key id, side by side: [latest version (-1 for none), its timestamp, the CRC of its frame
   * (-1 when it is a delete)]. Appending a write reads all three; kept together they are one
   * cache miss, not one in each of four arrays.
   */
  private latestOf = new Float64Array(LATEST_FIELDS * 1024).fill(-1);
  /** Multiset hash of the CRCs of the live keys' latest frames (see liveHash.ts). */
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
    if (LATEST_FIELDS * (id + 1) > this.latestOf.length) {
      const old = this.latestOf.length;
      this.latestOf = grow(this.latestOf, LATEST_FIELDS * (id + 1), Float64Array);
      this.latestOf.fill(-1, old);
    }
    return id;
  }

  /** The payload layout of version v: its generation's. */
  payloadLayoutOf(v: number): PayloadLayout {
    return this.generations[this.log.generation[v]]?.layout.payloadLayout ?? 'state-value';
  }

  /** Version v's value, decoded now (null for a delete payload). */
  decodeVersion(v: number): PayloadDecode {
    return decodePayload(this.payloadLayoutOf(v), this.log.payload(v));
  }

  /** The key's latest version, -1 for none. */
  latestVersion(keyId: number): number {
    return this.latestOf[LATEST_FIELDS * keyId];
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
    const at = LATEST_FIELDS * keyId;
    const latest = this.latestOf;
    const previous = latest[at];
    if (previous >= 0 && latest[at + 1] === ts) this.log.flags[previous] |= SUPERSEDED;
    if (latest[at + 2] >= 0) this.liveHash.remove(latest[at + 2]);
    const live = (flags & DELETE) === 0;
    if (live) this.liveHash.add(crc);
    const i = this.log.append(keyId, ts, flags, generation, fileOffset, source, payloadStart, payloadEnd);
    latest[at] = i;
    latest[at + 1] = ts;
    latest[at + 2] = live ? crc : -1;
    this.live.apply(i, keyId, live);
    return i;
  }

  /** Whether the key's latest version is a value (it is in the live state now). */
  isLive(keyId: number): boolean {
    return this.latestOf[LATEST_FIELDS * keyId + 2] >= 0;
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
