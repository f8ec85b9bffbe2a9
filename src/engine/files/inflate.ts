import { readFileSync } from 'node:fs';
import { inflate, inflateSync } from 'node:zlib';
import { promisify } from 'node:util';
import { problem, type Problem } from '../format/problems';

const inflateAsync = promisify(inflate);

/**
 * Archives are zlib streams of a whole journal buffer. Inflation is bounded so that a hostile
 * archive (a zip bomb) cannot exhaust memory: past `maxBytes` it is reported, not inflated.
 */
export const DEFAULT_MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

export type LoadResult = { ok: true; bytes: Buffer } | { ok: false; problem: Problem };

function inflateError(file: string, err: unknown, maxBytes: number): Problem {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
    return problem(file, -1, 'inflated-too-large', `archive inflates to more than ${maxBytes} bytes (the configured limit)`);
  }
  return problem(file, -1, 'not-zlib', `archive is not a valid zlib stream: ${e?.message ?? String(err)}`);
}

function readError(file: string, err: unknown): Problem {
  return problem(file, -1, 'unreadable-file', `cannot read file: ${(err as Error)?.message ?? String(err)}`);
}

/**
 * Output chunk for inflating an archive of `compressedBytes` in one call: about the whole
 * journal. zlib's default of 16 KiB makes hundreds of buffers for one archive and then copies
 * them into one (20% of the time for the whole standard store), and with the asynchronous API
 * each chunk also waits for a turn of the event loop. Journals compress about 3 to 1; chunk
 * memory that is never written costs nothing.
 */
export function inflateChunkSize(compressedBytes: number): number {
  let size = 64 * 1024;
  while (size < compressedBytes * 4 && size < 64 * 1024 * 1024) size *= 2;
  return size;
}

/** The file's bytes, read in one synchronous call, or the problem. */
function readJournalFile(path: string): LoadResult {
  try {
    // Synchronous: the promise API reads in 512 KiB steps, each waiting for a turn of an event
    // loop that the indexer keeps busy, which left inflation idle.
    return { ok: true, bytes: readFileSync(path) };
  } catch (err) {
    return { ok: false, problem: readError(path, err) };
  }
}

/** Reads a journal file, inflating it when it is an archive (`.zz`), off this thread. */
export async function loadJournalBytes(path: string, maxBytes = DEFAULT_MAX_INFLATED_BYTES): Promise<LoadResult> {
  const read = readJournalFile(path);
  if (!read.ok || !path.endsWith('.zz')) return read;
  try {
    return { ok: true, bytes: await inflateAsync(read.bytes, { maxOutputLength: maxBytes, chunkSize: inflateChunkSize(read.bytes.length) }) };
  } catch (err) {
    return { ok: false, problem: inflateError(path, err, maxBytes) };
  }
}

/** loadJournalBytes on this thread (scan workers). */
export function loadJournalBytesSync(path: string, maxBytes = DEFAULT_MAX_INFLATED_BYTES): LoadResult {
  const read = readJournalFile(path);
  if (!read.ok || !path.endsWith('.zz')) return read;
  try {
    return { ok: true, bytes: inflateSync(read.bytes, { maxOutputLength: maxBytes, chunkSize: inflateChunkSize(read.bytes.length) }) };
  } catch (err) {
    return { ok: false, problem: inflateError(path, err, maxBytes) };
  }
}
