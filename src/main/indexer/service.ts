// The index service: owns TimelineIndexes and runs queries, verification and exports on them.
// It runs inside the index worker (worker.ts) in the app and `jrn serve`, so indexing a big
// store never blocks the main thread; tests run the same code in-process (client.ts).
import { TimelineIndex, toJson } from '../../engine/timeline';
import { verifyStore } from '../../engine/verify';
import { ApiFailure } from '../api/errors';
import { checkResult } from '../api/validate';
import { generateDemoStore } from '../demo/generate';
import { runExport } from './exporter';
import type { ExportResult, IndexRequest, OpenResult, QueryMethod, RefreshResultJson, SummaryJson } from './protocol';

export interface CallContext {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

type Args = Record<string, unknown>;
const num = (v: unknown) => v as number;
const optNum = (v: unknown) => v as number | undefined;

function filterOf(a: Args) {
  return { scope: optNum(a.scope), keyPrefix: a.keyPrefix as string | undefined, keySubstring: a.keySubstring as string | undefined };
}

function target(a: Args): { scope: number; key: string } | undefined {
  return (a.target as { scope: number; key: string } | undefined) ?? undefined;
}

/** Runs one contract query on an index; arguments were validated by the contract's schema. */
export function runQuery(index: TimelineIndex, method: QueryMethod, a: Args): unknown {
  switch (method) {
    case 'stateAt':
      return index.stateAt(num(a.at), {
        ...filterOf(a),
        sort: a.sort as 'key' | 'validFrom' | undefined,
        order: a.order as 'asc' | 'desc' | undefined,
        offset: optNum(a.offset),
        limit: optNum(a.limit),
      });
    case 'getAt':
      return index.getAt(num(a.scope), a.key as string, num(a.at));
    case 'history':
      return index.history(num(a.scope), a.key as string, {
        from: a.from as number | null | undefined,
        to: a.to as number | null | undefined,
        order: a.order as 'asc' | 'desc' | undefined,
        tombstones: a.tombstones as boolean | undefined,
        limit: optNum(a.limit),
      });
    case 'diff':
      return index.diff(num(a.from), num(a.to), {
        ...filterOf(a),
        includeRewritten: a.includeRewritten as boolean | undefined,
        offset: optNum(a.offset),
        limit: optNum(a.limit),
      });
    case 'changes':
      return index.changes(a.from as number | null, a.to as number | null, { offset: optNum(a.offset), limit: optNum(a.limit) });
    case 'histogram':
      return index.histogram(num(a.from), num(a.to), num(a.bins));
    case 'nextChange':
      return index.nextChange(num(a.at), target(a));
    case 'prevChange':
      return index.prevChange(num(a.at), target(a));
    case 'generations':
      return index.summary().generations;
    default:
      throw new ApiFailure('not-found', `unknown query ${String(method)}`);
  }
}

export class IndexService {
  private readonly indexes = new Map<number, TimelineIndex>();
  private nextHandle = 1;

  private index(handle: number): TimelineIndex {
    const index = this.indexes.get(handle);
    if (!index) throw new ApiFailure('not-found', 'the store is not open');
    return index;
  }

  async handle(request: IndexRequest, ctx: CallContext = {}): Promise<unknown> {
    switch (request.op) {
      case 'open': {
        const index = await TimelineIndex.open(request.dir, { store: request.store, onProgress: ctx.onProgress, signal: ctx.signal });
        const handle = this.nextHandle++;
        this.indexes.set(handle, index);
        return { handle, summary: toJson(index.summary()) as SummaryJson } satisfies OpenResult;
      }
      case 'refresh': {
        const index = this.index(request.handle);
        const r = await index.refresh();
        return { ...r, summary: toJson(index.summary()) as SummaryJson } satisfies RefreshResultJson;
      }
      case 'summary':
        return toJson(this.index(request.handle).summary());
      case 'query':
        // Checked against the contract here, off the main thread (see Session.prevalidated).
        return checkResult(request.method, toJson(runQuery(this.index(request.handle), request.method, request.args)));
      case 'verify':
        return toJson(await verifyStore(request.dir, request.store, { onProgress: ctx.onProgress, signal: ctx.signal }));
      case 'export': {
        const result: ExportResult = await runExport(this.index(request.handle), request.request, ctx);
        return result;
      }
      case 'close':
        return { closed: this.indexes.delete(request.handle) };
      case 'generateDemo':
        return generateDemoStore(request.dir, { ...request.options, onProgress: ctx.onProgress, signal: ctx.signal });
      default:
        throw new ApiFailure('not-found', `unknown index request ${(request as { op: string }).op}`);
    }
  }

  /** Open indexes (for tests and diagnostics). */
  get size(): number {
    return this.indexes.size;
  }
}
