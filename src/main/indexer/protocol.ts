// Messages between the session (main thread) and the index service (worker thread, or the
// same thread under test). Everything crossing is plain JSON: values are already tagged.
import type { ExportFormat, ExportKind } from './exporter';

/** Contract methods answered by querying an open index. */
export type QueryMethod =
  | 'stateAt'
  | 'getAt'
  | 'history'
  | 'diff'
  | 'changes'
  | 'histogram'
  | 'nextChange'
  | 'prevChange'
  | 'generations';

export interface KeyFilterArgs {
  scope?: number;
  keyPrefix?: string;
  keySubstring?: string;
}

export interface ExportRequest extends KeyFilterArgs {
  kind: ExportKind;
  format: ExportFormat;
  at?: number;
  /** File to write (created or replaced). */
  out: string;
}

export type IndexRequest =
  | { op: 'open'; dir: string; store: string }
  | { op: 'refresh'; handle: number }
  | { op: 'summary'; handle: number }
  | { op: 'query'; handle: number; method: QueryMethod; args: Record<string, unknown> }
  | { op: 'verify'; dir: string; store: string }
  | { op: 'export'; handle: number; request: ExportRequest }
  | { op: 'close'; handle: number }
  | { op: 'generateDemo'; dir: string; options: DemoGenerateOptions };

/** Demo generation options that cross to the worker (see demo/generate.ts). */
export interface DemoGenerateOptions {
  seed?: number;
  end?: number;
  days?: number;
  events?: number;
  vehicles?: number;
}

/** The engine's store summary in JSON form (see TimelineIndex.summary). */
export type SummaryJson = Record<string, unknown> & { dir: string; store: string };

export interface OpenResult {
  handle: number;
  summary: SummaryJson;
}

export interface RefreshResultJson {
  added: number;
  rotations: number;
  rebuilt: boolean;
  summary: SummaryJson;
}

export interface ExportResult {
  path: string;
  rows: number;
}

/** Worker wire messages. */
export type ToWorker = { type: 'call'; id: number; request: IndexRequest } | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { name: string; code?: string; message: string } };
