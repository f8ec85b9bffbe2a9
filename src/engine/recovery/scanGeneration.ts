import { loadJournalBytes } from '../files/inflate';
import type { StoreFile } from '../files/storeFiles';
import type { HeaderVariant } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import type { Problem } from '../format/problems';
import { JournalReader } from '../format/reader';
import type { KeyTable } from '../timeline/keyTable';
import type { RecoveryOptions } from './types';

/**
 * One journal's good frames as columns (no per-frame objects: real stores have millions of
 * frames, most of them restatements that are dropped right after matching).
 */
export interface ScannedGeneration {
  path: string;
  /** 'damaged': an error-severity problem means frames after the good prefix are lost. */
  status: 'read' | 'damaged' | 'unreadable';
  headerVariant: HeaderVariant | null;
  payloadLayout: PayloadLayout | null;
  problems: Problem[];
  /** The whole journal buffer (inflated for an archive); empty when unreadable. */
  bytes: Buffer;
  frameStarts: number[];
  keyIds: number[];
  timestamps: number[];
  tombstones: boolean[];
  payloadStarts: number[];
  payloadEnds: number[];
  /** Key id → index of the frame holding its live version after the last good frame. */
  finalLive: Map<number, number>;
}

export async function scanGeneration(file: StoreFile, keys: KeyTable, options: RecoveryOptions): Promise<ScannedGeneration> {
  const scanned: ScannedGeneration = {
    path: file.path,
    status: 'unreadable',
    headerVariant: null,
    payloadLayout: null,
    problems: [],
    bytes: Buffer.alloc(0),
    frameStarts: [],
    keyIds: [],
    timestamps: [],
    tombstones: [],
    payloadStarts: [],
    payloadEnds: [],
    finalLive: new Map(),
  };
  const loaded = await loadJournalBytes(file.path, options.maxInflatedBytes);
  if (!loaded.ok) {
    scanned.problems.push(loaded.problem);
    return scanned;
  }
  const reader = new JournalReader(loaded.bytes, {
    file: file.path,
    headerVariant: options.headerVariant,
    payloadLayout: options.payloadLayout,
  });
  for (let value = reader.nextValue(); value !== undefined; value = reader.nextValue()) {
    const id = keys.internBytes(reader.scope, reader.buffer, reader.keyStart, reader.keyLength);
    const index = scanned.keyIds.length;
    scanned.frameStarts.push(reader.frameStart);
    scanned.keyIds.push(id);
    scanned.timestamps.push(reader.timestamp);
    scanned.tombstones.push(value === null);
    scanned.payloadStarts.push(reader.payloadStart);
    scanned.payloadEnds.push(reader.payloadEnd);
    if (value === null) scanned.finalLive.delete(id);
    else scanned.finalLive.set(id, index);
  }
  scanned.bytes = reader.buffer;
  scanned.headerVariant = reader.header?.variant ?? null;
  scanned.payloadLayout = reader.header ? reader.payloadLayout : null;
  scanned.problems = reader.problems;
  scanned.status = reader.problems.some((p) => p.severity === 'error') ? 'damaged' : 'read';
  return scanned;
}

/**
 * Reads a generation held by one or more files (an archive and a leftover journal are the same
 * bytes): the first that reads clean wins; if none does, the one that kept the most frames.
 * Problems of every file read are reported.
 */
export async function scanCandidates(candidates: StoreFile[], keys: KeyTable, options: RecoveryOptions): Promise<{ best: ScannedGeneration; problems: Problem[] }> {
  const problems: Problem[] = [];
  let best: ScannedGeneration | null = null;
  for (const file of candidates) {
    const scanned = await scanGeneration(file, keys, options);
    problems.push(...scanned.problems);
    if (best === null || rank(scanned) > rank(best)) best = scanned;
    if (scanned.status === 'read') break;
  }
  return { best: best!, problems };
}

function rank(s: ScannedGeneration): number {
  return s.status === 'unreadable' ? -1 : s.keyIds.length;
}
