import { Worker } from 'node:worker_threads';
import { deflate } from 'node:zlib';

/**
 * Compresses archives on a worker thread. zlib's async API runs on libuv's threadpool but needs
 * the main thread between chunks (and to start), so a writer looping synchronously would get
 * no compression done until it yields; a worker compresses the whole buffer in one go while the
 * main thread keeps writing. The input is transferred, not copied. `backlog` (shared memory)
 * counts requests the worker has not finished, readable without yielding, for back-pressure.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Archiving is background work: on Linux, nice values are per thread, so this lowers only the
// worker, and the writer keeps its CPU when the machine is busy (elsewhere it would be the
// whole process, so it is left alone).
if (process.platform === 'linux') {
  try { require('node:os').setPriority(10); } catch {}
}
const { deflateSync } = require('node:zlib');
const backlog = new Int32Array(workerData.backlog);
parentPort.on('message', (m) => {
  let reply;
  try {
    reply = { id: m.id, out: deflateSync(m.data, { level: m.level }) };
  } catch (e) {
    reply = { id: m.id, error: String((e && e.message) || e) };
  }
  Atomics.sub(backlog, 0, 1);
  parentPort.postMessage(reply);
});
`;

interface Pending {
  resolve(out: Buffer): void;
  reject(err: Error): void;
}

export class WorkerCompressor {
  private worker: Worker | null = null;
  private readonly backlogCounter = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Requests posted and not yet finished by the worker. */
  get backlog(): number {
    return Atomics.load(this.backlogCounter, 0);
  }

  /** zlib (RFC 1950) of `data`; takes ownership of `data` (its memory may move to the worker). */
  deflate(data: Uint8Array, level: number): Promise<Buffer> {
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch {
      return threadpoolDeflate(data, level); // no worker threads here: the threadpool still helps
    }
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref(); // keep the process alive until results are in
      Atomics.add(this.backlogCounter, 0, 1);
      const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
      worker.postMessage({ id, data, level }, whole ? [data.buffer as ArrayBuffer] : []);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { backlog: this.backlogCounter.buffer } });
    worker.on('message', (m: { id: number; out?: Uint8Array; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.error !== undefined || !m.out) p.reject(new Error(`compression failed: ${m.error}`));
      else p.resolve(Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength));
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', () => this.fail(new Error('the compression worker exited')));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private fail(err: Error): void {
    this.worker = null;
    Atomics.store(this.backlogCounter, 0, 0);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function threadpoolDeflate(data: Uint8Array, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => deflate(data, { level }, (err, out) => (err ? reject(err) : resolve(out))));
}

/** One compressor for the process: archives of all stores share one extra core. */
export const sharedCompressor = new WorkerCompressor();
