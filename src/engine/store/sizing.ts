import { nextPowerOfTwo } from './config';

/**
 * How a rotation sizes the new buffer:
 * - 'upstream': next power of two of (compacted + pending) / ratio — what upstream does. With a
 *   ratio above 0.5 the compacted state can fill most of the space below the mark, and
 *   rotations come ever closer together ("rotation storms", see performance-notes).
 * - 'headroom' (default): the design document's rule on top of that: the buffer is at least
 *   twice the compacted state plus the pending write, so the state fills at most half of the
 *   new buffer and at least (ratio − 0.5) of it is left for writes before the next rotation.
 *   For a ratio <= 0.5 both rules give the same size.
 */
export type GrowthPolicy = 'headroom' | 'upstream';

export interface SizingInput {
  policy: GrowthPolicy;
  currentSize: number;
  maxCapacityBytes: number;
  ratio: number;
  headerSize: number;
  /** Bytes of the live frames (the compacted state, header excluded). */
  compactedBytes: number;
  /** Bytes of the write (or batch) that must fit after the rotation; 0 at the high-water mark. */
  pendingBytes: number;
}

/** Size of the next generation's buffer: never smaller than the current one, capped at max. */
export function rotationBufferSize(input: SizingInput): number {
  const { policy, currentSize, ratio, headerSize, compactedBytes, pendingBytes } = input;
  const needed = compactedBytes + pendingBytes;
  const target =
    policy === 'upstream'
      ? Math.ceil(needed / ratio)
      : Math.ceil(Math.max((needed + headerSize) / ratio, 2 * (needed + headerSize)));
  return Math.min(Math.max(nextPowerOfTwo(target), currentSize), capacityLimit(input));
}

/** The largest buffer allowed: the configured max, or the current size if a reopened file is larger. */
export function capacityLimit(input: Pick<SizingInput, 'currentSize' | 'maxCapacityBytes'>): number {
  return Math.max(input.maxCapacityBytes, input.currentSize);
}

export function highWaterMark(bufferSize: number, ratio: number): number {
  return Math.floor(bufferSize * ratio);
}
