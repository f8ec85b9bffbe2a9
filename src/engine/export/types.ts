import type { HeaderVariant } from '../format/header';
import type { StoreLayout } from '../store/layout';
import type { KeyFilter } from '../timeline/queries/keyFilter';
import type { IncompleteRange } from '../timeline/types';

/** Formats of a state-at-T export. `journal` writes a new store (a restore point). */
export type StateExportFormat = 'json' | 'ndjson' | 'csv' | 'parquet' | 'journal';
/** Formats of a full-history export (every version, tombstones included). */
export type HistoryExportFormat = 'json' | 'ndjson' | 'csv' | 'parquet';

export const STATE_FORMATS: readonly StateExportFormat[] = ['json', 'ndjson', 'csv', 'parquet', 'journal'];
export const HISTORY_FORMATS: readonly HistoryExportFormat[] = ['json', 'ndjson', 'csv', 'parquet'];

/** Where an export goes: a file path, or (text formats and Parquet only) a writable stream. */
export type ExportTarget = string | NodeJS.WritableStream;

export interface ExportOptionsBase {
  /** Which keys: by scope, key prefix, key substring. */
  filter?: KeyFilter;
  out: ExportTarget;
  /** Replace an existing output file (default: refuse). Never applies to a journal export. */
  overwrite?: boolean;
  /** (done, total) in rows, after each batch. */
  onProgress?: (done: number, total: number) => void;
  /** Cancels the export: the partial output is deleted and the promise rejects with an AbortError. */
  signal?: AbortSignal;
  /** Parquet rows per row group (default 50,000), and rows per batch (text formats: at most 4,096). */
  rowGroupSize?: number;
}

export interface StateExportOptions extends ExportOptionsBase {
  /** µs since the epoch. */
  at: number;
  format: StateExportFormat;
  /** For `journal`: the new store's NAME (default: the source store's). */
  storeName?: string;
  /** For `journal`: the new store's layout (default: the layout of the source's newest generation). */
  layout?: StoreLayout;
  headerVariant?: HeaderVariant;
}

export interface HistoryExportOptions extends ExportOptionsBase {
  format: HistoryExportFormat;
}

export interface ExportResult {
  format: StateExportFormat | HistoryExportFormat;
  /** The file (or, for `journal`, the folder) written; null for a stream. */
  path: string | null;
  /** Rows written (versions, for a history export). */
  rows: number;
  /** Distinct keys in the rows. */
  keys: number;
  /** Rows that are deletes (history exports). */
  tombstones: number;
  /** Versions whose payload could not be decoded (exported with type "invalid"; skipped in a journal export). */
  invalid: number;
  /** Bytes written (for `journal`, the size of the new journal file). */
  bytes: number;
  /** false when the exported range falls where history is not fully known. */
  complete: boolean;
  incomplete: IncompleteRange[];
}

/** An export that cannot run as asked (bad format, output inside the store folder, …). */
export class ExportError extends Error {
  override name = 'ExportError';
}
