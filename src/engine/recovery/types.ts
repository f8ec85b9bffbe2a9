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

// Recovery answers from the timeline index: its incomplete ranges and generations are the index's.
export type { GenerationInfo, IncompleteRange, IncompleteReason } from '../timeline/types';

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
