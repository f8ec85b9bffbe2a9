import type { Problem } from '../format/problems';
import { clampedTimestamps } from './clockOrder';
import { prefixKeys } from './compactedPrefix';
import { connectGeneration, type PreviousGeneration } from './connectGeneration';
import type { GenerationSlot } from './generationSlots';
import { missingSummary, readSummary, unreadableSummary } from './generationSummary';
import { KeyTable } from '../timeline/keyTable';
import type { ReplayedGeneration } from './knowledgeGaps';
import { PayloadStore } from './payloadStore';
import { scanCandidates } from './scanGeneration';
import type { RecoveryOptions } from './types';
import { VersionIndex } from './versionIndex';

export interface Replay {
  keys: KeyTable;
  versions: VersionIndex;
  generations: ReplayedGeneration[];
  problems: Problem[];
}

/** The previous generation plus where its payloads live, to let go of once it is matched. */
interface Previous extends PreviousGeneration {
  source: number;
  /** Index of its first frame kept as a version (payloads before it are dropped on release). */
  firstKept: number;
}

/**
 * Replays the generations in order into one version index. Restated frames that match the
 * previous generation are dropped (already indexed); otherwise they are kept as the first
 * knowledge of those versions, with their true timestamps. Memory stays near two journals.
 */
export async function replayGenerations(slots: GenerationSlot[], options: RecoveryOptions): Promise<Replay> {
  const keys = new KeyTable();
  const payloads = new PayloadStore();
  const versions = new VersionIndex(keys, payloads);
  const generations: ReplayedGeneration[] = [];
  const problems: Problem[] = [];
  let previous: Previous | null = null;
  let latestRead: number | null = null;

  const release = () => {
    const s = previous?.scanned;
    if (!previous || !s) return;
    const n = s.keyIds.length;
    if (previous.firstKept < n) payloads.retain(previous.source, s.payloadStarts[previous.firstKept], s.payloadEnds[n - 1]);
    else payloads.retain(previous.source, 0, 0);
  };
  const lost = (generation: number | null, name: string): Previous => ({ generation, name, scanned: null, source: -1, firstKept: 0 });

  for (const slot of slots) {
    if (slot.kind === 'missing') {
      generations.push({ summary: missingSummary(slot.first, slot.last), link: 'unchecked', linkDetail: '' });
      release();
      previous = lost(slot.last, `generation ${slot.last}`);
      continue;
    }
    const { best: scanned, problems: fileProblems } = await scanCandidates(slot.candidates, keys, options);
    problems.push(...fileProblems);
    const file = slot.candidates.find((f) => f.path === scanned.path) ?? slot.candidates[0];
    if (scanned.status === 'unreadable') {
      generations.push({ summary: unreadableSummary(scanned, slot.generation, file), link: previous ? 'unchecked' : 'oldest', linkDetail: '' });
      release();
      previous = lost(slot.generation, file.relativePath);
      continue;
    }

    const c = connectGeneration(previous, slot.generation, file.relativePath, scanned);
    if (c.problem) problems.push(c.problem);
    // A key we know as live that a complete restated state leaves out was deleted unseen.
    if (c.link !== 'continues' && c.prefixComplete && versions.live.size > 0) {
      const restated = prefixKeys(scanned, c.compacted);
      for (const keyId of [...versions.live]) if (!restated.has(keyId)) versions.addInferredTombstone(keyId, latestRead!);
    }
    const { timestamps, problem: clockProblem } = clampedTimestamps(scanned, c.compacted, latestRead);
    if (clockProblem) problems.push(clockProblem);
    const source = payloads.add(scanned.bytes, scanned.payloadLayout!);
    const { keyIds, tombstones, payloadStarts, payloadEnds } = scanned;
    for (let i = c.dropped; i < keyIds.length; i++) {
      versions.add(keyIds[i], timestamps[i], tombstones[i], source, payloadStarts[i], payloadEnds[i]);
    }
    const summary = readSummary(scanned, slot.generation, file, c);
    if (summary.lastTimestamp !== null) latestRead = Math.max(latestRead ?? -Infinity, summary.lastTimestamp);
    generations.push({ summary, link: c.link, linkDetail: c.linkDetail });
    release();
    previous = { generation: slot.generation, name: file.relativePath, scanned, source, firstKept: c.dropped };
  }
  release();
  versions.finish();
  return { keys, versions, generations, problems };
}
