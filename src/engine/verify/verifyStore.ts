import { loadJournalBytes, DEFAULT_MAX_INFLATED_BYTES } from '../files/inflate';
import { listStoreFiles, type StoreFile } from '../files/storeFiles';
import { problem, type Problem } from '../format/problems';
import { JournalReader, type SkippedRange } from '../format/reader';

export interface FileReport {
  file: string;
  relativePath: string;
  kind: StoreFile['kind'];
  generation: number | null;
  frames: number;
  problems: Problem[];
  /** Byte ranges skipped in salvage mode. */
  skipped: SkippedRange[];
}

export interface VerifyReport {
  ok: boolean;
  files: FileReport[];
  problems: Problem[];
}

/**
 * Reads every file of a store completely — header, every frame's CRC and fields, every payload
 * decoded — and reports every problem with file, offset and reason. Read-only.
 */
export async function verifyStore(
  dir: string,
  store: string,
  options: {
    maxInflatedBytes?: number;
    /** Read past bad frames and report the byte ranges skipped (see JournalReadOptions). */
    salvage?: boolean;
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<VerifyReport> {
  const files = listStoreFiles(dir, store);
  const reports: FileReport[] = [];
  for (let i = 0; i < files.length; i++) {
    options.signal?.throwIfAborted();
    reports.push(await verifyFile(files[i], options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES, options.salvage === true));
    options.onProgress?.(i + 1, files.length);
  }
  const problems = reports.flatMap((r) => r.problems);
  return { ok: !problems.some((p) => p.severity === 'error'), files: reports, problems };
}

async function verifyFile(file: StoreFile, maxBytes: number, salvage: boolean): Promise<FileReport> {
  const report: FileReport = {
    file: file.path,
    relativePath: file.relativePath,
    kind: file.kind,
    generation: file.generation,
    frames: 0,
    problems: [],
    skipped: [],
  };
  const load = await loadJournalBytes(file.path, maxBytes);
  if (!load.ok) {
    report.problems.push(load.problem);
    return report;
  }
  const reader = new JournalReader(load.bytes, { file: file.path, salvage });
  while (reader.next()) {
    const decoded = reader.decodeValue();
    if (!decoded.ok) {
      reader.problems.push(
        problem(file.path, reader.frameStart, 'bad-payload', `payload of "${reader.key}" is not a valid ${reader.payloadLayout}: ${decoded.error}`),
      );
      if (salvage) continue;
      break;
    }
    report.frames++;
  }
  report.skipped = reader.skipped;
  // Bytes past position must be zero (the preallocated tail); anything else was written
  // after the header was last updated — a lost write, or a header rolled back.
  if (reader.header && reader.complete && !isZero(load.bytes, reader.end)) {
    reader.problems.push(
      problem(file.path, firstNonZero(load.bytes, reader.end), 'length-past-end', 'non-zero bytes after the journal position: data written but not recorded in the header', 'warning'),
    );
  }
  report.problems.push(...reader.problems);
  return report;
}

function isZero(bytes: Buffer, from: number): boolean {
  return firstNonZero(bytes, from) === -1;
}

function firstNonZero(bytes: Buffer, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return i;
  return -1;
}
