import type { IndexState } from '../indexState';
import { testBit } from '../liveSets';
import { DELETE } from '../versionLog';

/**
 * The live set at a time, as a snapshot bitset plus the few keys whose liveness differs from
 * it (the versions between the snapshot and t). Cheap to build anywhere on the timeline: at
 * most one snapshot interval of versions is replayed.
 */
export class LiveView {
  constructor(
    readonly base: Uint32Array,
    readonly baseCount: number,
    /** flipped[id] === epoch marks a key whose liveness at t is the opposite of `base`. */
    private readonly flipped: Uint32Array,
    private readonly epoch: number,
    /** Keys flipped, and whether each is live at t. */
    readonly flips: { id: number; live: boolean }[],
  ) {}

  isLive(id: number): boolean {
    return testBit(this.base, id) !== (id < this.flipped.length && this.flipped[id] === this.epoch);
  }
}

export class LiveViewBuilder {
  private stamp = new Uint32Array(0);
  private flipped = new Uint32Array(0);
  private lastFlags = new Uint8Array(0);
  private epoch = 0;

  /** Live set after the first `versions` versions of the log. */
  build(state: IndexState, versions: number): LiveView {
    const keyCount = state.keys.size;
    if (this.stamp.length < keyCount) {
      this.stamp = new Uint32Array(keyCount * 2);
      this.flipped = new Uint32Array(keyCount * 2);
      this.lastFlags = new Uint8Array(keyCount * 2);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    const base = state.live.baseFor(versions);
    const bits = base?.bits ?? new Uint32Array(0);
    const start = base?.versions ?? 0;
    const { key, flags } = state.log;
    const touched: number[] = [];
    for (let i = start; i < versions; i++) {
      const id = key[i];
      if (this.stamp[id] !== epoch) {
        this.stamp[id] = epoch;
        touched.push(id);
      }
      this.lastFlags[id] = flags[i];
    }
    const flips: { id: number; live: boolean }[] = [];
    for (const id of touched) {
      const live = (this.lastFlags[id] & DELETE) === 0;
      if (live !== testBit(bits, id)) {
        this.flipped[id] = epoch;
        flips.push({ id, live });
      }
    }
    return new LiveView(bits, base?.liveCount ?? 0, this.flipped, epoch, flips);
  }
}
