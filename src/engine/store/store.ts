import type { HeaderVariant } from '../format/header';
import type { StateValue } from '../format/value';
import { Archiver, DEFAULT_MAX_PENDING_COMPRESSIONS } from './archiver';
import { clampedTimestamp, systemClockMicros, type Clock } from './clock';
import { normalizeConfig, rawConfig, type PersistentStoreConfig } from './config';
import { StoreClosedError } from './errors';
import { emitTo, type ErrorPhase, type RotationReason, type StoreEvent, type StoreEventListener } from './events';
import { nodeFileLayer, type FileLayer } from './fileLayer';
import { FrameEncoder, utf8Length } from './frameEncoder';
import { decodeFrameValue } from './framePayload';
import { bestEffort, type ActiveJournal } from './journalFile';
import type { StoreFormat, StoreLayout } from './layout';
import type { LiveIndex } from './liveIndex';
import type { RetentionPolicy } from './retention';
import { rotateJournal } from './rotation';
import { highWaterMark, type GrowthPolicy } from './sizing';
import { openStoreFiles, type OpenReport } from './storeOpen';

/** When to fsync: never (default; page cache survives a process crash), at rotations, or after every write. */
export type FsyncPolicy = 'never' | 'rotation' | 'always';

export interface StoreOptions {
  config?: Partial<PersistentStoreConfig>;
  /**
   * Normalize `config` as the design document says (default true). `false` uses it as given,
   * as upstream's store did (it never called normalize()), e.g. to reproduce a 1 KiB buffer.
   */
  normalize?: boolean;
  /** Layout of a new store (default 'spec'). An existing store keeps the layout of its files. */
  layout?: StoreLayout;
  /** Header variant of a new store; default 17 bytes for 'spec', 9 for 'upstream'. */
  headerVariant?: HeaderVariant;
  /** Microseconds since the epoch; clamped to be non-decreasing. Default: the system clock. */
  clock?: Clock;
  fsync?: FsyncPolicy;
  growth?: GrowthPolicy;
  retention?: RetentionPolicy;
  /** How many compressions may be under way at once (default 2); beyond, old journals wait on disk. */
  maxPendingCompressions?: number;
  fileLayer?: FileLayer;
  onEvent?: StoreEventListener;
  /** Failures off the write path (rotation after a write, compression, retention). */
  onError?: (error: unknown, phase: ErrorPhase) => void;
}

export interface LiveEntry {
  scope: number;
  key: string;
  value: StateValue;
  timestamp: number;
}

/** One operation of a batch; `value: null` deletes. */
export interface BatchOp {
  scope: number;
  key: string;
  value: StateValue | null;
}

export interface RotationInfo {
  reason: RotationReason;
  fromGeneration: number;
  toGeneration: number;
  bufferSize: number;
  /** The T the archive of the old generation will be named with. */
  archiveTimestamp: number;
}

/**
 * A timestamp-versioned key-value store writing the journal format of the design document
 * (see docs/format-notes.md for the two layouts). Writes are synchronous: when put() returns,
 * the frame and the header position are in the file (page cache). Rotation compacts the live
 * state into a new generation by copying frame bytes; archiving the old one runs in the
 * background, and close() waits for it.
 */
export class VersionedKVStore {
  readonly dir: string;
  readonly name: string;
  readonly config: PersistentStoreConfig;
  readonly format: StoreFormat;
  readonly openReport: OpenReport;

  private journal: ActiveJournal;
  private readonly live: LiveIndex;
  private readonly encoder: FrameEncoder;
  private readonly archiver: Archiver;
  private readonly layer: FileLayer;
  private readonly clock: Clock;
  private readonly fsyncPolicy: FsyncPolicy;
  private readonly growth: GrowthPolicy;
  private readonly listener: StoreEventListener;
  private hwm: number;
  private last: number;
  /** Largest timestamp of any frame in the active journal (the spec archive's T). */
  private journalMaxTs: number;
  private closed = false;
  private closing: Promise<void> | null = null;

  /** Opens the store NAME in `dir`, creating it if needed, and recovers from interrupted rotations. */
  static open(dir: string, name: string, options: StoreOptions = {}): VersionedKVStore {
    return new VersionedKVStore(dir, name, options);
  }

  private constructor(dir: string, name: string, options: StoreOptions) {
    this.dir = dir;
    this.name = name;
    this.config = options.normalize === false ? rawConfig(options.config) : normalizeConfig(options.config);
    this.layer = options.fileLayer ?? nodeFileLayer;
    this.clock = options.clock ?? systemClockMicros;
    this.fsyncPolicy = options.fsync ?? 'never';
    this.growth = options.growth ?? 'headroom';
    const { onEvent, onError } = options;
    this.listener = (event: StoreEvent) => {
      emitTo(onEvent, event);
      if (event.type === 'error' && onError) {
        try {
          onError(event.error, event.phase);
        } catch {
          // a throwing handler must not break the store
        }
      }
    };
    const opened = openStoreFiles({
      layer: this.layer,
      dir,
      name,
      layout: options.layout ?? 'spec',
      headerVariant: options.headerVariant,
      initialBufferSize: this.config.initialBufferSize,
      fsync: this.fsyncPolicy !== 'never',
      onEvent: this.listener,
    });
    this.format = opened.format;
    this.openReport = opened.report;
    this.journal = opened.journal;
    this.live = opened.live;
    this.last = opened.lastTimestamp;
    this.journalMaxTs = opened.journalMaxTimestamp;
    this.hwm = highWaterMark(this.journal.size, this.config.highWaterMarkRatio);
    this.encoder = new FrameEncoder(this.format.payloadLayout);
    this.archiver = new Archiver({
      layer: this.layer,
      dir,
      name,
      format: this.format,
      fsync: this.fsyncPolicy !== 'never',
      maxPendingCompressions: options.maxPendingCompressions ?? DEFAULT_MAX_PENDING_COMPRESSIONS,
      retention: options.retention,
      now: () => this.clock(),
      onEvent: this.listener,
    });
    for (const job of opened.leftovers) this.archiver.enqueue(job);
    if (opened.damaged) {
      // Archive the damaged journal byte for byte instead of writing over its bad tail.
      try {
        this.rotateNow(0, 'damaged-journal');
      } catch (err) {
        bestEffort(() => this.layer.close(this.journal.fd));
        throw err;
      }
    }
  }

  /** Generation number of the active journal. */
  get generation(): number {
    return this.journal.generation;
  }

  get bufferSize(): number {
    return this.journal.size;
  }

  /** The header position of the active journal (where the next frame goes). */
  get position(): number {
    return this.journal.position;
  }

  get activeJournalPath(): string {
    return this.journal.path;
  }

  /** Number of live keys. */
  get size(): number {
    return this.live.size;
  }

  /** Timestamp of the latest write (or the latest found on open). */
  get lastTimestamp(): number {
    return this.last;
  }

  /** Old generations waiting to be archived (including the one in progress). */
  get pendingArchives(): number {
    return this.archiver.pending;
  }

  /** Sets `key` in `scope`; returns the timestamp written. */
  put(scope: number, key: string, value: StateValue): number {
    if (value === null || value === undefined) throw new TypeError('put() needs a value; use delete() to remove a key');
    this.checkWritable(scope, key);
    return this.writeOne(scope, key, value);
  }

  /** Deletes `key`; returns the timestamp written, or null (nothing written) when it was not live. */
  delete(scope: number, key: string): number | null {
    this.checkWritable(scope, key);
    if (this.live.get(scope, key) === undefined) return null;
    return this.writeOne(scope, key, null);
  }

  /**
   * Writes several operations under one timestamp, all or nothing: the frames are written in
   * one piece and the header position moves once, after all of them. Deletes of keys that are
   * not live at that point of the batch write nothing, as delete() does. Returns the
   * timestamp, or null when the batch wrote nothing.
   */
  writeBatch(ops: readonly BatchOp[]): number | null {
    for (const op of ops) {
      this.checkWritable(op.scope, op.key);
      if (op.value === undefined) throw new TypeError('a batch operation needs a value, or null to delete');
    }
    const ts = clampedTimestamp(this.clock(), this.last);
    const planned: BatchOp[] = [];
    const keyLengths: number[] = [];
    const liveAfter = new Map<string, boolean>();
    let total = 0;
    for (const op of ops) {
      const id = `${op.scope}\u0000${op.key}`;
      const slot = this.live.get(op.scope, op.key);
      const isLive = liveAfter.get(id) ?? slot !== undefined;
      if (op.value === null && !isLive) continue;
      liveAfter.set(id, op.value !== null);
      const keyLength = slot ? slot.keyLength : utf8Length(op.key);
      total += this.encoder.measure(op.key, keyLength, ts, op.value);
      planned.push(op);
      keyLengths.push(keyLength);
    }
    if (planned.length === 0) return null;
    if (this.journal.position + total > this.journal.size) this.rotateNow(total, 'no-room');
    const journal = this.journal;
    const start = journal.position;
    const offsets: number[] = [];
    let pos = start;
    for (let i = 0; i < planned.length; i++) {
      const op = planned[i];
      this.encoder.measure(op.key, keyLengths[i], ts, op.value);
      offsets.push(pos);
      pos += this.encoder.write(journal.buffer, pos, op.scope, op.key, ts, op.value);
    }
    journal.commit(pos, this.fsyncPolicy === 'always');
    this.last = ts;
    if (ts > this.journalMaxTs) this.journalMaxTs = ts;
    for (let i = 0; i < planned.length; i++) {
      const op = planned[i];
      const end = i + 1 < planned.length ? offsets[i + 1] : pos;
      if (op.value === null) this.live.delete(op.scope, op.key);
      else this.live.set(op.scope, op.key, offsets[i], end - offsets[i], ts, keyLengths[i]);
    }
    if (journal.position >= this.hwm) this.rotateAfterWrite();
    return ts;
  }

  /** The live value of `key`, or null. */
  get(scope: number, key: string): StateValue | null {
    const slot = this.live.get(scope, key);
    return slot ? decodeFrameValue(this.journal.buffer, slot.offset, slot.length, this.format.payloadLayout) : null;
  }

  /** The live value of `key` with the timestamp of the write that set it, or null. */
  getEntry(scope: number, key: string): LiveEntry | null {
    const slot = this.live.get(scope, key);
    if (!slot) return null;
    return { scope, key, value: decodeFrameValue(this.journal.buffer, slot.offset, slot.length, this.format.payloadLayout)!, timestamp: slot.timestamp };
  }

  has(scope: number, key: string): boolean {
    return this.live.get(scope, key) !== undefined;
  }

  /** The live state: scopes ascending, keys in first-write order within a scope. */
  *entries(): IterableIterator<LiveEntry> {
    for (const [scope, key, slot] of this.live.entries()) {
      // The active buffer is read per entry: a write during the iteration may have rotated it.
      yield { scope, key, value: decodeFrameValue(this.journal.buffer, slot.offset, slot.length, this.format.payloadLayout)!, timestamp: slot.timestamp };
    }
  }

  [Symbol.iterator](): IterableIterator<LiveEntry> {
    return this.entries();
  }

  /** Rotates now (steps 1–5; archiving follows in the background). Throws if it fails. */
  rotate(): RotationInfo {
    this.checkOpen();
    return this.rotateNow(0, 'manual');
  }

  /** fsyncs the active journal. */
  sync(): void {
    this.checkOpen();
    this.layer.fsync(this.journal.fd);
  }

  /** Resolves when every pending archive has been written (or has failed and been reported). */
  whenIdle(): Promise<void> {
    return this.archiver.idle();
  }

  /** Stops writing, waits for pending compressions, and closes the journal. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = (async () => {
        await this.archiver.idle();
        if (this.fsyncPolicy !== 'never') this.layer.fsync(this.journal.fd);
        this.layer.close(this.journal.fd);
      })();
    }
    return this.closing;
  }

  private writeOne(scope: number, key: string, value: StateValue | null): number {
    const ts = clampedTimestamp(this.clock(), this.last);
    const slot = this.live.get(scope, key);
    const keyLength = slot !== undefined ? slot.keyLength : utf8Length(key);
    const length = this.encoder.measure(key, keyLength, ts, value);
    if (this.journal.position + length > this.journal.size) this.rotateNow(length, 'no-room');
    const journal = this.journal;
    const offset = journal.position;
    this.encoder.write(journal.buffer, offset, scope, key, ts, value);
    journal.commit(offset + length, this.fsyncPolicy === 'always');
    this.last = ts;
    if (ts > this.journalMaxTs) this.journalMaxTs = ts;
    if (value === null) this.live.delete(scope, key);
    else if (slot !== undefined) this.live.update(slot, offset, length, ts);
    else this.live.insert(scope, key, offset, length, ts, keyLength);
    if (journal.position >= this.hwm) this.rotateAfterWrite();
    return ts;
  }

  /**
   * A rotation at the high-water mark comes after an acknowledged write: its failure must not
   * turn that write into an error. It is reported, and retried after the next write.
   */
  private rotateAfterWrite(): void {
    try {
      this.rotateNow(0, 'high-water-mark');
    } catch (error) {
      this.listener({ type: 'error', phase: 'rotation', error, generation: this.journal.generation });
    }
  }

  /**
   * Rotates (steps 1–5; see rotation.ts) with room for a `pending` write, then hands the old
   * generation to the archiver (steps 6–7, in the background).
   */
  private rotateNow(pending: number, reason: RotationReason): RotationInfo {
    const old = this.journal;
    const { journal, maxTimestamp, archiveTimestamp } = rotateJournal({
      layer: this.layer,
      dir: this.dir,
      name: this.name,
      old,
      live: this.live,
      config: this.config,
      growth: this.growth,
      archiveStyle: this.format.archiveStyle,
      oldMaxTimestamp: this.journalMaxTs,
      pending,
      fsync: this.fsyncPolicy !== 'never',
    });
    this.journal = journal;
    this.journalMaxTs = maxTimestamp;
    this.hwm = highWaterMark(journal.size, this.config.highWaterMarkRatio);
    const closeError = bestEffort(() => this.layer.close(old.fd));
    if (closeError) this.listener({ type: 'error', phase: 'rotation', error: closeError, generation: old.generation });
    // Spec names carry the most recent write at rotation. A generation that only restates the
    // live state can hold nothing as recent as a delete in the one before it; naming it by the
    // store's last write keeps T growing with the generation, which is all a reader of
    // unnumbered archive names has to order them by.
    const t = this.format.archiveStyle === 'spec' ? Math.max(archiveTimestamp, this.last) : archiveTimestamp;
    this.archiver.enqueue({ generation: old.generation, journalPath: old.path, bytes: old.buffer, t });
    const info = { reason, fromGeneration: old.generation, toGeneration: journal.generation, bufferSize: journal.size, archiveTimestamp: t };
    this.listener({ type: 'rotated', reason, fromGeneration: old.generation, toGeneration: journal.generation, bufferSize: journal.size, liveKeys: this.live.size });
    return info;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private checkWritable(scope: number, key: string): void {
    this.checkOpen();
    if (!Number.isInteger(scope) || scope < 0 || scope > 255) throw new RangeError(`scope must be an integer 0..255, got ${scope}`);
    if (typeof key !== 'string') throw new TypeError('key must be a string');
  }
}
