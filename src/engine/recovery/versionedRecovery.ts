import { basename, dirname } from 'node:path';
import { compareStoreFiles, listStoreFiles, listStores, parseStoreFileName, SNAPSHOTS_DIR, type StoreFile } from '../files/storeFiles';
import type { Problem } from '../format/problems';
import { oldestIsGenerationZero, planGenerationSlots } from './generationSlots';
import { findIncompleteRanges } from './knowledgeGaps';
import { replayGenerations } from './replay';
import type { FolderRecoveryOptions, GenerationSummary, IncompleteRange, RecoveryOptions, StateRow } from './types';
import type { VersionIndex } from './versionIndex';

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
 * How: files → generation slots, gaps found by number (generationSlots.ts); each generation
 * read (scanGeneration.ts) and joined to the one before by finding its compacted prefix
 * (connectGeneration.ts, compactedPrefix.ts); versions indexed (replay.ts, versionIndex.ts);
 * then where knowledge was lost and where it resumes (knowledgeGaps.ts). docs/FORMAT.md has
 * the rules in prose.
 */
export class VersionedRecovery {
  private constructor(
    private readonly versions: VersionIndex,
    private readonly keyOrder: ArrayLike<number>,
    /** Every problem of every file, plus missing or non-connecting generations. */
    readonly problems: Problem[],
    /** Time ranges [from, to) where the answer is not fully known, with the reason. */
    readonly incompleteRanges: IncompleteRange[],
    /** What was made of each generation, oldest first. */
    readonly generations: GenerationSummary[],
  ) {}

  /** The store in `dir` (and its `snapshots/` folder); `store` may be omitted when there is one. */
  static async fromFolder(dir: string, options: FolderRecoveryOptions = {}): Promise<VersionedRecovery> {
    const stores = listStores(dir);
    const store = options.store ?? (stores.length === 1 ? stores[0] : undefined);
    if (store === undefined) {
      throw new Error(stores.length === 0 ? `no journal store in ${dir}` : `${dir} holds several stores (${stores.join(', ')}): choose one`);
    }
    if (!stores.includes(store)) throw new Error(`no store named ${store} in ${dir}`);
    return VersionedRecovery.build(listStoreFiles(dir, store), options);
  }

  /**
   * Explicit files of one store. Named as a store names them, they are put in generation order;
   * otherwise they are taken in the order given, as generations of unknown number. A path that
   * cannot be read is reported ('unreadable-file') and its generation counted as lost.
   */
  static async fromFiles(paths: string[], options: RecoveryOptions = {}): Promise<VersionedRecovery> {
    const files = paths.map(describePath);
    const allNamed = paths.every((p) => parseStoreFileName(basename(p)) !== null);
    return VersionedRecovery.build(allNamed ? files.sort(compareStoreFiles) : files, options);
  }

  private static async build(files: StoreFile[], options: RecoveryOptions): Promise<VersionedRecovery> {
    const plan = planGenerationSlots(files);
    const replay = await replayGenerations(plan.slots, options);
    const oldestIsFirst = oldestIsGenerationZero(plan.slots, (i) => replay.generations[i]?.link === 'gap-found');
    return new VersionedRecovery(
      replay.versions,
      replay.keys.sortedIds(),
      [...plan.problems, ...replay.problems],
      findIncompleteRanges(replay.generations, oldestIsFirst),
      replay.generations.map((g) => g.summary),
    );
  }

  /** The state as of `at` (µs, inclusive), sorted by scope then key. */
  stateAt(at: number): StateRow[] {
    if (Number.isNaN(at)) throw new RangeError('stateAt needs a timestamp in µs, got NaN');
    return this.versions.stateAt(at, this.keyOrder);
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

/** A file of a store from its path; `size` is not needed here, so it is not read. */
function describePath(path: string): StoreFile {
  const name = basename(path);
  const parsed = parseStoreFileName(name);
  return {
    path,
    relativePath: name,
    store: parsed?.store ?? name,
    kind: parsed?.kind ?? (name.endsWith('.zz') ? 'archive' : 'journal'),
    generation: parsed?.generation ?? null,
    nameTimestamp: parsed?.nameTimestamp ?? null,
    inSnapshots: basename(dirname(path)) === SNAPSHOTS_DIR,
    size: 0,
  };
}
