// How the session reaches the index service: a worker thread in the app and `jrn serve`, so
// building an index, verifying or exporting never blocks the main thread's event loop; or the
// same service in-process ('inline'), for tests (vitest cannot start a TypeScript worker) and
// as a fallback when the worker bundle is missing. Both behind one interface.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ApiFailure } from '../api/errors';
import type { IndexRequest } from './protocol';
import { IndexService, type CallContext } from './service';
import { WorkerIndexClient } from './workerClient';

export { WorkerIndexClient } from './workerClient';

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
