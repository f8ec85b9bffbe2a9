import { z } from 'zod';
import {
  CompletenessSchema,
  ExportFormatSchema,
  ExportJobSchema,
  GenerationSchema,
  KeyFilterSchema,
  KeyRefSchema,
  ProblemSchema,
  RecentStoreSchema,
  StoreChoiceSchema,
  StoreSummarySchema,
  VersionRowSchema,
} from './schemas';
import { KeySchema, ScopeSchema, TimestampSchema } from './values';
import { EVENT_NAMES, METHOD_NAMES, type EventNameList, type MethodNameList } from './names';

const Count = (max: number) => z.number().int().min(0).max(max);
const Order = z.enum(['asc', 'desc']);

/**
 * Every method the UI may call: its argument and result schemas. The IPC handlers, the preload
 * bridge, the HTTP routes of `jrn serve` and the renderer's client are all generated from this
 * one table, so they cannot drift apart. Every argument and result is validated at runtime.
 */
export const methods = {
  /** What the UI needs at start: transport, recent stores, the store already open (if any). */
  startup: {
    args: z.object({}),
    result: z.object({
      transport: z.enum(['electron', 'http']),
      recent: z.array(RecentStoreSchema),
      canChooseFolder: z.boolean(),
      demoAvailable: z.boolean(),
      open: StoreSummarySchema.nullable(),
      /**
       * A folder the app was asked to open (command line, the OS) that holds several stores:
       * the UI lets the user pick one (openStore with its folderId). Absent or null otherwise.
       */
      folder: StoreChoiceSchema.nullable().optional(),
    }),
  },
  /** Shows a folder picker (desktop only); null when cancelled. */
  chooseFolder: { args: z.object({}), result: StoreChoiceSchema.nullable() },
  /** The stores in a folder the user granted (chooser, drop, recent, demo). */
  listStores: { args: z.object({ folderId: z.string() }), result: StoreChoiceSchema },
  openStore: { args: z.object({ folderId: z.string(), store: z.string() }), result: StoreSummarySchema },
  openRecent: { args: z.object({ recentId: z.string() }), result: StoreSummarySchema },
  openDemo: { args: z.object({}), result: StoreSummarySchema },
  summary: { args: z.object({ storeId: z.string() }), result: StoreSummarySchema },
  generations: { args: z.object({ storeId: z.string() }), result: z.array(GenerationSchema) },
  stateAt: {
    args: KeyFilterSchema.extend({
      storeId: z.string(),
      at: TimestampSchema,
      sort: z.enum(['key', 'validFrom']).optional(),
      order: Order.optional(),
      offset: Count(Number.MAX_SAFE_INTEGER).optional(),
      limit: Count(10_000).optional(),
    }),
    result: CompletenessSchema.extend({
      at: TimestampSchema,
      total: z.number().int(),
      offset: z.number().int(),
      rows: z.array(VersionRowSchema),
    }),
  },
  getAt: {
    args: z.object({ storeId: z.string(), scope: ScopeSchema, key: KeySchema, at: TimestampSchema }),
    result: CompletenessSchema.extend({ version: VersionRowSchema.nullable() }),
  },
  history: {
    args: z.object({
      storeId: z.string(),
      scope: ScopeSchema,
      key: KeySchema,
      from: TimestampSchema.nullable().optional(),
      to: TimestampSchema.nullable().optional(),
      order: Order.optional(),
      tombstones: z.boolean().optional(),
      /** At most this many versions, the first ones in `order`; `total` counts them all. */
      limit: Count(Number.MAX_SAFE_INTEGER).optional(),
    }),
    result: CompletenessSchema.extend({ versions: z.array(VersionRowSchema), total: z.number().int() }),
  },
  diff: {
    args: KeyFilterSchema.extend({
      storeId: z.string(),
      from: TimestampSchema,
      to: TimestampSchema,
      includeRewritten: z.boolean().optional(),
      offset: Count(Number.MAX_SAFE_INTEGER).optional(),
      limit: Count(10_000).optional(),
    }),
    result: CompletenessSchema.extend({
      from: TimestampSchema,
      to: TimestampSchema,
      total: z.number().int(),
      counts: z.object({ added: z.number(), removed: z.number(), changed: z.number(), rewritten: z.number() }),
      entries: z.array(
        z.object({
          kind: z.enum(['added', 'removed', 'changed', 'rewritten']),
          scope: ScopeSchema,
          key: z.string(),
          before: VersionRowSchema.nullable(),
          after: VersionRowSchema.nullable(),
        }),
      ),
    }),
  },
  changes: {
    args: z.object({
      storeId: z.string(),
      from: TimestampSchema.nullable(),
      to: TimestampSchema.nullable(),
      offset: Count(Number.MAX_SAFE_INTEGER).optional(),
      limit: Count(10_000).optional(),
    }),
    result: CompletenessSchema.extend({
      total: z.number().int(),
      offset: z.number().int(),
      writes: z.array(
        z.object({
          scope: ScopeSchema,
          key: z.string(),
          timestamp: TimestampSchema,
          value: VersionRowSchema.shape.value,
          valueError: z.string().optional(),
          superseded: z.boolean(),
          generation: z.number().int(),
          fileOffset: z.number().int(),
        }),
      ),
    }),
  },
  histogram: {
    args: z.object({ storeId: z.string(), from: TimestampSchema, to: TimestampSchema, bins: z.number().int().min(1).max(10_000) }),
    result: z.array(
      z.object({ from: TimestampSchema, to: TimestampSchema, writes: z.number().int(), deletes: z.number().int(), liveAtEnd: z.number().int() }),
    ),
  },
  nextChange: {
    args: z.object({ storeId: z.string(), at: TimestampSchema, target: KeyRefSchema.optional() }),
    result: TimestampSchema.nullable(),
  },
  prevChange: {
    args: z.object({ storeId: z.string(), at: TimestampSchema, target: KeyRefSchema.optional() }),
    result: TimestampSchema.nullable(),
  },
  verify: {
    args: z.object({ storeId: z.string() }),
    result: z.object({
      ok: z.boolean(),
      files: z.array(z.object({ file: z.string(), frames: z.number().int(), problems: z.array(ProblemSchema) })),
      problems: z.array(ProblemSchema),
      incomplete: CompletenessSchema.shape.incomplete,
    }),
  },
  exportStart: {
    args: KeyFilterSchema.extend({
      storeId: z.string(),
      /** state: the state at `at`; history: every version. */
      kind: z.enum(['state', 'history']),
      format: ExportFormatSchema,
      at: TimestampSchema.optional(),
    }),
    result: ExportJobSchema,
  },
  exportStatus: { args: z.object({ jobId: z.string() }), result: ExportJobSchema },
  exportCancel: { args: z.object({ jobId: z.string() }), result: ExportJobSchema },
  setFollow: { args: z.object({ storeId: z.string(), follow: z.boolean() }), result: StoreSummarySchema },
  /** The demo's simulated writer (demo store only). */
  setDemoWriter: { args: z.object({ storeId: z.string(), running: z.boolean() }), result: z.object({ running: z.boolean() }) },
  closeStore: { args: z.object({ storeId: z.string() }), result: z.object({ closed: z.boolean() }) },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodArgs<M extends MethodName> = z.input<Methods[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>;

/** The API as the renderer sees it: one async function per method. */
export type JournalApi = {
  [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>>;
};

/** Every method name, in the table's order (the same list as names.ts, checked below). */
export const methodNames: readonly MethodName[] = METHOD_NAMES;

/** Events pushed to the UI. */
export const events = {
  /** The open store changed while following (writes appended, or a rotation). */
  storeChanged: z.object({
    storeId: z.string(),
    summary: StoreSummarySchema,
    added: z.number().int(),
    rotations: z.number().int(),
  }),
  exportProgress: ExportJobSchema,
  /** A store being opened: how many of its generations are indexed (throttled). */
  openProgress: z.object({
    store: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** An open store being verified: how many of its files are checked (throttled). */
  verifyProgress: z.object({
    storeId: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** A menu command for the UI to carry out (desktop menu, shortcuts). */
  command: z.object({
    command: z.enum(['openFolder', 'openDemo', 'openRecent', 'export', 'verify', 'close']),
    /** For openRecent: which recent store (RecentStore.id). */
    recentId: z.string().optional(),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const eventNames: readonly EventName[] = EVENT_NAMES;

// names.ts must list exactly the methods and events above (compile-time check, both ways).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _methodNamesMatch: Same<MethodName, MethodNameList> = true;
const _eventNamesMatch: Same<EventName, EventNameList> = true;
void _methodNamesMatch;
void _eventNamesMatch;

export { ProblemSchema, RecentStoreSchema };
