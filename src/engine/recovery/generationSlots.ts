import type { StoreFile } from '../files/storeFiles';
import { problem, type Problem } from '../format/problems';

/**
 * The generations of a store in order, as slots: one per generation that has files (possibly
 * two files: an archive and the uncompressed journal a crash left behind), and one per run of
 * generation numbers that has none (a gap in the middle; generations before the oldest file
 * are not slots, they are history we never had).
 */
export type GenerationSlot =
  | {
      kind: 'files';
      /** From the name; or counted, when the count proves it; null when unknown. */
      generation: number | null;
      /** Files holding this generation, the preferred (cheapest to read) first. */
      candidates: StoreFile[];
    }
  | { kind: 'missing'; first: number; last: number };

export interface SlotPlan {
  slots: GenerationSlot[];
  problems: Problem[];
}

/**
 * Builds the slots from files already in generation order (see `compareStoreFiles`).
 *
 * `NAME.jrn.t<T>.zz` archives carry no generation. When the archives before the first numbered
 * file G are exactly G in number, they can only be generations 0..G-1 (each file is one
 * generation), so they get those numbers. With fewer, some generations are missing and the
 * numbers stay unknown: where the gaps are is found later, from the restated state.
 */
export function planGenerationSlots(files: StoreFile[]): SlotPlan {
  const slots: Extract<GenerationSlot, { kind: 'files' }>[] = [];
  const byGeneration = new Map<number, Extract<GenerationSlot, { kind: 'files' }>>();
  for (const file of files) {
    if (file.generation === null) {
      slots.push({ kind: 'files', generation: null, candidates: [file] });
      continue;
    }
    const existing = byGeneration.get(file.generation);
    if (existing) {
      // A journal needs no inflating and holds the same bytes as its archive: try it first.
      if (file.kind === 'journal') existing.candidates.unshift(file);
      else existing.candidates.push(file);
      continue;
    }
    const slot = { kind: 'files' as const, generation: file.generation, candidates: [file] };
    byGeneration.set(file.generation, slot);
    slots.push(slot);
  }
  numberLeadingArchives(slots);
  return { slots: withMissingSlots(slots), problems: [...gapProblems(slots), ...leftoverJournalWarnings(files)] };
}

function numberLeadingArchives(slots: Extract<GenerationSlot, { kind: 'files' }>[]): void {
  const firstNumbered = slots.findIndex((s) => s.generation !== null);
  if (firstNumbered <= 0) return;
  if (slots[firstNumbered].generation !== firstNumbered) return;
  for (let i = 0; i < firstNumbered; i++) slots[i].generation = i;
}

function withMissingSlots(slots: Extract<GenerationSlot, { kind: 'files' }>[]): GenerationSlot[] {
  const out: GenerationSlot[] = [];
  let previous: number | null = null;
  for (const slot of slots) {
    if (slot.generation !== null && previous !== null && slot.generation > previous + 1) {
      out.push({ kind: 'missing', first: previous + 1, last: slot.generation - 1 });
    }
    out.push(slot);
    if (slot.generation !== null) previous = slot.generation;
  }
  return out;
}

function gapProblems(slots: Extract<GenerationSlot, { kind: 'files' }>[]): Problem[] {
  const problems: Problem[] = [];
  let previous: Extract<GenerationSlot, { kind: 'files' }> | null = null;
  for (const slot of slots) {
    if (slot.generation === null) continue;
    if (previous && slot.generation > previous.generation! + 1) {
      const range =
        slot.generation === previous.generation! + 2
          ? `generation ${previous.generation! + 1} is`
          : `generations ${previous.generation! + 1}–${slot.generation - 1} are`;
      problems.push(
        problem(
          slot.candidates[0].path,
          -1,
          'missing-generation',
          `${range} missing (between ${previous.candidates[0].relativePath} and ${slot.candidates[0].relativePath}): history there is incomplete`,
          'warning',
        ),
      );
    }
    previous = slot;
  }
  return problems;
}

/** An old generation still uncompressed: the rotation's compress-and-delete step did not finish. */
function leftoverJournalWarnings(files: StoreFile[]): Problem[] {
  const journals = files.filter((f) => f.kind === 'journal' && f.generation !== null);
  if (journals.length === 0) return [];
  const active = Math.max(...journals.map((f) => f.generation!));
  return journals
    .filter((f) => f.generation! < active)
    .map((f) =>
      problem(
        f.path,
        -1,
        'uncompressed-archive',
        `generation ${f.generation} is an old generation left uncompressed (the active one is ${active}); read as its archive`,
        'warning',
      ),
    );
}

/**
 * Whether the oldest slot is generation 0, which starts empty (so nothing before it is
 * unknown). Counting for unnumbered archives: with m of them before numbered generation G, and
 * `gapsFound` gaps located among them, at most G - m - gapsFound generations can be missing
 * before the oldest; when that is 0 the oldest is generation 0. An empty compacted prefix does
 * not prove it: a store whose state was empty at a rotation may still have had earlier history.
 */
export function oldestIsGenerationZero(slots: GenerationSlot[], gapFoundBefore: (slotIndex: number) => boolean): boolean {
  const first = slots[0];
  if (!first) return true;
  if (first.kind === 'missing') return false;
  if (first.generation !== null) return first.generation === 0;
  let i = 0;
  let gapsFound = 0;
  while (i < slots.length) {
    const slot = slots[i];
    if (slot.kind !== 'files' || slot.generation !== null) break;
    if (i > 0 && gapFoundBefore(i)) gapsFound++;
    i++;
  }
  const numbered = slots[i];
  if (!numbered || numbered.kind !== 'files' || numbered.generation === null) return false;
  if (gapFoundBefore(i)) gapsFound++;
  return numbered.generation - i - gapsFound === 0;
}
