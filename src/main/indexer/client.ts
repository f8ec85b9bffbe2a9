// How the session reaches the index service: a worker thread in the app and `jrn serve`, so
// building an index, verifying or exporting never blocks the main thread's event loop; or the
// same service in-process ('inline'), for tests (vitest cannot start a TypeScript worker) and
// as a fallback when the worker bundle is missing. Both behind one interface.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { ApiFailure } from '../api/errors';
import type { FromWorker, IndexRequest, ToWorker } from './protocol';
import { IndexService, type CallContext } from './service';

export interface IndexClient {
  readonly mode: 'worker' | 'inline';
  call<T = unknown>(request: IndexRequest, ctx?: CallContext): Promise<T>;
  /** Stops the worker (frees every index it holds). */
  close(): Promise<void>;
}

export const WORKER_FILE = 'indexWorker.js';

/**
 * The built worker bundle, next to the main bundle (out/main/indexWorker.js) or one level up
 * from a shared chunk; null when running from sources (tests).
 */
export function locateWorker(baseDir: string = __dirname): string | null {
  for (const candidate of [join(baseDir, WORKER_FILE), join(baseDir, '..', WORKER_FILE)]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function rebuildError(error: { name: string; code?: string; message: string }): Error {
  if (error.code && error.code !== 'internal') {
    if (error.code === 'cancelled') {
      const e = new Error('cancelled');
      e.name = 'AbortError';
      return e;
    }
    if (error.code === 'query') {
      const e = new Error(error.message);
      e.name = 'QueryError';
      return e;
    }
    return new ApiFailure(error.code, error.message);
  }
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}

export class WorkerIndexClient implements IndexClient {
  readonly mode = 'worker' as const;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; ctx: CallContext }>();
  private dead: Error | null = null;

  constructor(workerPath: string) {
    this.worker = new Worker(workerPath, { name: 'journal-explorer-index' });
    this.worker.on('message', (message: FromWorker) => {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      if (message.type === 'progress') {
        entry.ctx.onProgress?.(message.done, message.total);
        return;
      }
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (message.ok) entry.resolve(message.value);
      else entry.reject(rebuildError(message.error));
    });
    const fail = (err: Error) => {
      this.dead = err;
      for (const entry of this.pending.values()) entry.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(new ApiFailure('internal', `the index worker failed: ${err.message}`)));
    this.worker.on('exit', (code) => fail(new ApiFailure('unavailable', `the index worker stopped (exit code ${code})`)));
    // An idle worker must not keep the process alive by itself; a call in flight does.
    this.worker.unref();
  }

  call<T>(request: IndexRequest, ctx: CallContext = {}): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    ctx.signal?.throwIfAborted();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ctx });
      this.worker.postMessage({ type: 'call', id, request } satisfies ToWorker);
      ctx.signal?.addEventListener('abort', () => this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker), { once: true });
    });
  }

  async close(): Promise<void> {
    if (this.dead) return;
    this.dead = new ApiFailure('unavailable', 'the index worker was closed');
    await this.worker.terminate();
  }
}

export class InlineIndexClient implements IndexClient {
  readonly mode = 'inline' as const;
  readonly service = new IndexService();
  private closed = false;

  async call<T>(request: IndexRequest, ctx: CallContext = {}): Promise<T> {
    if (this.closed) throw new ApiFailure('unavailable', 'the index service was closed');
    // Let pending I/O and timers run between requests, as they would with a worker.
    await yieldToLoop();
    return (await this.service.handle(request, ctx)) as T;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export type IndexerMode = 'worker' | 'inline' | 'auto';

/**
 * A new index client. 'auto' (the default) uses the worker when its bundle is found and runs
 * inline otherwise; JOURNAL_EXPLORER_INDEXER=inline|worker overrides 'auto'.
 */
export function createIndexClient(mode: IndexerMode = 'auto', workerPath: string | null = locateWorker()): IndexClient {
  const env = process.env.JOURNAL_EXPLORER_INDEXER;
  const wanted = mode === 'auto' && (env === 'inline' || env === 'worker') ? env : mode;
  if (wanted === 'inline') return new InlineIndexClient();
  if (workerPath) return new WorkerIndexClient(workerPath);
  if (wanted === 'worker') throw new Error(`the index worker bundle (${WORKER_FILE}) was not found: run 'npm run build'`);
  return new InlineIndexClient();
}
