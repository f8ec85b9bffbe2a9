import type { GenerationSummary, IncompleteRange, IncompleteReason } from './types';

/**
 * How a generation connects to the slot before it:
 *   'oldest'       the first slot: nothing before it was read;
 *   'continues'    its compacted prefix restates the previous generation's final state;
 *   'gap-found'    it does not, and their numbers are unknown: a generation between is missing;
 *   'inconsistent' it does not, although their numbers are consecutive;
 *   'unchecked'    the previous slot (or this one) is missing, unreadable or damaged.
 */
export type GenerationLink = 'oldest' | 'continues' | 'gap-found' | 'inconsistent' | 'unchecked';

export interface ReplayedGeneration {
  summary: GenerationSummary;
  link: GenerationLink;
  /** Words for a link that loses knowledge. */
  linkDetail: string;
}

/**
 * Where `stateAt` may be wrong, from the replayed generations. Knowledge is lost at:
 *   - the start, unless the oldest file is generation 0 (which starts empty);
 *   - a missing, unreadable or non-connecting generation, from the latest timestamp read so
 *     far (a lost write may share it: clocks do not always advance);
 *   - a damaged file, from the timestamp of its last good frame;
 *   - the end, when the newest file is an archive (rotation made a successor, which is gone).
 * It resumes at the first frame certain to be a new write of a later generation: that
 * generation's prefix restated the complete live state, and every write since is read.
 * Ranges are [from, to); an empty one (resumed at the very timestamp it was lost) is dropped.
 */
export function findIncompleteRanges(generations: ReplayedGeneration[], oldestIsFirst: boolean): IncompleteRange[] {
  const ranges = new RangeBuilder();
  if (generations.length === 0) {
    ranges.unknownFrom(null, 'missing-generation', 'no file of the store was given: nothing is known');
  }
  let latestRead: number | null = null;
  for (const { summary: g, link, linkDetail } of generations) {
    const name = g.file ?? `generation ${g.generation}${g.lastGeneration !== g.generation ? `–${g.lastGeneration}` : ''}`;
    if (link === 'oldest' && !oldestIsFirst) {
      ranges.unknownFrom(null, 'before-oldest-generation', `${name} is the oldest file and not known to be generation 0: versions deleted or overwritten before it are unknown`);
    } else if (link === 'gap-found') {
      ranges.unknownFrom(latestRead, 'missing-generation', linkDetail);
    } else if (link === 'inconsistent') {
      ranges.unknownFrom(latestRead, 'prefix-mismatch', linkDetail);
    }
    if (g.status === 'missing') {
      ranges.unknownFrom(latestRead, 'missing-generation', `${name} missing`);
      continue;
    }
    if (g.status === 'unreadable') {
      ranges.unknownFrom(latestRead, 'unreadable-file', `${name} could not be read`);
      continue;
    }
    if (g.firstWriteTimestamp !== null) ranges.knownFrom(g.firstWriteTimestamp);
    if (g.lastTimestamp !== null) latestRead = latestRead === null ? g.lastTimestamp : Math.max(latestRead, g.lastTimestamp);
    if (g.status === 'damaged') ranges.unknownFrom(latestRead, 'damaged-file', `${name} stops at a bad frame; what followed it is lost`);
  }
  const newest = generations[generations.length - 1]?.summary;
  if (newest?.fileKind === 'archive') {
    ranges.unknownFrom(latestRead, 'after-newest-generation', `${newest.file} is an archive and the newest file: the generations after it (at least the active journal) are missing`);
  }
  return ranges.finish();
}

class RangeBuilder {
  private readonly ranges: IncompleteRange[] = [];
  private open: { from: number | null; reason: IncompleteReason; details: string[] } | null = null;

  unknownFrom(from: number | null, reason: IncompleteReason, detail: string): void {
    if (this.open) this.open.details.push(detail);
    else this.open = { from, reason, details: [detail] };
  }

  knownFrom(to: number): void {
    if (!this.open) return;
    if (this.open.from === null || this.open.from < to) this.push(to);
    this.open = null;
  }

  finish(): IncompleteRange[] {
    if (this.open) this.push(null);
    this.open = null;
    return this.ranges;
  }

  private push(to: number | null): void {
    const { from, reason, details } = this.open!;
    this.ranges.push({ from, to, reason, detail: details.join('; ') });
  }
}
