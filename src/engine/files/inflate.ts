import { readFileSync } from 'node:fs';
import { inflate, inflateSync } from 'node:zlib';
import { promisify } from 'node:util';
import { problem, type Problem } from '../format/problems';

const inflateAsync = promisify(inflate);
const INFLATE_CHUNK = 4 * 1024 * 1024;

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

/** Reads a journal file, inflating it when it is an archive (`.zz`). */
export async function loadJournalBytes(path: string, maxBytes = DEFAULT_MAX_INFLATED_BYTES): Promise<LoadResult> {
  let raw: Buffer;
  try {
    // One synchronous read: the promise API reads in 512 KiB steps, each waiting for a turn of
    // an event loop that the indexer keeps busy, which left inflation idle.
    raw = readFileSync(path);
  } catch (err) {
    return { ok: false, problem: readError(path, err) };
  }
  if (!path.endsWith('.zz')) return { ok: true, bytes: raw };
  try {
    // Large chunks: async zlib calls back into JavaScript once per chunk, and the default 16 KiB
    // would make a busy event loop the bottleneck of inflating (hundreds of turns per archive).
    return { ok: true, bytes: await inflateAsync(raw, { maxOutputLength: maxBytes, chunkSize: INFLATE_CHUNK }) };
  } catch (err) {
    return { ok: false, problem: inflateError(path, err, maxBytes) };
  }
}

/**
 * Output chunk for inflating an archive of `compressedBytes` in one call: about the whole
 * journal. zlib's default of 16 KiB makes hundreds of buffers for one archive and then copies
 * them into one; a chunk that holds it all is inflated in place (20% less time for the whole
 * standard store). Journals compress about 3 to 1; untouched chunk memory costs nothing.
 */
export function inflateChunkSize(compressedBytes: number): number {
  let size = 64 * 1024;
  while (size < compressedBytes * 4 && size < 64 * 1024 * 1024) size *= 2;
  return size;
}

export function loadJournalBytesSync(path: string, maxBytes = DEFAULT_MAX_INFLATED_BYTES): LoadResult {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    return { ok: false, problem: readError(path, err) };
  }
  if (!path.endsWith('.zz')) return { ok: true, bytes: raw };
  try {
    return { ok: true, bytes: inflateSync(raw, { maxOutputLength: maxBytes, chunkSize: inflateChunkSize(raw.length) }) };
  } catch (err) {
    return { ok: false, problem: inflateError(path, err, maxBytes) };
  }
}
