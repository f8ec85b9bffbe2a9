// Entry of the scan worker thread (built to out/main/scanWorker.js): reads, inflates and scans
// journal files for the index on another core, and hands the bytes and frame arrays back
// without copying them (transferred).
import { parentPort } from 'node:worker_threads';
import { loadJournalBytesSync } from '../files/inflate';
import { scanJournal, scanWrites } from './scan';
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
  // Sending back only what the index can need keeps hundreds of MB of restated archive bytes
  // from crossing threads (and from the index thread's garbage collector).
  const scanned = request.lean ? scanWrites(load.bytes, request.options) : scanJournal(load.bytes, request.options);
  // Bytes go back transferred, which memory shared with Node's pool of small buffers cannot
  // be: those are copied into memory of their own first (Buffer.from would take the pool again).
  if (scanned.bytes.buffer.byteLength <= Buffer.poolSize) scanned.bytes = Buffer.from(new Uint8Array(scanned.bytes).buffer);
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
