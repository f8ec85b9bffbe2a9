import { basename, resolve } from 'node:path';
import type { TimelineIndex } from '../timeline/timelineIndex';
import { checkFilter, type KeyFilter } from '../timeline/queries/keyFilter';
import { checkTimestamp } from '../timeline/queries/errors';
import type { IncompleteRange, VersionRow } from '../timeline/types';
import { CSV_HISTORY_COLUMNS, CSV_STATE_COLUMNS, csvRow, isoMicros, jsonRow } from './encode';
import { refuseInsideStore } from './guard';
import { exportJournal } from './journal';
import { ParquetRowWriter } from './parquet';
import { historyRows, stateRows, type RowSource } from './rows';
import { ExportSink } from './sink';
import {
  ExportError,
  HISTORY_FORMATS,
  STATE_FORMATS,
  type ExportOptionsBase,
  type ExportResult,
  type HistoryExportFormat,
  type HistoryExportOptions,
  type StateExportOptions,
} from './types';

const DEFAULT_BATCH = 50_000;
/** Rows per batch of the text formats (at most). */
const TEXT_BATCH = 4096;

function batchSize(options: ExportOptionsBase): number {
  const n = options.rowGroupSize ?? DEFAULT_BATCH;
  if (!Number.isSafeInteger(n) || n < 1) throw new ExportError(`rowGroupSize must be a positive integer, got ${String(n)}`);
  return n;
}

function checkTarget(index: TimelineIndex, options: ExportOptionsBase): void {
  if (typeof options.out === 'string') refuseInsideStore(index.dir, options.out);
}

/**
 * Exports the state at T (every key whose as-of answer at T is a value, sorted by scope then
 * key) as JSON, NDJSON, CSV, Parquet, or a new journal store (a restore point).
 * Streamed in batches with back-pressure; cancellable. Refuses an output inside the store's
 * folder and an existing output file unless `overwrite`.
 */
export async function exportState(index: TimelineIndex, options: StateExportOptions): Promise<ExportResult> {
  const at = checkTimestamp('at', options.at);
  const filter = checkFilter(options.filter ?? {});
  if (!STATE_FORMATS.includes(options.format)) {
    throw new ExportError(`unknown state export format "${String(options.format)}" (expected ${STATE_FORMATS.join(', ')})`);
  }
  const batch = batchSize(options);
  checkTarget(index, options);
  options.signal?.throwIfAborted();
  // Completeness of the answer (limit 0: no rows are made).
  const { complete, incomplete } = index.stateAt(at, { ...filter, limit: 0 });
  const state = index.internals;

  if (options.format === 'journal') {
    if (typeof options.out !== 'string') throw new ExportError('a journal export needs a folder path, not a stream');
    const out = await exportJournal({
      state,
      at,
      filter,
      outDir: resolve(options.out),
      storeName: options.storeName ?? index.store,
      layout: options.layout,
      headerVariant: options.headerVariant,
      batch,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    return { format: 'journal', path: out.path, rows: out.rows, keys: out.rows, tombstones: 0, invalid: out.invalid, bytes: out.bytes, complete, incomplete };
  }

  const source = stateRows(state, at, filter);
  const header =
    `{"store":${JSON.stringify(index.store)},"at":${at},"atIso":"${isoMicros(at)}","total":${source.total},` +
    `"complete":${complete},"incomplete":${JSON.stringify(incomplete)},"rows":[`;
  const meta = { kind: 'state', store: index.store, at, complete, incomplete };
  return writeRows(options.format, source, options, batch, { header, csvColumns: CSV_STATE_COLUMNS, history: false, meta, complete, incomplete });
}

/**
 * Exports every version of every key (validFrom, validTo; tombstones as rows whose value is
 * null) as JSON, NDJSON, CSV or Parquet, sorted by scope, key, validFrom. Streamed and
 * cancellable like exportState.
 */
export async function exportHistory(index: TimelineIndex, options: HistoryExportOptions): Promise<ExportResult> {
  const filter = checkFilter(options.filter ?? {});
  if (!HISTORY_FORMATS.includes(options.format)) {
    throw new ExportError(`unknown history export format "${String(options.format)}" (expected ${HISTORY_FORMATS.join(', ')})`);
  }
  const batch = batchSize(options);
  checkTarget(index, options);
  options.signal?.throwIfAborted();
  const summary = index.summary();
  const incomplete = summary.incomplete;
  const complete = incomplete.length === 0;
  const source = historyRows(index.internals, filter);
  const header =
    `{"store":${JSON.stringify(index.store)},"knownFrom":${summary.knownFrom},"total":${source.total},` +
    `"complete":${complete},"incomplete":${JSON.stringify(incomplete)},"versions":[`;
  const meta = { kind: 'history', store: index.store, knownFrom: summary.knownFrom, complete, incomplete };
  return writeRows(options.format, source, options, batch, { header, csvColumns: CSV_HISTORY_COLUMNS, history: true, meta, complete, incomplete });
}

interface Framing {
  /** JSON format: everything before the rows array's items. */
  header: string;
  csvColumns: string[];
  history: boolean;
  meta: Record<string, unknown>;
  complete: boolean;
  incomplete: IncompleteRange[];
}

async function writeRows(
  format: HistoryExportFormat,
  source: RowSource,
  options: ExportOptionsBase,
  batch: number,
  framing: Framing,
): Promise<ExportResult> {
  const sink = ExportSink.open(options.out, options.overwrite);
  const rows: VersionRow[] = [];
  let written = 0;
  let tombstones = 0;
  let invalid = 0;
  try {
    const parquet = format === 'parquet' ? await ParquetRowWriter.create(sink, framing.meta) : null;
    if (format === 'json') await sink.text(framing.header);
    if (format === 'csv') await sink.text(framing.csvColumns.join(',') + '\r\n');
    // Text needs no row groups: small batches keep the rows and text in memory small.
    const take = parquet ? batch : Math.min(batch, TEXT_BATCH);
    while (source.next(take, rows)) {
      options.signal?.throwIfAborted();
      for (const row of rows) {
        if (row.value === null) {
          if (row.valueError !== undefined) invalid++;
          else tombstones++;
        }
      }
      if (parquet) {
        await parquet.add(rows);
      } else {
        let text = '';
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i];
          if (format === 'csv') text += csvRow(row, framing.history);
          else if (format === 'ndjson') text += jsonRow(row) + '\n';
          else text += (written + i === 0 ? '\n' : ',\n') + jsonRow(row);
          if (text.length >= 64 * 1024) {
            await sink.text(text);
            text = '';
          }
        }
        await sink.text(text);
      }
      written += rows.length;
      options.onProgress?.(written, source.total);
    }
    options.signal?.throwIfAborted();
    if (format === 'json') await sink.text(written ? '\n]}\n' : ']}\n');
    if (parquet) await parquet.finish();
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  if (written === 0) options.onProgress?.(0, 0);
  return {
    format,
    path: sink.path,
    rows: written,
    keys: source.keys,
    tombstones,
    invalid,
    bytes: sink.bytes,
    complete: framing.complete,
    incomplete: framing.incomplete,
  };
}

/** A default output file name for an export (for UIs and the CLI). */
export function defaultExportName(store: string, kind: 'state' | 'history', format: string, at?: number): string {
  const ext = format === 'journal' ? '' : `.${format}`;
  const when = kind === 'state' && at !== undefined ? `-at-${at}` : '';
  return `${basename(store)}-${kind}${when}${ext}`;
}

export type { KeyFilter };
