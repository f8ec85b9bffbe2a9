import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_MAX_INFLATED_BYTES, loadJournalBytes } from '../files/inflate';
import type { JournalReadOptions } from '../format/reader';
import type { Problem } from '../format/problems';
import { scanJournal, type ScannedJournal } from './scan';

export type ScanResult = { ok: true; scanned: ScannedJournal } | { ok: false; problem: Problem };

export interface ScanRequest {
  id: number;
  path: string;
  maxInflatedBytes: number;
  options: JournalReadOptions;
  /** Send back only the bytes of frames that can be new writes (see scanWrites). */
  lean?: boolean;
}

export type ScanReply = { id: number } & ScanResult;

const WORKER_FILE = 'scanWorker.js';

/** The built worker beside this bundle (out/main) or one level up (from out/main/chunks). */
function builtWorker(): string | null {
  for (const dir of [__dirname, dirname(__dirname)]) {
    const path = join(dir, WORKER_FILE);
    if (existsSync(path)) return path;
  }
  return null;
}

/**
 * Reads and scans generation files. With worker threads (when the built worker is found, or
 * when running from source with tsx), scanning the next files overlaps with the index taking in
 * the current one; otherwise it scans in this thread. Both give the same results.
 *
 * Inflating and scanning cost more than the index spends taking a generation in, so with
 * several workers consecutive files go to different threads: the reader of a big store keeps
 * every core busy instead of waiting on one scanning thread.
 */
export class Scanner {
  private readonly threads: ScanThread[] = [];
  private next = 0;

  constructor(
    private readonly maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES,
    workers = 0,
  ) {
    for (let i = 0; i < workers; i++) {
      const worker = startWorker();
      if (!worker) break;
      this.threads.push(new ScanThread(worker, (path, options) => this.scanHere(path, options)));
    }
  }

  /**
   * Scans on a worker when there are any, else in this thread. `lean`: a worker may send back
   * only the bytes new writes can be in (see scanWrites). Even the first file of a store goes
   * to a worker: scanning it here made the index thread compile the scanner as well, for a
   * wait on the workers' start that is shorter than the scan.
   */
  scan(path: string, options: JournalReadOptions, { lean = false } = {}): Promise<ScanResult> {
    const live = this.threads.filter((t) => t.alive);
    if (live.length === 0) return this.scanHere(path, options);
    return live[this.next++ % live.length].scan({ path, maxInflatedBytes: this.maxInflatedBytes, options, lean });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }

  private async scanHere(path: string, options: JournalReadOptions): Promise<ScanResult> {
    const load = await loadJournalBytes(path, this.maxInflatedBytes);
    return load.ok ? { ok: true, scanned: scanJournal(load.bytes, options) } : load;
  }
}

/** One scan worker thread; when it fails, what it had pending is scanned by `fallback`. */
class ScanThread {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: ScanResult) => void; path: string; options: JournalReadOptions }>();

  constructor(
    private worker: Worker | null,
    private readonly fallback: (path: string, options: JournalReadOptions) => Promise<ScanResult>,
  ) {
    worker!.on('message', (reply: ScanReply) => {
      const entry = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      // An idle worker must not keep the process alive; a busy one must.
      if (this.pending.size === 0) this.worker?.unref();
      entry?.resolve(reply);
    });
    worker!.on('error', () => this.failAll());
    worker!.unref();
  }

  get alive(): boolean {
    return this.worker !== null;
  }

  async scan(request: Omit<ScanRequest, 'id'>): Promise<ScanResult> {
    const worker = this.worker!;
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    const reply = new Promise<ScanResult>((resolve) => this.pending.set(id, { resolve, path: request.path, options: request.options }));
    worker.postMessage({ id, ...request } satisfies ScanRequest);
    const result = await reply;
    if (result.ok) {
      // Transferred back as a plain Uint8Array; the index wants a Buffer over the same memory.
      const u8 = result.scanned.bytes as Uint8Array;
      result.scanned.bytes = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    }
    return result;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private failAll(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { resolve, path, options } of pending) void this.fallback(path, options).then(resolve);
  }
}

function startWorker(): Worker | null {
  const built = builtWorker();
  // Plain JavaScript: none of this process's loader flags (tsx, when run from source) apply.
  if (built) return new Worker(built, { execArgv: [] });
  // Running from source (tests, benchmarks): load the TypeScript entry through tsx's require hook.
  const source = join(__dirname, 'scanWorker.ts');
  if (!__filename.endsWith('.ts') || !existsSync(source)) return null;
  let tsx: string;
  try {
    tsx = require.resolve('tsx/cjs/api');
  } catch {
    return null;
  }
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`, { eval: true });
}
