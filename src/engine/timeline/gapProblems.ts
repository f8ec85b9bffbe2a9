import { problem, type Problem } from '../format/problems';
import type { GenerationInfo } from './types';

/**
 * Problems of a store beyond its files' own (this and leftoverJournalProblems below):
 * generations missing before the oldest file, or between two files that do not join, when no
 * file problem explains the gap already (a damaged or unreadable neighbour, a prefix that does
 * not match). One derivation for `jrn verify` and VersionedRecovery. A gap between numbered
 * generations loses history: an error. Where archive names carry no number the gap is only
 * possible (a warning), as are deleted oldest archives.
 */
export function generationGapProblems(dir: string, generations: GenerationInfo[], problems: Problem[]): Problem[] {
  const out: Problem[] = [];
  generations.forEach((g, i) => {
    if (i === 0) {
      if (g.generation > 0 && !g.inferred) {
        out.push(
          problem(dir, -1, 'missing-generation',
            `generations 0 to ${g.generation - 1} are missing (oldest archives deleted, or never written): history before ${g.relativePath} is unknown`,
            'warning'),
        );
      }
      return;
    }
    if (!g.gapBefore) return;
    const previous = generations[i - 1];
    const explained =
      [previous, g].some((x) => x.problems.some((p) => p.severity === 'error')) ||
      problems.some((p) => (p.reason === 'prefix-mismatch' || p.reason === 'missing-generation') && p.file === g.file);
    if (explained) return;
    const between = `between ${previous.relativePath} and ${g.relativePath}`;
    const missing = g.generation - previous.generation - 1;
    if (previous.inferred || g.inferred) {
      out.push(
        problem(g.file, -1, 'missing-generation',
          `generations may be missing ${between} (archives named without generation numbers, and fewer of them than generations): history there is unknown`,
          'warning'),
      );
    } else if (missing < 1) {
      out.push(problem(g.file, -1, 'missing-generation', `${g.relativePath} does not connect to ${previous.relativePath}: history between them is unknown`));
    } else {
      const which = missing > 1 ? `generations ${previous.generation + 1} to ${g.generation - 1} are` : `generation ${previous.generation + 1} is`;
      out.push(problem(g.file, -1, 'missing-generation', `${which} missing ${between}: history between them is unknown`));
    }
  });
  return out;
}

/**
 * Journals of generations older than the active one: the rotation's compress-and-delete step
 * did not finish (or a writer is between the two right now). Read as their generation; a
 * warning, since no history is lost.
 */
export function leftoverJournalProblems(generations: GenerationInfo[]): Problem[] {
  const active = generations.find((g) => g.active);
  return generations
    .filter((g) => g.kind === 'journal' && !g.active)
    .map((g) =>
      problem(
        g.file,
        -1,
        'uncompressed-archive',
        `generation ${g.generation} is an old generation left uncompressed${active ? ` (the active one is ${active.generation})` : ''}; read as its archive`,
        'warning',
      ),
    );
}
