import { join } from 'node:path';
import type { PersistentStoreConfig } from './config';
import { CapacityError } from './errors';
import type { FileLayer } from './fileLayer';
import { copyBytes } from './frameEncoder';
import { createJournal, type ActiveJournal } from './journalFile';
import { journalFileName, type ArchiveStyle } from './layout';
import type { LiveIndex } from './liveIndex';
import { capacityLimit, rotationBufferSize, type GrowthPolicy } from './sizing';

export interface RotationInput {
  layer: FileLayer;
  dir: string;
  name: string;
  old: ActiveJournal;
  live: LiveIndex;
  config: PersistentStoreConfig;
  growth: GrowthPolicy;
  archiveStyle: ArchiveStyle;
  /** Largest timestamp of any frame in the old journal. */
  oldMaxTimestamp: number;
  /** Size of a write that must fit after the rotation; 0 at the high-water mark. */
  pending: number;
  fsync: boolean;
}

export interface RotationOutput {
  journal: ActiveJournal;
  /** Largest timestamp in the new journal (the restated frames). */
  maxTimestamp: number;
  /** The T of the old generation's archive name. */
  archiveTimestamp: number;
}

/**
 * Steps 1–5 of the design's rotation. Sizes the next generation (throws CapacityError, having
 * changed nothing, when even the largest buffer cannot hold the live state and the pending
 * write), writes it with the live frames copied byte for byte (original timestamps), and only
 * once that file is complete repoints the live index at the new buffer: on any failure the old
 * generation stays active, untouched.
 */
export function rotateJournal(input: RotationInput): RotationOutput {
  const { old, live, config, pending } = input;
  const headerSize = old.headerSize;
  const sizing = {
    policy: input.growth,
    currentSize: old.size,
    maxCapacityBytes: config.maxCapacityBytes,
    ratio: config.highWaterMarkRatio,
    headerSize,
    compactedBytes: live.bytes,
    pendingBytes: pending,
  };
  const size = rotationBufferSize(sizing);
  const needed = headerSize + live.bytes + pending;
  if (needed > size) throw new CapacityError(needed, capacityLimit(sizing));
  // 2–4. The next generation, preallocated, holding the live frames. Filling it also points
  // the live keys at their new offsets (one pass over a possibly large state); the old offsets
  // are kept to put back if the file cannot be written.
  const generation = old.generation + 1;
  const path = join(input.dir, journalFileName(input.name, generation));
  const oldOffsets = new Float64Array(live.size);
  let maxTimestamp = 0;
  const fill = (buffer: Buffer, start: number): number => {
    let pos = start;
    let i = 0;
    let runStart = -1;
    let runEnd = -1;
    let runTarget = start;
    live.forEach((_scope, _key, slot) => {
      if (slot.offset !== runEnd) {
        // Frames adjacent in the old buffer are copied in one piece.
        if (runStart >= 0) copyBytes(old.buffer, runStart, runEnd, buffer, runTarget);
        runStart = slot.offset;
        runTarget = pos;
      }
      runEnd = slot.offset + slot.length;
      oldOffsets[i++] = slot.offset;
      slot.offset = pos;
      pos += slot.length;
      if (slot.timestamp > maxTimestamp) maxTimestamp = slot.timestamp;
    });
    if (runStart >= 0) copyBytes(old.buffer, runStart, runEnd, buffer, runTarget);
    return pos;
  };
  let journal: ActiveJournal;
  try {
    journal = createJournal(input.layer, path, generation, size, old.headerVariant, fill, input.fsync);
  } catch (err) {
    let i = 0;
    live.forEach((_scope, _key, slot) => {
      slot.offset = oldOffsets[i++];
    });
    throw err;
  }
  // 5. Activated (in memory): the live keys point into the new buffer. T of the old
  // generation's archive: spec = its most recent entry; upstream = the newest live key.
  const archiveTimestamp = input.archiveStyle === 'spec' ? input.oldMaxTimestamp : maxTimestamp;
  return { journal, maxTimestamp, archiveTimestamp };
}
