import type { HeaderVariant, JournalHeader } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import { problem, type Problem } from '../format/problems';
import { JournalReader } from '../format/reader';
import { LiveIndex } from './liveIndex';

/** A journal buffer replayed into its final live state (positions into the buffer). */
export interface ReplayedJournal {
  header: JournalHeader | null;
  payloadLayout: PayloadLayout;
  payloadLayoutDetected: boolean;
  live: LiveIndex;
  frameCount: number;
  /** Largest timestamp of any frame; 0 when there is none. */
  maxTimestamp: number;
  /** Offset just past the last good frame. */
  goodEnd: number;
  problems: Problem[];
  /** Whether an error (not a warning) stopped the read: frames may have been lost. */
  damaged: boolean;
  /** The first frames ([start, end), scope, key), as many as asked for. */
  prefix: PrefixFrame[];
}

export interface PrefixFrame {
  scope: number;
  key: string;
  start: number;
  end: number;
}

export interface ReplayOptions {
  headerVariant?: HeaderVariant;
  payloadLayout?: PayloadLayout;
  /** How many leading frames to return in `prefix`. */
  prefixFrames?: number;
}

export function replayJournal(bytes: Buffer, file: string, options: ReplayOptions = {}): ReplayedJournal {
  const reader = new JournalReader(bytes, { file, headerVariant: options.headerVariant, payloadLayout: options.payloadLayout });
  const live = new LiveIndex();
  const prefix: PrefixFrame[] = [];
  const wanted = options.prefixFrames ?? 0;
  let frameCount = 0;
  let maxTimestamp = 0;
  while (reader.next()) {
    // A payload that is not valid protobuf ends the good prefix, as for every reader here.
    const decoded = reader.decodeValue();
    if (!decoded.ok) {
      reader.problems.push(problem(file, reader.frameStart, 'bad-payload', `payload is not a valid protobuf ${reader.payloadLayout}: ${decoded.error}`));
      reader.goodEnd = reader.frameStart;
      reader.stopped = true;
      break;
    }
    const key = reader.key;
    if (frameCount < wanted) prefix.push({ scope: reader.scope, key, start: reader.frameStart, end: reader.frameEnd });
    frameCount++;
    if (reader.timestamp > maxTimestamp) maxTimestamp = reader.timestamp;
    if (decoded.value === null) {
      live.delete(reader.scope, key);
    } else {
      live.set(reader.scope, key, reader.frameStart, reader.frameEnd - reader.frameStart, reader.timestamp, reader.keyLength);
    }
  }
  return {
    header: reader.header,
    payloadLayout: reader.payloadLayout,
    payloadLayoutDetected: reader.payloadLayoutDetected,
    live,
    frameCount,
    maxTimestamp,
    goodEnd: reader.goodEnd,
    problems: reader.problems,
    damaged: reader.problems.some((p) => p.severity === 'error'),
    prefix,
  };
}

/**
 * Whether `prefix` (the first frames of a newer generation) restates `live` exactly: one frame
 * per live key, byte-identical to that key's latest frame in the older buffer, in any order
 * (upstream writes the compacted state in hash-map order).
 */
export function restatesLiveState(older: Buffer, live: LiveIndex, newer: Buffer, prefix: PrefixFrame[]): boolean {
  if (prefix.length !== live.size) return false;
  const seen = new Set<string>();
  for (const f of prefix) {
    const slot = live.get(f.scope, f.key);
    const id = `${f.scope}\u0000${f.key}`;
    if (!slot || seen.has(id) || slot.length !== f.end - f.start) return false;
    seen.add(id);
    if (older.compare(newer, f.start, f.end, slot.offset, slot.offset + slot.length) !== 0) return false;
  }
  return true;
}
