import type { StoreFile } from '../files/storeFiles';
import type { Connection } from './connectGeneration';
import type { ScannedGeneration } from './scanGeneration';
import type { GenerationSummary } from './types';

export function readSummary(s: ScannedGeneration, generation: number | null, file: StoreFile, c: Connection): GenerationSummary {
  const n = s.keyIds.length;
  let last: number | null = null;
  for (const t of s.timestamps) if (last === null || t > last) last = t;
  return {
    ...emptySummary(generation, generation),
    file: s.path,
    fileKind: file.kind,
    status: s.status === 'damaged' ? 'damaged' : 'read',
    headerVariant: s.headerVariant,
    payloadLayout: s.payloadLayout,
    frames: n,
    compactedFrames: c.compacted,
    compactedRule: c.rule,
    firstWriteTimestamp: c.compacted < n ? s.timestamps[c.compacted] : null,
    lastTimestamp: last,
  };
}

export function unreadableSummary(s: ScannedGeneration, generation: number | null, file: StoreFile): GenerationSummary {
  return { ...emptySummary(generation, generation), file: s.path, fileKind: file.kind, status: 'unreadable' };
}

/** A run of generation numbers with no file. */
export function missingSummary(first: number, last: number): GenerationSummary {
  return emptySummary(first, last);
}

function emptySummary(generation: number | null, lastGeneration: number | null): GenerationSummary {
  return {
    file: null,
    fileKind: null,
    generation,
    lastGeneration,
    status: 'missing',
    headerVariant: null,
    payloadLayout: null,
    frames: 0,
    compactedFrames: 0,
    compactedRule: null,
    firstWriteTimestamp: null,
    lastTimestamp: null,
  };
}
