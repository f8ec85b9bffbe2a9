import { problem, type Problem } from '../format/problems';
import { generationGapProblems, leftoverJournalProblems } from '../timeline/gapProblems';
import { TimelineIndex, type TimelineOptions } from '../timeline/timelineIndex';
import { DELETE } from '../timeline/versionLog';
import type { FolderRecoveryOptions, GenerationInfo, IncompleteRange, RecoveryOptions, StateRow } from './types';

/**
 * Point-in-time recovery over every generation of a store: active journal, old journals and
 * `.zz` archives, in any of the three layouts. Semantics (versioned-semantics.md): the state at
 * T holds every (scope, key) whose latest version with timestamp <= T is a value; among equal
 * timestamps the one later in the store wins.
 *
 * Unlike upstream recovery it does not stop at damage or at a missing archive: it answers from
 * what is there, lists every problem as data, and says in `incompleteRanges` which time ranges
 * those answers may be wrong for.
 *
 * A facade over the timeline index (src/engine/timeline), which holds the one implementation of
 * how generations join (generations.ts, ingest.ts; docs/FORMAT.md has the rules in prose): this
 * class opens an index and answers whole states from it, where the index answers in pages.
 */
export class VersionedRecovery {
  private constructor(
    /** null when no file was given: nothing is known. */
    private readonly index: TimelineIndex | null,
    /** Every problem of every file, plus generations that do not connect. */
    readonly problems: Problem[],
    /** Time ranges [from, to) where the answer is not fully known, with the reason. */
    readonly incompleteRanges: IncompleteRange[],
    /** What the index made of each generation it has a file for, oldest first. */
    readonly generations: GenerationInfo[],
  ) {}

  /** The store in `dir` (and its `snapshots/` folder); `store` may be omitted when there is one. */
  static async fromFolder(dir: string, options: FolderRecoveryOptions = {}): Promise<VersionedRecovery> {
    return VersionedRecovery.over(await TimelineIndex.open(dir, { ...indexOptions(options), store: options.store }));
  }

  /**
   * Explicit files of one store, named as a store names them (`NAME.jrn.<G>`,
   * `NAME.jrn.t<T>.zz`, `NAME.jrn.g<G>.t<T>.zz`), in any order: the names give the generation
   * order. A path that cannot be read is reported ('unreadable-file') and its generation lost.
   */
  static async fromFiles(paths: string[], options: RecoveryOptions = {}): Promise<VersionedRecovery> {
    if (paths.length === 0) {
      const nothing: IncompleteRange = { from: null, to: null, reason: 'missing-generation', detail: 'no file of the store was given: nothing is known' };
      return new VersionedRecovery(null, [], [nothing], []);
    }
    return VersionedRecovery.over(await TimelineIndex.openFiles(paths, indexOptions(options)));
  }

  private static over(index: TimelineIndex): VersionedRecovery {
    const summary = index.summary();
    const problems = [...leftoverJournalProblems(summary.generations), ...summary.problems, ...generationGapProblems(index.dir, summary.generations, summary.problems)];
    return new VersionedRecovery(index, problems, summary.incomplete, summary.generations);
  }

  /** The state as of `at` (µs, inclusive): every live row, sorted by scope then key. */
  stateAt(at: number): StateRow[] {
    if (Number.isNaN(at)) throw new RangeError('stateAt needs a timestamp in µs, got NaN');
    if (this.index === null) return [];
    // The index's stateAt answers a page at a time; walk its versions for the whole state.
    const state = this.index.internals;
    const { log, keys } = state;
    const chains = state.ensureChains();
    const rows: StateRow[] = [];
    for (const id of keys.sortedIds()) {
      const pos = chains.at(log, id, at);
      if (pos < 0) continue;
      const v = chains.versions[pos];
      if (log.flags[v] & DELETE) continue;
      const decoded = state.decodeVersion(v);
      // A payload that does not decode although its CRC matched has no value to show: said in
      // `problems`, never dropped silently. One that holds only fields this code does not know
      // reads as no value (see docs/FORMAT.md).
      if (!decoded.ok) this.reportUndecodable(v, decoded.error);
      if (!decoded.ok || decoded.value === null) continue;
      rows.push({ scope: keys.scopeOf(id), key: keys.keyOf(id), value: decoded.value, timestamp: log.ts[v] });
    }
    return rows;
  }

  private readonly undecodable = new Set<number>();

  private reportUndecodable(version: number, error: string): void {
    if (this.undecodable.has(version)) return;
    this.undecodable.add(version);
    const { log, generations } = this.index!.internals;
    const file = generations[log.generation[version]]?.file ?? '';
    this.problems.push(problem(file, log.fileOffset[version], 'bad-payload', `payload is not valid protobuf (${error}): the key is left out of the state`));
  }

  /** The latest state: what the newest readable frames say. */
  current(): StateRow[] {
    return this.stateAt(Infinity);
  }

  /** Whether `stateAt(at)` is fully known (no incomplete range covers `at`). */
  isCompleteAt(at: number): boolean {
    return !this.incompleteRanges.some((r) => (r.from === null || at >= r.from) && (r.to === null || at < r.to));
  }
}

function indexOptions(options: RecoveryOptions): TimelineOptions {
  return { maxInflatedBytes: options.maxInflatedBytes, headerVariant: options.headerVariant, payloadLayout: options.payloadLayout };
}
