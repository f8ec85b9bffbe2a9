// Entry of the scan worker thread (built to out/main/scanWorker.js): reads, inflates and scans
// journal files for the index on another core, and hands the bytes and frame arrays back
// without copying them (transferred).
import { parentPort } from 'node:worker_threads';
import { loadJournalBytesSync } from '../files/inflate';
import { scanJournal, trimToWrites } from './scan';
import type { ScanRequest, ScanReply } from './scanPool';

if (!parentPort) throw new Error('scanWorker must run as a worker thread');
const port = parentPort;

port.on('message', (request: ScanRequest) => {
  // Inflated here, synchronously, so that each worker keeps one core busy by itself: with
  // zlib's asynchronous API every output chunk waits for this thread's event loop, which
  // scanning keeps busy.
  const load = loadJournalBytesSync(request.path, request.maxInflatedBytes);
  if (!load.ok) {
    port.postMessage({ id: request.id, ok: false, problem: load.problem } satisfies ScanReply);
    return;
  }
  // A buffer that shares its memory (Node's pool for small ones) cannot be transferred: copy it
  // into memory of its own first (Buffer.from would take the pool again).
  const own = load.bytes.byteOffset === 0 && load.bytes.byteLength === load.bytes.buffer.byteLength;
  const bytes = own ? load.bytes : Buffer.from(new Uint8Array(load.bytes).buffer);
  // Sending back only what the index can need keeps hundreds of MB of restated archive bytes
  // from crossing threads (and from the index thread's garbage collector).
  const full = scanJournal(bytes, request.options);
  const scanned = request.lean ? trimToWrites(full) : full;
  const { frames } = scanned;
  const transfer = [
    scanned.bytes.buffer,
    frames.key.buffer,
    frames.scope.buffer,
    frames.keyStart.buffer,
    frames.keyLength.buffer,
    frames.ts.buffer,
    frames.frameStart.buffer,
    frames.payloadStart.buffer,
    frames.payloadEnd.buffer,
    frames.crc.buffer,
    frames.del.buffer,
  ] as ArrayBuffer[];
  port.postMessage({ id: request.id, ok: true, scanned } satisfies ScanReply, transfer);
});
