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
 * Reads and scans generation files. With a worker thread (when the built worker is found, or
 * when running from source with tsx), scanning the next files overlaps with the index taking in
 * the current one; otherwise it scans in this thread. Both give the same results.
 */
export class Scanner {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: ScanReply) => void>();
  private readonly pending = new Map<number, { resolve: (reply: ScanReply) => void; path: string; options: JournalReadOptions }>();

  constructor(
    private readonly maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES,
    useWorker = false,
  ) {
    if (useWorker) this.worker = startWorker();
    this.worker?.on('message', (reply: ScanReply) => {
      const resolve = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      this.pending.delete(reply.id);
      // An idle worker must not keep the process alive; a busy one must.
      if (this.waiting.size === 0) this.worker?.unref();
      resolve?.(reply);
    });
    this.worker?.on('error', () => this.failAll());
    this.worker?.unref();
  }

  async scan(path: string, options: JournalReadOptions): Promise<ScanResult> {
    if (!this.worker) {
      const load = await loadJournalBytes(path, this.maxInflatedBytes);
      return load.ok ? { ok: true, scanned: scanJournal(load.bytes, options) } : load;
    }
    const id = this.nextId++;
    if (this.waiting.size === 0) this.worker.ref();
    const reply = new Promise<ScanReply>((resolve) => {
      this.waiting.set(id, resolve);
      this.pending.set(id, { resolve, path, options });
    });
    this.worker.postMessage({ id, path, maxInflatedBytes: this.maxInflatedBytes, options } satisfies ScanRequest);
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

  /** A failed worker: what is pending, and all that follows, is scanned in this thread. */
  private failAll(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    const pending = [...this.pending.values()];
    this.waiting.clear();
    this.pending.clear();
    for (const { resolve, path, options } of pending) void this.scan(path, options).then((r) => resolve({ id: 0, ...r }));
  }
}

function startWorker(): Worker | null {
  const built = builtWorker();
  if (built) return new Worker(built);
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
