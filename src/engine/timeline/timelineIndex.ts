import { open as openFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { availableParallelism } from 'node:os';
import { describeFiles, listStores } from '../files/storeFiles';
import { DEFAULT_MAX_INFLATED_BYTES, loadJournalBytes, loadJournalBytesSync, type LoadResult } from '../files/inflate';
import type { JournalReadOptions } from '../format/reader';
import { scanJournal } from './scan';
import type { HeaderVariant } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import type { Problem } from '../format/problems';
import { generationSources, sourcesOf, type GenerationSource } from './generations';
import { Scanner, type ScanResult } from './scanPool';
import { extendGeneration, ingestGeneration, type GenerationCursor } from './ingest';
import { IndexState } from './indexState';
import { changes, histogram, stepChange, type ChangesQuery } from './queries/changes';
import { diff, type DiffQuery } from './queries/diff';
import { QueryError } from './queries/errors';
import { KeyFilterCache } from './queries/keyFilter';
import { LiveViewBuilder } from './queries/liveAt';
import { stateAt, type StateQuery } from './queries/stateAt';
import { getAt, history, latest, type HistoryQuery } from './queries/versions';
import type { GenerationInfo, IncompleteRange } from './types';

/** Below this many bytes of files a store is scanned in this thread: a worker takes ~80 ms to start. */
const SCAN_WORKER_BYTES = 16 << 20;
/**
 * Scanning threads for a big store, one per core (at most 4); each inflates and scans its files
 * synchronously. Most generations of a real store only restate the state before them, so the
 * index thread waits on reading and scanning far longer than it works: on 2 cores two workers
 * opened the standard store in 1.15-1.36 s, one worker with zlib on libuv's pool in 1.37-1.56 s,
 * three in 1.31-1.48 s (built engine, plain Node, four runs each).
 */
const SCAN_WORKERS = Math.max(1, Math.min(4, availableParallelism()));
/**
 * Files requested ahead of the one being indexed. 8 looked about 5% faster than 4 in one set of
 * A/B runs and no faster in another (built engine, three runs each), for ~60 MB more peak memory.
 */
const SCAN_AHEAD = 4;

export interface TimelineOptions {
  /** The store's NAME; required when the folder holds several stores. */
  store?: string;
  headerVariant?: HeaderVariant;
  payloadLayout?: PayloadLayout;
  maxInflatedBytes?: number;
  /** Called as generations are read: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Stop early (throws an AbortError from open/refresh). */
  signal?: AbortSignal;
  /**
   * Salvage: read past bad frames to the next frame with a valid CRC. Answers stay marked
   * incomplete from the damage on; the skipped ranges are reported as problems.
   */
  salvage?: boolean;
  /**
   * Scan files on worker threads (default: when the store is big enough to gain from it); a
   * number says how many.
   */
  scanWorker?: boolean | number;
  /** Index exactly these files instead of the folder's (see openFiles). */
  files?: string[];
}

export interface StoreSummary {
  dir: string;
  store: string;
  generations: GenerationInfo[];
  keys: number;
  versions: number;
  /** Earliest and latest version timestamps. */
  firstTimestamp: number | null;
  lastTimestamp: number | null;
  /** Where known history begins (null: from the beginning of time). */
  knownFrom: number | null;
  incomplete: IncompleteRange[];
  problems: Problem[];
  /** Bytes held by the index (versions, payloads, snapshots). */
  indexBytes: number;
}

export interface RefreshResult {
  /** Versions added. */
  added: number;
  /** New generations indexed (rotations seen). */
  rotations: number;
  /** The index was rebuilt from scratch (the folder changed in a way it could not follow). */
  rebuilt: boolean;
}

/**
 * The explorer's index over every generation of one store: built from frame headers, values
 * decoded only when a query returns them. Opens files read-only and never writes to the folder.
 */
export class TimelineIndex {
  private state = new IndexState();
  /** Every generation taken in, in order (unreadable ones too). */
  private seen: GenerationSource[] = [];
  /** Readable generations, in order: where each one's reading stands. */
  private cursors: GenerationCursor[] = [];
  /** The last generation taken in had its file renamed away between listing and reading. */
  private vanished = false;
  private readonly views = new LiveViewBuilder();
  private readonly filters = new KeyFilterCache();

  private constructor(
    readonly dir: string,
    readonly store: string,
    private readonly options: TimelineOptions,
  ) {}

  static async open(dir: string, options: TimelineOptions = {}): Promise<TimelineIndex> {
    const stores = listStores(dir);
    let store = options.store;
    if (store === undefined) {
      if (stores.length === 0) throw new QueryError(`no journal store in ${dir} (no NAME.jrn.<N> or NAME.jrn.*.zz files)`);
      if (stores.length > 1) throw new QueryError(`${dir} holds several stores (${stores.join(', ')}): choose one`);
      store = stores[0];
    } else if (!stores.includes(store)) {
      throw new QueryError(`no store named "${store}" in ${dir}${stores.length ? ` (found: ${stores.join(', ')})` : ''}`);
    }
    const index = new TimelineIndex(dir, store, options);
    await index.build(generationSources(dir, store));
    // A writer at work may archive a journal between the listing and its reading: carry on
    // from the folder as it is now, where that generation has its new name.
    for (let attempt = 0; index.vanished && attempt < 20; attempt++) await index.refresh();
    return index;
  }

  /** An index over explicitly named files of one store (active journals and archives). */
  static async openFiles(paths: string[], options: TimelineOptions = {}): Promise<TimelineIndex> {
    const files = describeFiles(paths);
    const stores = [...new Set(files.map((f) => f.store))];
    if (stores.length !== 1) throw new QueryError(`the files belong to ${stores.length} stores (${stores.join(', ')}): give files of one store`);
    const index = new TimelineIndex(dirname(files[0].path), stores[0], { ...options, files: paths });
    await index.build(sourcesOf(files));
    return index;
  }

  // ---- queries -------------------------------------------------------------------------

  stateAt(t: number, query?: StateQuery) {
    return stateAt(this.state, this.views, this.filters, t, query);
  }

  getAt(scope: number, key: string, t: number) {
    return getAt(this.state, scope, key, t);
  }

  latest(scope: number, key: string) {
    return latest(this.state, scope, key);
  }

  history(scope: number, key: string, query?: HistoryQuery) {
    return history(this.state, scope, key, query);
  }

  diff(t1: number, t2: number, query?: DiffQuery) {
    return diff(this.state, this.filters, t1, t2, query);
  }

  changes(from: number | null, to: number | null, query?: ChangesQuery) {
    return changes(this.state, from, to, query);
  }

  histogram(from: number, to: number, bins: number) {
    return histogram(this.state, (versions) => this.liveCountAfter(versions), from, to, bins);
  }

  nextChange(t: number, target?: { scope: number; key: string }) {
    return stepChange(this.state, t, 'next', target);
  }

  prevChange(t: number, target?: { scope: number; key: string }) {
    return stepChange(this.state, t, 'prev', target);
  }

  /** Every key (scope, key) ever seen, in sorted order (for pickers and exports). */
  keyCount(): number {
    return this.state.keys.size;
  }

  summary(): StoreSummary {
    const { log, generations, incomplete, problems } = this.state;
    const start = incomplete.find((r) => r.from === null);
    return {
      dir: this.dir,
      store: this.store,
      generations: generations.map((g) => ({ ...g, problems: [...g.problems] })),
      keys: this.state.keys.size,
      versions: log.count,
      firstTimestamp: log.count ? log.ts[0] : null,
      lastTimestamp: log.count ? log.ts[log.count - 1] : null,
      knownFrom: start ? start.to : null,
      incomplete: [...incomplete],
      problems: [...problems],
      indexBytes: log.byteSize() + this.state.live.byteSize() + this.state.chains.versions.byteLength,
    };
  }

  /** Internal state, for exports and tests that walk every version. */
  get internals(): IndexState {
    return this.state;
  }

  // ---- building and following ------------------------------------------------------------

  /**
   * Picks up what a writer did since the last look: frames appended to the active journal,
   * and rotations (new generations; the old active journal becoming an archive). Only new
   * frames are parsed.
   */
  async refresh(): Promise<RefreshResult> {
    this.vanished = false;
    // Named files stay the generations they were at open, a missing one as unreadable.
    const sources = this.options.files ? sourcesOf(describeFiles(this.options.files)) : generationSources(this.dir, this.store);
    const seen = this.seen;
    // Anything other than "same generations, possibly more at the end" means the folder was
    // replaced or rewritten: rebuild.
    const consistent = seen.every((s, i) => sources[i] && sources[i].generation === s.generation);
    if (!consistent) {
      this.reset();
      await this.build(sources);
      return { added: this.state.log.count, rotations: 0, rebuilt: true };
    }
    const before = this.state.log.count;
    let rotations = 0;
    // Generations taken in earlier may have been archived since: list their files as they are now.
    for (let i = 0; i < seen.length - 1; i++) {
      const current = sources[i];
      if (current.file.path === seen[i].file.path) continue;
      const cursor = this.cursors.find((c) => c.source === seen[i]);
      if (cursor) cursor.source = current;
      seen[i] = current;
      const info = this.state.generations[i];
      info.active = current.active;
      info.kind = current.file.kind;
      info.file = current.file.path;
      info.relativePath = current.file.relativePath;
      if (current.file.kind === 'archive') info.compressedSize = current.file.size;
    }
    const last = this.cursors[this.cursors.length - 1];
    if (last && last.source === seen[seen.length - 1]) {
      const current = sources[seen.length - 1];
      const load = await this.loadSource(current, true);
      if (!load.ok && !existsSync(current.file.path)) {
        // Archived between the listing and this read: its last writes may not all have been
        // read, so no newer generation can be taken in yet (its restated prefix would not match).
        // The next listing finds it under its new name.
        this.vanished = true;
        return { added: 0, rotations: 0, rebuilt: false };
      }
      if (load.ok) extendGeneration(this.state, last, load.bytes);
      last.source = current;
      seen[seen.length - 1] = current;
      last.info.active = current.active;
      last.info.kind = current.file.kind;
      last.info.file = current.file.path;
      last.info.relativePath = current.file.relativePath;
      if (current.file.kind === 'archive') last.info.compressedSize = current.file.size;
    }
    for (const source of sources.slice(seen.length)) {
      const added = await this.addGeneration(source);
      if (!added) break;
      rotations++;
    }
    return { added: this.state.log.count - before, rotations, rebuilt: false };
  }

  private reset(): void {
    this.state = new IndexState();
    this.seen = [];
    this.cursors = [];
  }

  private async build(sources: GenerationSource[]): Promise<void> {
    // Inflate the next archive while the current one is scanned: zlib runs on libuv's threads.
    const scanner = this.scanner(sources);
    // Keep a few scans ahead so the scanning thread never waits for the index.
    const ahead: Promise<ScanResult>[] = [];
    let requested = 0;
    let stopped = false;
    const fill = () => {
      while (requested < sources.length && ahead.length < SCAN_AHEAD) {
        // Restated bytes need not come back (lean): a generation that turns out not to be a
        // verified restatement is read again whole, and following the active journal reads
        // its file again from where indexing stopped. The first generation is never a
        // verified restatement, so it is never scanned lean.
        const source = sources[requested];
        ahead.push(this.scan(scanner, source, { lean: requested > 0 }));
        requested++;
      }
    };
    try {
      fill();
      for (let i = 0; i < sources.length; i++) {
        this.options.signal?.throwIfAborted();
        const load = await ahead.shift()!;
        fill();
        if (!this.ingest(sources[i], load)) {
          stopped = true;
          break;
        }
        this.options.onProgress?.(i + 1, sources.length);
      }
    } finally {
      await Promise.allSettled(ahead);
      await scanner.close();
    }
    // Stopped at a generation not ready yet (a rotation in progress) or renamed meanwhile: its
    // journal is still there or under another name, not missing.
    if (!stopped) this.markMissingActive();
  }

  /**
   * An archive always had a successor: when the newest generation read is one (the active
   * journal is gone or unreadable), whatever came after its last write is unknown — from that
   * timestamp on, inclusive, since a lost write may share it.
   */
  private markMissingActive(): void {
    const newest = this.state.generations[this.state.generations.length - 1];
    if (!newest) return;
    // Likewise when the newest generation could not be read at all: what it held is unknown.
    const unreadable = this.cursors[this.cursors.length - 1]?.info !== newest;
    if (newest.active && !unreadable) return;
    if (this.state.incomplete.some((r) => r.to === null)) return;
    const last = this.state.lastTimestamp();
    this.state.incomplete.push({
      from: Number.isFinite(last) ? last : null,
      to: null,
      reason: unreadable ? 'unreadable-file' : 'after-newest-generation',
      detail: unreadable
        ? `the newest generation (${newest.relativePath}) cannot be read: writes after the last one read are unknown`
        : `the newest generation (${newest.relativePath}) is an archive: the journals after it are missing`,
    });
  }

  /**
   * Indexes a generation found while following. A file that vanished between listing and
   * reading was rotated or archived by the writer meanwhile: not damage, just too late; the
   * next refresh lists the folder again and finds it under its new name.
   */
  private async addGeneration(source: GenerationSource): Promise<boolean> {
    const load = await this.scan(new Scanner(this.options.maxInflatedBytes), source);
    return this.ingest(source, load);
  }

  /**
   * Returns false when the generation is not ready yet (its prefix is still being written) or
   * its file vanished (`vanished`): the next listing finds it complete or under its new name.
   */
  private ingest(source: GenerationSource, load: ScanResult): boolean {
    this.vanished = false;
    // Explicitly named files are not listed again, so a missing one is unreadable, not renamed.
    if (!load.ok && !this.options.files && !existsSync(source.file.path)) {
      // Renamed (archived) by the writer between listing and reading: not damage, just too late.
      this.vanished = true;
      return false;
    }
    if (!load.ok) {
      this.state.problems.push(load.problem);
      this.state.generations.push(unreadableGeneration(source, load.problem));
      this.seen.push(source);
      return true;
    }
    const previous = this.cursors[this.cursors.length - 1] ?? null;
    const compressedSize = source.file.kind === 'archive' ? source.file.size : null;
    let result = ingestGeneration(this.state, source, load.scanned, compressedSize, previous, this.options);
    if (result.status === 'needs-full') {
      // A lean scan, and this generation does not simply restate the one before: read it whole.
      const full = loadJournalBytesSync(source.file.path, this.options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES);
      if (!full.ok) return this.ingest(source, full);
      result = ingestGeneration(this.state, source, scanJournal(full.bytes, this.scanOptions(source)), compressedSize, previous, this.options);
      if (result.status === 'needs-full') throw new Error('a full scan cannot need a fuller one');
    }
    if (result.status === 'pending') return false;
    this.seen.push(source);
    this.cursors.push(result.cursor);
    if (result.cursor.damaged) {
      const last = result.cursor;
      if (source.active) {
        this.state.incomplete.push({
          from: last.lastGoodTs,
          to: null,
          reason: 'damaged-file',
          detail: `the active journal ${source.file.relativePath} is damaged: writes after its last good frame are unknown`,
        });
      }
    }
    return true;
  }

  /**
   * Scanning on another core pays off for big stores only (a worker takes tens of ms to start):
   * use one when the files add up to more than SCAN_WORKER_BYTES, unless told otherwise.
   */
  private scanner(sources: GenerationSource[]): Scanner {
    const bytes = sources.reduce((n, s) => n + s.file.size, 0);
    const asked = this.options.scanWorker ?? bytes > SCAN_WORKER_BYTES;
    const workers = typeof asked === 'number' ? asked : asked ? SCAN_WORKERS : 0;
    return new Scanner(this.options.maxInflatedBytes, Math.min(workers, sources.length));
  }

  private scan(scanner: Scanner, source: GenerationSource, how: { lean?: boolean } = {}): Promise<ScanResult> {
    return scanner.scan(source.file.path, this.scanOptions(source), how);
  }

  private scanOptions(source: GenerationSource): JournalReadOptions {
    return {
      file: source.file.path,
      headerVariant: this.options.headerVariant,
      payloadLayout: this.options.payloadLayout,
      salvage: this.options.salvage,
    };
  }

  private async loadSource(source: GenerationSource, fresh: boolean): Promise<LoadResult> {
    const max = this.options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
    if (fresh && source.file.kind === 'journal') {
      // A follower reads the whole journal in one call: the header's position is read together
      // with the frames it covers, so no torn frame is ever seen.
      try {
        const handle = await openFile(source.file.path, 'r');
        try {
          return { ok: true, bytes: await handle.readFile() };
        } finally {
          await handle.close();
        }
      } catch {
        return loadJournalBytes(source.file.path, max);
      }
    }
    return loadJournalBytes(source.file.path, max);
  }

  private liveCountAfter(versions: number): number {
    const view = this.views.build(this.state, versions);
    let count = view.baseCount;
    for (const flip of view.flips) count += flip.live ? 1 : -1;
    return count;
  }
}

function unreadableGeneration(source: GenerationSource, problem: Problem): GenerationInfo {
  return {
    generation: source.generation,
    inferred: source.inferred,
    file: source.file.path,
    relativePath: source.file.relativePath,
    kind: source.file.kind,
    active: source.active,
    layout: { headerVariant: null, payloadLayout: 'state-value', inSnapshots: source.file.inSnapshots },
    compressedSize: source.file.kind === 'archive' ? source.file.size : null,
    rawSize: 0,
    position: null,
    frames: 0,
    restated: 0,
    writes: 0,
    firstWrite: null,
    lastWrite: null,
    rotatedAt: null,
    prefixVerified: false,
    gapBefore: true,
    problems: [problem],
  };
}
