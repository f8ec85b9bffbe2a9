import { z } from 'zod';
import { KeySchema, ScopeSchema, TimestampSchema, WireValueSchema } from './values';

/** Result shapes shared by several methods. */

export const ProblemSchema = z.object({
  file: z.string(),
  offset: z.number().int(),
  reason: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});

export const IncompleteRangeSchema = z.object({
  from: TimestampSchema.nullable(),
  to: TimestampSchema.nullable(),
  reason: z.enum([
    'before-oldest-generation',
    'after-newest-generation',
    'missing-generation',
    'unreadable-file',
    'damaged-file',
    'prefix-mismatch',
  ]),
  detail: z.string(),
});

export const CompletenessSchema = z.object({
  complete: z.boolean(),
  incomplete: z.array(IncompleteRangeSchema),
});

export const VersionRowSchema = z.object({
  scope: ScopeSchema,
  key: z.string(),
  value: WireValueSchema.nullable(),
  validFrom: TimestampSchema,
  validTo: TimestampSchema.nullable(),
  valueError: z.string().optional(),
});

export const GenerationSchema = z.object({
  generation: z.number().int().min(0),
  inferred: z.boolean(),
  file: z.string(),
  relativePath: z.string(),
  kind: z.enum(['journal', 'archive']),
  active: z.boolean(),
  layout: z.object({
    headerVariant: z.enum(['v17', 'v9']).nullable(),
    payloadLayout: z.enum(['key-value-pair', 'state-value']),
    inSnapshots: z.boolean(),
  }),
  compressedSize: z.number().int().nullable(),
  rawSize: z.number().int(),
  position: z.number().int().nullable(),
  frames: z.number().int(),
  restated: z.number().int(),
  writes: z.number().int(),
  firstWrite: TimestampSchema.nullable(),
  lastWrite: TimestampSchema.nullable(),
  rotatedAt: TimestampSchema.nullable(),
  prefixVerified: z.boolean(),
  gapBefore: z.boolean(),
  problems: z.array(ProblemSchema),
});

export const StoreSummarySchema = z.object({
  /** Opaque handle of the open store in this session. */
  storeId: z.string(),
  dir: z.string(),
  store: z.string(),
  isDemo: z.boolean(),
  generations: z.array(GenerationSchema),
  keys: z.number().int(),
  versions: z.number().int(),
  firstTimestamp: TimestampSchema.nullable(),
  lastTimestamp: TimestampSchema.nullable(),
  knownFrom: TimestampSchema.nullable(),
  incomplete: z.array(IncompleteRangeSchema),
  problems: z.array(ProblemSchema),
  indexBytes: z.number().int(),
  following: z.boolean(),
});

export const KeyFilterSchema = z.object({
  scope: ScopeSchema.optional(),
  keyPrefix: z.string().max(4096).optional(),
  keySubstring: z.string().max(4096).optional(),
});

export const KeyRefSchema = z.object({ scope: ScopeSchema, key: KeySchema });

export const RecentStoreSchema = z.object({
  id: z.string(),
  dir: z.string(),
  store: z.string(),
  openedAt: z.number(),
});

export const StoreChoiceSchema = z.object({
  /** Grant for the folder: the renderer names folders only through these. */
  folderId: z.string(),
  dir: z.string(),
  stores: z.array(z.string()),
});

export const ExportFormatSchema = z.enum(['json', 'ndjson', 'csv', 'parquet', 'journal']);
export const ExportJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  done: z.number().int(),
  total: z.number().int(),
  path: z.string().nullable(),
  error: z.string().nullable(),
  /** Where a browser downloads the file once done (jrn serve only). */
  downloadUrl: z.string().nullable(),
});
