import { HEADER_SIZE, positionFieldOffset, writeHeader, type HeaderVariant } from '../format/header';
import type { FileLayer } from './fileLayer';

/**
 * The active journal: an open file, preallocated and zero-filled to the buffer size, and an
 * in-memory copy of it (what upstream's memory map gives): rotation and reads use the copy and
 * never re-read the file. Frames are written in place with positional writes, which land in
 * the page cache and so survive a crash of the process just as writes into a mapping do.
 */
export class ActiveJournal {
  private readonly positionOffset: number;

  constructor(
    private readonly layer: FileLayer,
    readonly path: string,
    readonly generation: number,
    readonly fd: number,
    readonly buffer: Buffer,
    /** Offset where the next frame goes (the header's `position`). */
    public position: number,
    readonly headerVariant: HeaderVariant,
  ) {
    this.positionOffset = positionFieldOffset(headerVariant);
  }

  get size(): number {
    return this.buffer.length;
  }

  get headerSize(): number {
    return HEADER_SIZE[this.headerVariant];
  }

  /**
   * Makes the frames already encoded in `buffer[position, end)` part of the journal: one write
   * for the frames, then one for the header position. Until the second write lands, the frames
   * lie past `position` and no reader sees them, so a write is all-or-nothing. On failure the
   * journal is left as it was and the error is rethrown.
   */
  commit(end: number, fsync: boolean): void {
    const start = this.position;
    try {
      this.layer.pwrite(this.fd, this.buffer, start, end - start, start);
      this.writePosition(end);
      this.layer.pwrite(this.fd, this.buffer, this.positionOffset, 8, this.positionOffset);
    } catch (err) {
      this.rollBack(start, end, false);
      throw err;
    }
    if (fsync) {
      try {
        this.layer.fsync(this.fd);
      } catch (err) {
        // Not durable: take the write back so that what a reader sees matches what was acknowledged.
        this.rollBack(start, end, true);
        throw err;
      }
    }
    this.position = end;
  }

  /**
   * Undoes a write that was not acknowledged: the copy gets its header and zero tail back (it
   * becomes the archive), and the file too, best-effort (readers never look past `position`).
   */
  private rollBack(start: number, end: number, headerWritten: boolean): void {
    this.writePosition(start);
    this.buffer.fill(0, start, end);
    bestEffort(() => {
      if (headerWritten) this.layer.pwrite(this.fd, this.buffer, this.positionOffset, 8, this.positionOffset);
      this.layer.pwrite(this.fd, this.buffer, start, end - start, start);
    });
  }

  private writePosition(position: number): void {
    // Buffers are at most 1 GiB, so the high half of the u64 is always zero.
    this.buffer.writeUInt32LE(position, this.positionOffset);
    this.buffer.writeUInt32LE(0, this.positionOffset + 4);
  }
}

/**
 * Creates generation file `path` holding the frames `fill` writes into a fresh zeroed buffer
 * (from the header's end; it returns the position after them). The file is created,
 * preallocated, the frames written, and the header written last: a file whose header is still
 * all zeros was never completed. On failure the partial file is removed (best-effort).
 */
export function createJournal(
  layer: FileLayer,
  path: string,
  generation: number,
  size: number,
  headerVariant: HeaderVariant,
  fill: (buffer: Buffer, start: number) => number,
  fsync: boolean,
): ActiveJournal {
  const buffer = Buffer.alloc(size);
  const headerSize = HEADER_SIZE[headerVariant];
  const position = fill(buffer, headerSize);
  writeHeader(buffer, headerVariant, position);
  const fd = layer.open(path, 'create');
  try {
    layer.truncate(fd, size);
    if (position > headerSize) layer.pwrite(fd, buffer, headerSize, position - headerSize, headerSize);
    layer.pwrite(fd, buffer, 0, headerSize, 0);
    if (fsync) layer.fsync(fd);
  } catch (err) {
    bestEffort(() => layer.close(fd));
    bestEffort(() => layer.unlink(path));
    throw err;
  }
  return new ActiveJournal(layer, path, generation, fd, buffer, position, headerVariant);
}

export function bestEffort(f: () => void): unknown {
  try {
    f();
    return null;
  } catch (err) {
    return err;
  }
}
