// The index service in a worker thread, restarted when the worker stops unexpectedly (a crash,
// running out of memory): the stores it had open are opened again in the new worker, under
// the same handles, so a window keeps working after the calls in flight at the crash failed.
import { Worker } from 'node:worker_threads';
import { ApiFailure } from '../api/errors';
import type { IndexClient } from './client';
import type { FromWorker, IndexRequest, OpenResult, ToWorker } from './protocol';
import type { CallContext } from './service';

/** A worker that stops again this soon after a restart is not restarted a second time. */
const RESTART_WINDOW_MS = 10_000;

export class WorkerIndexClient implements IndexClient {
  readonly mode = 'worker' as const;
  private connection: WorkerConnection | null = null;
  private closed = false;
  private restarting: Promise<WorkerConnection> | null = null;
  /** What ended the last worker, and whether it had been started again only just before. */
  private lastDeath: { error: Error; soonAfterRestart: boolean } | null = null;
  private restartedAt: number | null = null;
  private restarts = 0;
  /**
   * The handles callers hold are this client's own, never reused; each maps to the store's
   * handle in the current worker and to what opened it (to open it again after a restart).
   */
  private nextHandle = 1;
  private readonly handles = new Map<number, { workerHandle: number | null; dir: string; store: string }>();

  constructor(private readonly workerPath: string) {
    this.connection = this.connect();
  }

  /** How many times the worker was started again after it stopped (diagnostics and tests). */
  get restartCount(): number {
    return this.restarts;
  }

  async call<T>(request: IndexRequest, ctx: CallContext = {}): Promise<T> {
    if (this.closed) throw new ApiFailure('unavailable', 'the index worker was closed');
    // While a restart reopens stores, handles point nowhere yet: every call waits for it.
    if (!this.connection && !this.restarting) this.restarting = this.restart().finally(() => (this.restarting = null));
    const connection = this.restarting ? await this.restarting : this.connection!;
    if ('handle' in request) {
      const entry = this.handles.get(request.handle);
      if (!entry) throw new ApiFailure('not-found', `no open index with handle ${request.handle}`);
      if (entry.workerHandle === null) {
        if (request.op === 'close') {
          this.handles.delete(request.handle);
          return { closed: true } as T;
        }
        throw new ApiFailure('unavailable', `${entry.store} could not be opened again after the index worker stopped`);
      }
      const result = await connection.call<T>({ ...request, handle: entry.workerHandle }, ctx);
      if (request.op === 'close') this.handles.delete(request.handle);
      return result;
    }
    const result = await connection.call<T>(request, ctx);
    if (request.op !== 'open') return result;
    const opened = result as OpenResult;
    const handle = this.nextHandle++;
    this.handles.set(handle, { workerHandle: opened.handle, dir: request.dir, store: request.store });
    return { ...opened, handle } as T;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const connection = this.connection;
    this.connection = null;
    await connection?.terminate();
  }

  private connect(): WorkerConnection {
    const connection = new WorkerConnection(this.workerPath, (error) => {
      if (this.connection !== connection) return;
      this.connection = null;
      const soonAfterRestart = this.restartedAt !== null && Date.now() - this.restartedAt < RESTART_WINDOW_MS;
      this.lastDeath = { error, soonAfterRestart };
    });
    return connection;
  }

  /** A new worker with every store the old one had open opened again (in the same order). */
  private async restart(): Promise<WorkerConnection> {
    const death = this.lastDeath!;
    if (death.soonAfterRestart) throw new ApiFailure('unavailable', `${death.error.message}, again right after a restart: not restarted`);
    this.restarts++;
    this.restartedAt = Date.now();
    const connection = (this.connection = this.connect());
    for (const entry of this.handles.values()) entry.workerHandle = null;
    for (const entry of this.handles.values()) {
      try {
        entry.workerHandle = (await connection.call<OpenResult>({ op: 'open', dir: entry.dir, store: entry.store }, {})).handle;
      } catch {
        // Said by the calls on this handle; the others go on.
      }
    }
    if (this.connection !== connection) throw this.lastDeath!.error;
    return connection;
  }
}

/** One worker thread and the calls in flight to it. */
class WorkerConnection {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; ctx: CallContext }>();
  private dead: Error | null = null;

  constructor(workerPath: string, onDeath: (error: Error) => void) {
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
    this.worker.on('error', (err) => this.stop(new ApiFailure('internal', `the index worker failed: ${err.message}`)) && onDeath(this.dead!));
    this.worker.on('exit', (code) => this.stop(new ApiFailure('unavailable', `the index worker stopped (exit code ${code})`)) && onDeath(this.dead!));
    // An idle worker must not keep the process alive by itself; a call in flight does.
    this.worker.unref();
  }

  call<T>(request: IndexRequest, ctx: CallContext): Promise<T> {
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

  async terminate(): Promise<void> {
    this.stop(new ApiFailure('unavailable', 'the index worker was closed'));
    await this.worker.terminate();
  }

  /** Fails every call in flight with `error`; false when the connection had stopped already. */
  private stop(error: Error): boolean {
    if (this.dead) return false;
    this.dead = error;
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    return true;
  }
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
