import { dirname } from 'node:path';
import { inflate } from 'node:zlib';
import { promisify } from 'node:util';
import type { FileLayer } from './fileLayer';
import { emitTo, type StoreEventListener } from './events';
import { archivePaths, TEMP_SUFFIX, type StoreFormat } from './layout';
import { replayJournal } from './journalReplay';
import { applyRetention, type RetentionPolicy } from './retention';
import { scanStore } from './storeScan';

const inflateAsync = promisify(inflate);

/** Design document: archives are zlib streams at level 5. */
export const ARCHIVE_COMPRESSION_LEVEL = 5;
export const DEFAULT_MAX_PENDING_COMPRESSIONS = 2;

/** An old generation waiting to be archived (steps 6–7 of the rotation). */
export interface ArchiveJob {
  generation: number;
  journalPath: string;
  /** The journal's bytes while still held in memory; null = read them from the file. */
  bytes: Buffer | null;
  /** The T of the archive name; null = compute it from the bytes. */
  t: number | null;
}

interface QueuedJob {
  generation: number;
  journalPath: string;
  t: number | null;
  /** Compression started at enqueue time; null = deferred (the journal is read back later). */
  compressed: Promise<Buffer> | null;
}

export interface ArchiverOptions {
  layer: FileLayer;
  dir: string;
  name: string;
  format: StoreFormat;
  fsync: boolean;
  /** How many compressions may be under way; beyond that old generations wait on disk. */
  maxPendingCompressions: number;
  retention?: RetentionPolicy;
  now: () => number;
  onEvent?: StoreEventListener;
}

/**
 * Steps 6–7 of the rotation, off the write path. Compression starts at once, on the
 * compressor's own thread, when the rotation hands the old buffer over — so it proceeds even
 * while the writer keeps looping without yielding; writing the archive, renaming it and
 * deleting the old journal follow in order, one generation after the other, whenever the
 * event loop runs. Back-pressure: when `maxPendingCompressions` compressions are already
 * under way (counted by the compressor itself where it can, so without yielding), the old
 * buffer is not held: its journal stays on disk and is read back when its turn comes. Writes
 * never wait and memory stays bounded. `idle()` resolves when every job has finished.
 * Failures are reported as events, never thrown into a write; the old journal then stays on
 * disk, and the next open archives it.
 */
export class Archiver {
  private readonly queue: QueuedJob[] = [];
  /**
   * Archives this archiver wrote, and for which generation. Two consecutive generations can
   * hold identical bytes (a rotation with no write since the last one); the second must still
   * get an archive of its own, not be taken for one already archived.
   */
  private readonly written = new Map<string, number>();
  private started = 0;
  private worker: Promise<void> | null = null;

  constructor(private readonly options: ArchiverOptions) {}

  get pending(): number {
    return this.queue.length + (this.worker ? 1 : 0);
  }

  enqueue(job: ArchiveJob): void {
    const { layer, maxPendingCompressions } = this.options;
    const backlog = layer.deflateBacklog ? layer.deflateBacklog() : this.started;
    const compressed = job.bytes !== null && backlog < maxPendingCompressions ? this.startDeflate(job.bytes) : null;
    job.bytes = null; // handed over, or left to be read back from the file
    this.queue.push({ generation: job.generation, journalPath: job.journalPath, t: job.t, compressed });
    if (!this.worker) this.worker = this.work();
  }

  /** Resolves once every queued job has finished (successfully or not). */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  private startDeflate(bytes: Buffer): Promise<Buffer> {
    this.started++;
    let promise: Promise<Buffer>;
    try {
      promise = this.options.layer.deflate(bytes, ARCHIVE_COMPRESSION_LEVEL);
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(
      () => this.started--,
      () => this.started--,
    );
    return promise;
  }

  private async work(): Promise<void> {
    await Promise.resolve(); // never run inside the put() that rotated
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      try {
        await this.archive(job);
      } catch (error) {
        emitTo(this.options.onEvent, { type: 'error', phase: 'archive', error, generation: job.generation });
      }
    }
    this.worker = null;
  }

  private async archive(job: QueuedJob): Promise<void> {
    const { layer, format, onEvent } = this.options;
    let compressed: Buffer;
    let target: string | null;
    if (job.compressed) {
      compressed = await job.compressed;
      target = await this.resolveTarget(job, job.t!, () => layer.readFileAsync(job.journalPath));
    } else {
      const bytes = await layer.readFileAsync(job.journalPath);
      const t = job.t ?? archiveTimestamp(bytes, job.journalPath, format);
      target = await this.resolveTarget(job, t, async () => bytes);
      compressed = target === null ? Buffer.alloc(0) : await this.startDeflate(bytes);
    }
    if (target === null) return;
    layer.mkdirp(dirname(target));
    const temp = target + TEMP_SUFFIX;
    try {
      await layer.writeFileAsync(temp, compressed, this.options.fsync);
      if (layer.exists(target)) throw new Error(`archive ${target} appeared while it was being written; not overwritten`);
      layer.rename(temp, target);
    } catch (err) {
      try {
        layer.unlink(temp);
      } catch {
        // a leftover temp file is removed on the next open
      }
      throw err;
    }
    // Right after the rename: between the two calls a reader listing the folder sees this
    // generation twice (archive and journal, same bytes), so nothing may come in between.
    layer.unlink(job.journalPath);
    this.written.set(target, job.generation);
    emitTo(onEvent, { type: 'archived', generation: job.generation, path: target, compressedBytes: compressed.length });
    this.applyRetention();
  }

  /**
   * The archive's final name: the first candidate not taken. A candidate that already holds
   * this very journal means it was archived before and only the deletion of the journal is
   * missing (a crash after the rename): that is finished here, and null returned.
   */
  private async resolveTarget(job: QueuedJob, t: number, journalBytes: () => Promise<Buffer>): Promise<string | null> {
    const { layer, dir, name, format, onEvent } = this.options;
    // A generation left behind by a crash is archived with its number in the name: its T comes
    // from its own frames (the writer's T at rotation is lost), which can be lower than its
    // predecessor's, so readers could not place it by T alone.
    const candidates = archivePaths(dir, name, format.archiveStyle, job.generation, t);
    // Already archived (a crash between the rename and the deletion of the journal)?
    for (const candidate of candidates) {
      if (!layer.exists(candidate)) continue;
      const writtenFor = this.written.get(candidate);
      if (writtenFor !== undefined && writtenFor !== job.generation) continue;
      if (await holdsSameJournal(layer, candidate, await journalBytes())) {
        layer.unlink(job.journalPath);
        emitTo(onEvent, { type: 'already-archived', generation: job.generation, path: candidate });
        return null;
      }
    }
    if (job.t === null && format.archiveStyle === 'spec') candidates.reverse();
    for (const candidate of candidates) if (!layer.exists(candidate)) return candidate;
    throw new Error(`cannot archive generation ${job.generation}: every archive name is taken by other content`);
  }

  private applyRetention(): void {
    const { retention, layer, dir, name, onEvent, now } = this.options;
    if (!retention || (retention.maxArchives === undefined && retention.maxAgeMicros === undefined)) return;
    try {
      const { archives } = scanStore(layer, dir, name);
      applyRetention(layer, archives, retention, now(), (path) => emitTo(onEvent, { type: 'retention-deleted', path }));
    } catch (error) {
      emitTo(onEvent, { type: 'error', phase: 'retention', error });
    }
  }
}

/**
 * The T of an archive name, from the journal's bytes: spec = the most recent entry (largest
 * timestamp of any frame); upstream = the largest timestamp among the keys live at the end
 * (0 when none is).
 */
export function archiveTimestamp(bytes: Buffer, file: string, format: StoreFormat): number {
  const replayed = replayJournal(bytes, file, { headerVariant: format.headerVariant, payloadLayout: format.payloadLayout });
  return format.archiveStyle === 'spec' ? replayed.maxTimestamp : replayed.live.maxTimestamp();
}

async function holdsSameJournal(layer: FileLayer, archivePath: string, bytes: Buffer): Promise<boolean> {
  try {
    const inflated = await inflateAsync(await layer.readFileAsync(archivePath), { maxOutputLength: bytes.length + 1 });
    return inflated.equals(bytes);
  } catch {
    return false;
  }
}
