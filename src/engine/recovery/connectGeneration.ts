import { problem, type Problem } from '../format/problems';
import { estimateCompactedPrefix, matchRestatement } from './compactedPrefix';
import type { GenerationLink } from './knowledgeGaps';
import type { ScannedGeneration } from './scanGeneration';
import type { CompactedPrefixRule } from './types';

/** The generation before the one being connected, kept whole until its successor is matched. */
export interface PreviousGeneration {
  generation: number | null;
  name: string;
  /** null when it is missing or unreadable. */
  scanned: ScannedGeneration | null;
}

/** How a generation joins the history before it, and where its compacted prefix ends. */
export interface Connection {
  link: GenerationLink;
  linkDetail: string;
  rule: CompactedPrefixRule;
  /** Leading frames that restate versions. */
  compacted: number;
  /** Leading frames dropped: restatements of versions already indexed. */
  dropped: number;
  /** Whether those frames hold the whole live state at rotation (it was read to its end). */
  prefixComplete: boolean;
  problem?: Problem;
}

/**
 * Rule 1 applies when the previous generation was read whole; rule 2 (an estimate) otherwise,
 * and also when rule 1 fails: then history between the two is missing (or the files do not
 * belong together), which is reported.
 */
export function connectGeneration(previous: PreviousGeneration | null, generation: number | null, name: string, scanned: ScannedGeneration): Connection {
  if (previous === null) {
    // Generation 0 was created empty: it restates nothing and nothing came before it.
    if (generation === 0) return { link: 'oldest', linkDetail: '', rule: 'first-generation', compacted: 0, dropped: 0, prefixComplete: true };
    return estimated('oldest', '', scanned);
  }
  if (previous.scanned === null || previous.scanned.status !== 'read') return estimated('unchecked', '', scanned);
  const match = matchRestatement(previous.scanned, scanned);
  const expected = previous.scanned.finalLive.size;
  if (match.outcome !== 'mismatch') {
    // Cut short without damage: the writer stopped while copying the live state (a rotation
    // interrupted, or in progress). What is there restates known versions: nothing is lost.
    const interrupted = match.outcome === 'cut-short' && scanned.status === 'read';
    return {
      link: 'continues',
      linkDetail: '',
      rule: 'restates-previous',
      compacted: match.restated,
      dropped: match.restated,
      prefixComplete: match.outcome === 'complete',
      problem: interrupted
        ? problem(
            scanned.path,
            -1,
            'incomplete-generation',
            `restates only ${match.restated} of the ${expected} live keys of ${previous.name}: a rotation was interrupted (or is in progress)`,
            'warning',
          )
        : undefined,
    };
  }
  const adjacent = generation !== null && previous.generation !== null && generation === previous.generation + 1;
  const detail = adjacent
    ? `${name} does not restate the final state of ${previous.name} (restatement ${match.restated} of ${expected} differs)`
    : `${name} does not restate the final state of ${previous.name}: a generation between them is missing`;
  const c = estimated(adjacent ? 'inconsistent' : 'gap-found', detail, scanned);
  c.problem = problem(scanned.path, scanned.frameStarts[match.restated] ?? -1, 'prefix-mismatch', detail, 'warning');
  return c;
}

function estimated(link: GenerationLink, linkDetail: string, scanned: ScannedGeneration): Connection {
  const compacted = estimateCompactedPrefix(scanned);
  // A damaged file may have lost the end of its prefix, unless a new write proves it complete.
  const prefixComplete = compacted < scanned.keyIds.length || scanned.status === 'read';
  return { link, linkDetail, rule: 'estimated', compacted, dropped: 0, prefixComplete };
}
