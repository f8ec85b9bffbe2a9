import type { HeaderVariant } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import type { StateValue } from '../format/value';

/** One live (scope, key) in a state answer. `timestamp` is the version's validFrom (µs). */
export interface StateRow {
  scope: number;
  key: string;
  value: StateValue;
  timestamp: number;
}

/** Why a time range is not fully known. */
export type IncompleteReason =
  /** History older than the oldest file, which is not generation 0. */
  | 'before-oldest-generation'
  /** History newer than the newest file, which is an archive: its successors are gone. */
  | 'after-newest-generation'
  /** A generation between two available ones is gone (by its number, or its restated state). */
  | 'missing-generation'
  /** A file of the store could not be read or inflated at all. */
  | 'unreadable-file'
  /** A file stops at a bad frame: what followed it is lost. */
  | 'damaged-file'
  /** A generation does not restate the previous one's final state although they are adjacent. */
  | 'prefix-mismatch';

/**
 * A time range [from, to) in µs where `stateAt` may be wrong: it returns what the files show,
 * but versions written in this range may be missing. `from` null = since the beginning of time,
 * `to` null = open-ended (knowledge never resumes, e.g. the active journal is damaged).
 */
export interface IncompleteRange {
  from: number | null;
  to: number | null;
  /** The cause that opened the range. */
  reason: IncompleteReason;
  /** Every cause, in words, with the files involved. */
  detail: string;
}

/** How the compacted prefix of a generation (its restated versions) was identified. */
export type CompactedPrefixRule =
  /** Generation 0 starts empty: nothing is restated. */
  | 'first-generation'
  /** Matched frame by frame against the previous generation's final live state. */
  | 'restates-previous'
  /** Previous generation unavailable: estimated from the frames alone, erring long. */
  | 'estimated';

export type GenerationStatus = 'read' | 'damaged' | 'unreadable' | 'missing';

/** What recovery made of one generation (one file, or a gap where generations are missing). */
export interface GenerationSummary {
  /** The file used; null for missing generations. */
  file: string | null;
  /** An archive always had a successor generation; a journal may be the active one. */
  fileKind: 'journal' | 'archive' | null;
  /** From the file name, or counted when provably known; null when unknown. */
  generation: number | null;
  /** For a run of missing generations: the last missing number (== generation for one). */
  lastGeneration: number | null;
  status: GenerationStatus;
  headerVariant: HeaderVariant | null;
  payloadLayout: PayloadLayout | null;
  /** Good frames read. */
  frames: number;
  /** Leading frames that restate versions (not new writes). */
  compactedFrames: number;
  compactedRule: CompactedPrefixRule | null;
  /** Timestamp of the first frame known to be a new write; null when none is certain. */
  firstWriteTimestamp: number | null;
  /** Largest timestamp among the good frames; null when there are none. */
  lastTimestamp: number | null;
}

export interface RecoveryOptions {
  /** Limit for an inflated archive (default 1 GiB); a larger one is reported, not inflated. */
  maxInflatedBytes?: number;
  /** Override header detection for every file. */
  headerVariant?: HeaderVariant;
  /** Override payload layout detection for every file. */
  payloadLayout?: PayloadLayout;
}

export interface FolderRecoveryOptions extends RecoveryOptions {
  /** Store name; optional when the folder holds exactly one store. */
  store?: string;
}
