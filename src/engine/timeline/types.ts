import type { HeaderVariant } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import type { Problem } from '../format/problems';
import type { StateValue } from '../format/value';

/** Why a time range is not fully known. */
export type IncompleteReason =
  /** History older than the oldest file, which is not (provably) generation 0. */
  | 'before-oldest-generation'
  /** The newest file is an archive, or the active journal is damaged: what came after is gone. */
  | 'after-newest-generation'
  /** Generations between two available ones are gone (or may be: see the detail). */
  | 'missing-generation'
  /** A file of the store could not be read or inflated at all. */
  | 'unreadable-file'
  /** A file stops at a bad frame: what followed it is lost. */
  | 'damaged-file'
  /** A generation does not restate the previous one's final state although they are adjacent. */
  | 'prefix-mismatch';

/**
 * A time range (µs, [from, to)) where answers are not fully known: the answer is what the files
 * show, but versions written in this range may be missing.
 */
export interface IncompleteRange {
  /** null = from the beginning of time. */
  from: number | null;
  /** null = open-ended. */
  to: number | null;
  reason: IncompleteReason;
  /** The cause in words, naming the files involved. */
  detail: string;
}

export interface GenerationInfo {
  generation: number;
  /** Generation number counted, not read from a file name. */
  inferred: boolean;
  file: string;
  relativePath: string;
  kind: 'journal' | 'archive';
  active: boolean;
  layout: { headerVariant: HeaderVariant | null; payloadLayout: PayloadLayout; inSnapshots: boolean };
  compressedSize: number | null;
  rawSize: number;
  position: number | null;
  frames: number;
  /** Frames restating the previous generation's live state (not new writes). */
  restated: number;
  /** New writes (superseded same-timestamp writes included). */
  writes: number;
  firstWrite: number | null;
  lastWrite: number | null;
  /** When this generation began: the previous generation's most recent entry, when known. */
  rotatedAt: number | null;
  /** History between the previous generation and this one is missing or does not connect. */
  gapBefore: boolean;
  /** Whether the compacted prefix was matched against a known previous generation. */
  prefixVerified: boolean;
  problems: Problem[];
}

export interface VersionRow {
  scope: number;
  key: string;
  /** null for a tombstone (a DELETE). */
  value: StateValue | null;
  validFrom: number;
  /** Exclusive; null = still valid. */
  validTo: number | null;
  /** Decoding failed: the payload is damaged although its CRC matched. */
  valueError?: string;
}

export interface Completeness {
  /** false when the answer falls in a range where history is not fully known. */
  complete: boolean;
  incomplete: IncompleteRange[];
}
