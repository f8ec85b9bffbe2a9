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

// Incomplete ranges mean the same here as in the timeline index: one definition for both.
export type { IncompleteRange, IncompleteReason } from '../timeline/types';

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
