// Export jobs' work, in the index worker: the engine's exporters (src/engine/export) run on
// the open index, with progress and cancellation. They refuse outputs inside the store folder.
import { exportHistory, exportState } from '../../engine/export';
import type { TimelineIndex } from '../../engine/timeline';
import { ApiFailure } from '../api/errors';
import type { ExportRequest, ExportResult } from './protocol';
import type { CallContext } from './service';

export type ExportKind = 'state' | 'history';
export type ExportFormat = 'json' | 'ndjson' | 'csv' | 'parquet' | 'journal';

export async function runExport(index: TimelineIndex, request: ExportRequest, ctx: CallContext): Promise<ExportResult> {
  const filter: { scope?: number; keyPrefix?: string; keySubstring?: string } = {};
  if (request.scope !== undefined) filter.scope = request.scope;
  if (request.keyPrefix) filter.keyPrefix = request.keyPrefix;
  if (request.keySubstring) filter.keySubstring = request.keySubstring;
  // The output was chosen in a save dialog (which confirmed replacing) or is a fresh file.
  const common = { filter, out: request.out, overwrite: true, onProgress: ctx.onProgress, signal: ctx.signal };
  if (request.kind === 'state') {
    const at = request.at ?? index.summary().lastTimestamp ?? 0;
    const result = await exportState(index, { ...common, at, format: request.format });
    return { path: result.path ?? request.out, rows: result.rows };
  }
  if (request.format === 'journal') throw new ApiFailure('invalid-arguments', 'a history export cannot be written as a journal: choose json, ndjson, csv or parquet');
  const result = await exportHistory(index, { ...common, format: request.format });
  return { path: result.path ?? request.out, rows: result.rows };
}
